from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nightout.surveys.models import Changed, ComeAgain
from nightout.text import CONTROL, NONCHARACTER, SURROGATE, PlainText, text_problem

# `PlainText`'s messages for a multi-line text, in the survey's language.
REFUSED = {
    CONTROL: _("This field contains a control character (%(code)s) at position %(position)s; "
               "remove it and try again."),
    SURROGATE: _("This field contains half of a UTF-16 surrogate pair (%(code)s), which is "
                 "not a character, at position %(position)s; remove it and try again."),
    NONCHARACTER: _("This field contains a non-character (%(code)s) at position "
                    "%(position)s; remove it and try again."),
}


class CommentText(PlainText):
    """`PlainText` for the comment, its message in the survey's language."""

    def __call__(self, value) -> None:
        problem = text_problem(value, multiline=True) if isinstance(value, str) else None
        if problem:
            raise ValidationError(REFUSED[problem.template], code=self.code, params={
                "code": f"U+{ord(problem.char):04X}", "position": problem.position})

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
        validators=[CommentText(multiline=True)],
        help_text=_("Please leave out names, phone numbers and addresses. Comments are read "
                    "by the town before any is published."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
