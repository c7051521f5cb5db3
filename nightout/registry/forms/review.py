"""The coordinator's small forms: a rejection's reason, the queue's filters, an upload."""

from django import forms

from nightout.registry.models import EventStatus, Season
from nightout.text import PlainTextFields


class RejectForm(PlainTextFields, forms.Form):
    reason = forms.CharField(label="Reason, sent to the host", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), *EventStatus.choices])
    flag = forms.ChoiceField(label="Needs a look", required=False, choices=[
        ("", "Anything"), ("change", "Host's change to review"),
        ("same_block", "Same block as another"), ("closure", "Closure to decide"),
        ("approximate", "Approximate pin"),
        ("late_fee", "Closure with a fee"),
    ])
    district = forms.ChoiceField(label="District", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=[
        ("submitted", "Oldest first"), ("-submitted", "Newest first"),
        ("starts", "Start time"), ("title", "Name"), ("district", "District"),
    ])

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", "Any district")] + [
            (n, n) for n in season.jurisdiction.district_names
        ]
