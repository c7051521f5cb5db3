"""The host's forms: registering (and editing) a party, and the report after the night; and
how a service's messages are put beside the fields they are about."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from nightout.registry import rules
from nightout.registry.models import (
    Activity,
    EventKind,
    RainDateRule,
    Season,
    UnitKind,
)
from nightout.registry.services import (
    ClosureInput,
    EventInput,
    HostInput,
)
from nightout.text import PlainTextFields

ERROR_FIELDS = {
    "location": "latitude",
    "closure": "closure_street",
    "ends_at": "ends",
    "starts_at": "starts",
}


# The form's fields a service's message (by its name, as `ERROR_FIELDS` maps it) is worked
# out from, besides its own field: checked on a form with errors, a message is kept only
# when none of these was in error (no hours are judged from a start that was not a time).
ERROR_READS = {
    "starts": ("starts", "ends"),
    "ends": ("starts", "ends"),
    "latitude": ("latitude", "longitude", "postal_code"),
    "visits": ("visits", "visit_time", "starts", "ends"),
    "closure_street": ("closure", "closure_street", "closure_blocks", "closure_residential"),
    "closure_consent": ("closure", "closure_consent"),
    "rain_date": ("rain_date", "rain_date_declined"),
}


def add_service_errors(form: forms.Form, error: ValidationError, *,
                       in_error: frozenset[str] = frozenset()) -> None:
    """Put a service's ValidationError on the form's fields, or above the form; a message
    already there (a season's rule and a model's check that say the same of one field) is
    said once. A message about a field in `in_error`, or worked out from one (`ERROR_READS`),
    is left out: that field's own error says what to fix first."""
    for name, messages in error.message_dict.items():
        target = ERROR_FIELDS.get(name, name)
        target = target if target in form.fields else None
        if target and in_error & {target, *ERROR_READS.get(target, ())}:
            continue
        for message in messages:
            if message not in form.errors.get(target or NON_FIELD_ERRORS, []):
                form.add_error(target, message)


class RegistrationForm(PlainTextFields, forms.Form):
    """A host's registration (and their later edits), shaped by the season's rules."""

    title = forms.CharField(label="Name of your event", max_length=160,
                            help_text="Such as “Elm Street Block Party”.")
    kind = forms.ChoiceField(label="Kind of event", choices=EventKind.choices,
                             initial=EventKind.BLOCK_PARTY)
    description = forms.CharField(label="What is planned", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    venue = forms.CharField(label="Place name", required=False, max_length=160,
                            help_text="A park, church or building, if it has a name.")
    address = forms.CharField(label="Street address", max_length=200,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postal_code = forms.CharField(
        label="ZIP code", max_length=10, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    latitude = forms.FloatField(
        label="Map pin: latitude", required=False, min_value=-90, max_value=90,
        help_text="Set by the map. Without the map, leave both empty and we place the pin "
                  "from your ZIP code.",
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(label="Map pin: longitude", required=False, min_value=-180,
                                 max_value=180, widget=forms.NumberInput(attrs={"step": "any"}))
    is_private_home = forms.BooleanField(
        label="It is at a private home", required=False, initial=True,
        help_text="The public then sees only the block, not your address.",
    )
    show_exact_location = forms.BooleanField(
        label="Show the exact address to the public anyway", required=False
    )
    starts = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label="Ends at", widget=forms.TimeInput(attrs={"type": "time"}))
    activities = forms.ModelMultipleChoiceField(
        label="Activities", queryset=Activity.objects.all(), to_field_name="slug",
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    expected_attendance = forms.IntegerField(label="How many people do you expect?",
                                             required=False, min_value=1, max_value=100_000)
    accessibility_notes = forms.CharField(
        label="Accessibility", required=False, max_length=1000,
        help_text="Step-free access, seating, quiet space, ...",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    visits = forms.MultipleChoiceField(
        label="Visits you would like", required=False, widget=forms.CheckboxSelectMultiple,
    )
    visit_time = forms.TimeField(
        label="Best time for visits", required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    rain_date_declined = forms.BooleanField(label="No rain date for us", required=False)
    rain_date = forms.DateField(label="Rain date", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    closure = forms.BooleanField(label="Close the street for the event", required=False)
    closure_street = forms.CharField(label="Street to close", required=False, max_length=160)
    closure_from_street = forms.CharField(label="From cross street", required=False,
                                          max_length=160)
    closure_to_street = forms.CharField(label="To cross street", required=False, max_length=160)
    closure_blocks = forms.IntegerField(label="Number of blocks", required=False, min_value=1,
                                        max_value=20, initial=1)
    closure_residential = forms.BooleanField(label="It is a residential street",
                                             required=False, initial=True)
    closure_consent = forms.BooleanField(required=False)
    host_name = forms.CharField(label="Your name", max_length=120,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    host_email = forms.EmailField(label="Your email",
                                  widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    host_phone = forms.CharField(
        label="Your phone", max_length=32, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    host_organization = forms.CharField(
        label="Block club, HOA, church or business", max_length=160, required=False
    )
    # A field people never see; automated form fillers do.
    website = forms.CharField(required=False, label="Leave this empty",
                              widget=forms.TextInput(attrs={"tabindex": "-1",
                                                            "autocomplete": "off"}))

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        self.season = season
        self.fields["visits"].choices = [
            (k, UnitKind(k).label) for k in season.offered_visit_kinds
        ]
        if not season.visit_times_allowed:
            del self.fields["visit_time"]
        rule = season.rain_date_rule
        if rule != RainDateRule.NEXT_DAY:
            del self.fields["rain_date_declined"]
        else:
            self.fields["rain_date_declined"].help_text = (
                f"Otherwise, if it rains, your event moves to the next day "
                f"({rules.rain_date_for(season):%A %-d %B})."
            )
        if not rules.host_picks_rain_date(season):
            del self.fields["rain_date"]
        if not season.closures_enabled:
            for name in [n for n in self.fields if n.startswith("closure")]:
                del self.fields[name]
        else:
            percent = season.neighbor_consent_percent
            if percent:
                self.fields["closure_consent"].label = (
                    f"At least {percent}% of the households on the block agree to the closure"
                )
            else:
                del self.fields["closure_consent"]
        zone = season.jurisdiction.zone
        self.fields["starts"].initial = season.default_start
        self.fields["ends"].initial = season.default_end
        earliest, latest = (t.astimezone(zone) for t in season.window)
        self.fields["ends"].help_text = (
            f"Events run between {earliest:%-I:%M %p} and {latest:%-I:%M %p} on "
            f"{season.nno_date:%A %-d %B %Y}."
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("latitude", "Give both latitude and longitude, or neither.")
        if data.get("closure") and not data.get("closure_street"):
            self.add_error("closure_street", "Name the street to close.")
        return data

    def add_rule_errors(self, check: Callable[[EventInput], object]) -> None:
        """On a form with errors, check the season's rules too (`check`, a service's checking
        half, such as `registration_check`), on what the host typed that was valid, so that
        one submission shows every error at once. A field in error stands in as empty (the
        night's default hours for a time), and what is worked out from it is not said."""
        if not self.errors:
            return
        in_error = frozenset(self.errors) - {NON_FIELD_ERRORS}
        try:
            check(self.to_input(self._valid_or_empty()))
        except ValidationError as error:
            add_service_errors(self, error, in_error=in_error)

    def _valid_or_empty(self) -> dict:
        """The cleaned values, and each field that is in error as empty."""
        empty = {"kind": EventKind.BLOCK_PARTY, "starts": self.season.default_start,
                 "ends": self.season.default_end}
        values = {}
        for name, field in self.fields.items():
            if name in self.cleaned_data:
                values[name] = self.cleaned_data[name]
            elif name in empty:
                values[name] = empty[name]
            elif isinstance(field, forms.BooleanField):
                values[name] = False
            elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                values[name] = []
            elif isinstance(field, forms.CharField):
                values[name] = ""
            else:
                values[name] = None
        return values

    def to_input(self, data: dict | None = None) -> EventInput:
        """The registration the form's values (its cleaned data, unless `data`) say."""
        d = self.cleaned_data if data is None else data
        visits = list(d.get("visits") or [])
        closure = None
        if d.get("closure"):
            closure = ClosureInput(
                street=d["closure_street"], from_street=d.get("closure_from_street", ""),
                to_street=d.get("closure_to_street", ""), blocks=d.get("closure_blocks") or 1,
                residential=d.get("closure_residential", False),
                consent_attested=d.get("closure_consent", False)
                or not self.season.neighbor_consent_percent,
            )
        visit_time = d.get("visit_time")
        return EventInput(
            title=d["title"], kind=d["kind"], description=d["description"], venue=d["venue"],
            address=d["address"], postal_code=d["postal_code"], latitude=d.get("latitude"),
            longitude=d.get("longitude"), is_private_home=d["is_private_home"],
            show_exact_location=d["show_exact_location"], starts=d["starts"], ends=d["ends"],
            activities=[a.slug for a in d["activities"]],
            expected_attendance=d.get("expected_attendance"),
            accessibility_notes=d["accessibility_notes"],
            rain_date_declined=d.get("rain_date_declined", False), rain_date=d.get("rain_date"),
            visits=visits, visit_times={k: visit_time for k in visits} if visit_time else {},
            closure=closure,
            host=HostInput(name=d["host_name"], email=d["host_email"], phone=d["host_phone"],
                           organization=d["host_organization"]),
        )

    @classmethod
    def initial_for(cls, event) -> dict:
        """The form's values for an existing event (the host's edit page)."""
        zone = event.season.jurisdiction.zone
        host = event.host_contact
        requests = list(event.visit_requests.all())
        closure = next((c for c in event.closures.all()
                        if c.status in ("requested", "approved")), None)
        initial = {
            "title": event.title, "kind": event.kind, "description": event.description,
            "venue": event.venue, "address": event.address, "postal_code": event.postal_code,
            "latitude": event.latitude, "longitude": event.longitude,
            "is_private_home": event.is_private_home,
            "show_exact_location": event.show_exact_location,
            "starts": event.starts_at.astimezone(zone).time(),
            "ends": event.ends_at.astimezone(zone).time(),
            "activities": [a.slug for a in event.activities.all()],
            "expected_attendance": event.expected_attendance,
            "accessibility_notes": event.accessibility_notes,
            "visits": [r.unit_kind for r in requests],
            "visit_time": next((r.preferred_time for r in requests if r.preferred_time), None),
            "rain_date_declined": event.rain_date is None, "rain_date": event.rain_date,
            "host_name": host.name, "host_email": host.email, "host_phone": host.phone,
            "host_organization": host.organization,
            "closure": closure is not None,
        }
        if closure:
            initial.update({
                "closure_street": closure.street, "closure_from_street": closure.from_street,
                "closure_to_street": closure.to_street, "closure_blocks": closure.blocks,
                "closure_residential": closure.residential,
                "closure_consent": closure.consent_attested,
            })
        pending = getattr(event, "pending_change", None)
        if pending is not None:  # the host goes on from the change that waits for review
            values = {name: event._meta.get_field(name).to_python(value)
                      for name, value in pending.values.items()}
            initial.update({name: values[name] for name in (
                "title", "kind", "description", "venue", "address", "postal_code", "latitude",
                "longitude", "is_private_home", "show_exact_location", "accessibility_notes",
            ) if name in values})
            for name, moment in (("starts", "starts_at"), ("ends", "ends_at")):
                if moment in values:
                    initial[name] = values[moment].astimezone(zone).time()
            if "rain_date" in values:
                initial.update({"rain_date": values["rain_date"],
                                "rain_date_declined": values["rain_date"] is None})
            if pending.activities is not None:
                initial["activities"] = pending.activities
        return initial


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class HostReportForm(PlainTextFields, forms.Form):
    attendance = forms.IntegerField(label="How many people came?", min_value=0,
                                    max_value=1_000_000)
    agencies = forms.ModelMultipleChoiceField(
        label="Who came to visit?", required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label="Anything the town should know?", required=False,
                            max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleImageField(label="Photos (optional)", required=False,
                                help_text="Up to 6 JPEG, PNG or WebP photos, 8 MB each and "
                                          f"{settings.UPLOAD_MAX_BYTES // 2**20} MB in all at a "
                                          "time (send more afterwards). Only the town's "
                                          "coordinators see them.")

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from nightout.registry.models import Agency

        self.fields["agencies"].queryset = Agency.objects.filter(
            Q(jurisdiction=season.jurisdiction) | Q(jurisdiction__isnull=True))


class LinkRequestForm(forms.Form):
    """A host who lost the private link gives the email they registered with."""

    email = forms.EmailField(label="The email you registered with", max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
