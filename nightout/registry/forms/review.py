"""The coordinator's forms: a party entered for its host, a rejection's reason, the queue's
filters."""

from dataclasses import replace

from django import forms

from nightout.registry.forms.hosts import RegistrationForm
from nightout.registry.models import STAFF_SOURCES, EventStatus, Season
from nightout.registry.selectors import QUEUE_FLAGS
from nightout.registry.services import EventInput
from nightout.text import PlainTextFields


class RejectForm(PlainTextFields, forms.Form):
    reason = forms.CharField(label="Reason, sent to the host", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    """The queue's filters, each choice with how many registrations it finds (`counts`, from
    `selectors.queue_counts`)."""

    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False)
    flag = forms.ChoiceField(label="Needs a look", required=False)
    district = forms.ChoiceField(label="District", required=False)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=[
        ("submitted", "Oldest first"), ("-submitted", "Newest first"),
        ("starts", "Start time"), ("title", "Name"), ("district", "District"),
    ])

    FLAG_LABELS = {"change": "Host's change to review", "same_block": "Same block as another",
             "closure": "Closure to decide", "approximate": "Approximate pin",
             "late_fee": "Closure with a fee"}

    def __init__(self, *args, season: Season, counts: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        total = sum(counts[status] for status in EventStatus.values)
        self.fields["status"].choices = [
            ("awaiting", f"Awaiting a decision ({counts['awaiting']})"),
            ("", f"Any status ({total})"),
            *((value, f"{label} ({counts[value]})") for value, label in EventStatus.choices)]
        self.fields["flag"].choices = [("", "Anything"), *(
            (value, f"{self.FLAG_LABELS[value]} ({counts[f'flag:{value}']})")
            for value in QUEUE_FLAGS)]
        self.fields["district"].choices = [("", "Any district")] + [
            (n, n) for n in season.jurisdiction.district_names
        ]


class StaffRegistrationForm(RegistrationForm):
    """A party the coordinator enters for its host (phoned or walked in), or changes: the
    public form's fields and the season's rules, said of the host, without the trap for
    robots. A host who phoned may have no email (then no private link is sent) but needs a
    way to be reached; the town's notes are the coordinator's; the season's deadlines apply
    unless the coordinator says to record it past them."""

    received = forms.ChoiceField(label="How it reached you", choices=list(STAFF_SOURCES.items()),
                                 initial="phone")
    coordinator_notes = forms.CharField(
        label="Town's notes", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only the town sees these: never the public, never the host.")
    past_deadlines = forms.BooleanField(
        label="Record it past the season's deadlines", required=False,
        help_text="Registration, visit requests and street closures each close on a date set "
                  "in the season's settings; tick this to record the party all the same.")

    HOST_LABELS = {
        "title": "Name of the event", "host_name": "Host's name",
        "host_email": "Host's email", "host_phone": "Host's phone",
        "host_organization": "Host's block club, HOA, church or business",
        "expected_attendance": "How many people the host expects",
        "visits": "Visits the host would like",
    }

    def __init__(self, *args, season: Season, new: bool = True, **kwargs):
        super().__init__(*args, season=season, **kwargs)
        del self.fields["website"]
        if not new:
            del self.fields["received"]
        for name, label in self.HOST_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
        self.fields["host_email"].required = False
        self.fields["host_email"].help_text = (
            "If given, the host is emailed the private link to their registration.")
        self.fields["is_private_home"].help_text = (
            "The public then sees only the block, not the address.")

    @property
    def is_spam(self) -> bool:
        return False

    def to_input(self, data: dict | None = None) -> EventInput:
        d = self.cleaned_data if data is None else data
        return replace(super().to_input(data), coordinator_notes=d.get("coordinator_notes", ""))

    @classmethod
    def initial_for(cls, event) -> dict:
        return {**super().initial_for(event), "coordinator_notes": event.coordinator_notes}
