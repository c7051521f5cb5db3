from django import forms
from django.utils.translation import gettext_lazy as _

from nightout.surveys.models import Changed, ComeAgain
from nightout.text import PlainText

AGREE = [
    (5, _("Strongly agree")),
    (4, _("Agree")),
    (3, _("Neither agree nor disagree")),
    (2, _("Disagree")),
    (1, _("Strongly disagree")),
]


def likert(label):
    return forms.TypedChoiceField(label=label, choices=AGREE, coerce=int, required=False,
                                  empty_value=None, widget=forms.RadioSelect)


class SurveyForm(forms.Form):
    """Five questions and a comment; every one may be skipped."""

    respect = likert(_("The police in my neighborhood treat people with respect."))
    listen = likert(_("The police in my neighborhood listen to and take into account "
                      "residents' concerns."))
    safe = likert(_("I feel safe in my neighborhood."))
    changed = forms.ChoiceField(
        label=_("Did tonight change how you feel about the police?"), required=False,
        widget=forms.RadioSelect,
        choices=[(Changed.BETTER, _("I feel better about them")),
                 (Changed.SAME, _("No change")),
                 (Changed.WORSE, _("I feel worse about them"))],
    )
    come_again = forms.ChoiceField(
        label=_("Would you come again next year?"), required=False, widget=forms.RadioSelect,
        choices=[(ComeAgain.YES, _("Yes")), (ComeAgain.MAYBE, _("Maybe")),
                 (ComeAgain.NO, _("No"))],
    )
    comment = forms.CharField(
        label=_("Anything else? (optional)"), required=False, max_length=1000,
        validators=[PlainText(multiline=True)],
        help_text=_("Please leave out names, phone numbers and addresses. Comments are read "
                    "by the town before any is published."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
