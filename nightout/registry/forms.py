import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from nightout.registry import rules
from nightout.registry.dates import default_nno_date
from nightout.registry.models import (
    Activity,
    EventKind,
    EventStatus,
    RainDateRule,
    Season,
    UnitKind,
)
from nightout.registry.services import (
    SEASON_RULES,
    TIER_ERROR,
    ClosureInput,
    EventInput,
    FeeTierInput,
    HostInput,
    SeasonInput,
)
from nightout.text import PlainTextFields


class SeasonForm(forms.ModelForm):
    """A season whose date may be left blank: it then takes the default NNO date for the
    jurisdiction's state (first Tuesday of August; of October in Texas)."""

    class Meta:
        model = Season
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nno_date"].required = False

    def clean(self):
        data = super().clean()
        jurisdiction, year = data.get("jurisdiction"), data.get("year")
        if not data.get("nno_date") and jurisdiction and year:
            data["nno_date"] = default_nno_date(year, jurisdiction.state)
            self.instance.nno_date = data["nno_date"]
        return data


ERROR_FIELDS = {
    "location": "latitude",
    "closure": "closure_street",
    "ends_at": "ends",
    "starts_at": "starts",
}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields, or above the form."""
    for name, messages in error.message_dict.items():
        target = ERROR_FIELDS.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


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

    def to_input(self) -> EventInput:
        d = self.cleaned_data
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


class RejectForm(PlainTextFields, forms.Form):
    reason = forms.CharField(label="Reason, sent to the host", max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), *EventStatus.choices])
    flag = forms.ChoiceField(label="Needs a look", required=False, choices=[
        ("", "Anything"), ("change", "Host's change to review"),
        ("same_block", "Same block as another"), ("closure", "Closure to decide"), ("approximate", "Approximate pin"),
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


class ImportForm(PlainTextFields, forms.Form):
    file = forms.FileField(label="Spreadsheet (CSV or XLSX)")
    drop_columns = forms.CharField(
        label="Columns to leave out", required=False, max_length=500,
        help_text="Comma-separated, such as “Host name, Host phone”: they are never stored.",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
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


class TownDateTimeField(forms.DateTimeField):
    """A moment typed and shown in the town's time zone, whatever the server's zone is."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def prepare_value(self, value):
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return value.astimezone(self.zone)
        return value

    def to_python(self, value):
        with timezone.override(self.zone):
            return super().to_python(value)


def _time(label, help_text=""):
    return forms.TimeField(label=label, help_text=help_text,
                           widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


def _date(label, help_text="", required=True):
    return forms.DateField(label=label, help_text=help_text, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class SeasonSettingsForm(PlainTextFields, forms.Form):
    """The season's rules, as its coordinator sets them. Moments are in the town's zone."""

    nno_date = _date("National Night Out date")
    default_start = _time("Default start", "The usual hours of a party.")
    default_end = _time("Default end")
    earliest_start = _time("Earliest start", "No party may start before this.")
    latest_end = _time("Latest end", "No party may end after this.")
    registration_deadline = TownDateTimeField(label="Registration deadline", required=False)
    one_event_per_block = forms.BooleanField(
        label="One event per block", required=False,
        help_text="A second party on the same block is flagged for you.")
    closures_enabled = forms.BooleanField(
        label="Closures enabled", required=False,
        help_text="Hosts may ask to close their street.")
    permit_prefix = forms.CharField(
        label="Permit prefix", required=False, max_length=12,
        help_text="Permit numbers read PREFIX-YEAR-00001; the town's short name if empty.")
    neighbor_consent_percent = forms.IntegerField(
        label="Neighbor consent percent", min_value=0, max_value=100,
        help_text="Share of the households on the block who must agree to a closure; "
                  "0 for none.")
    visit_kinds = forms.MultipleChoiceField(
        label="Visit kinds", choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text="The kinds of visit hosts may ask for.")
    visit_request_lead_days = forms.IntegerField(
        label="Visit request lead days", required=False, min_value=0, max_value=365,
        help_text="Visits must be asked for at least this many days before the night; "
                  "empty for no limit.")
    visit_times_allowed = forms.BooleanField(
        label="Visit times allowed", required=False,
        help_text="Hosts may ask for a visit at a particular time.")
    rain_date_rule = forms.ChoiceField(label="Rain date rule", choices=RainDateRule.choices,
                                       widget=forms.RadioSelect)
    rain_date = _date("Rain date", "Only with “One rain date for the whole town”.",
                      required=False)
    notes = forms.CharField(label="Notes", required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="For you and the other coordinators; never public.")

    def __init__(self, *args, season: Season, **kwargs):
        super().__init__(*args, **kwargs)
        town = season.jurisdiction
        self.fields["registration_deadline"].zone = town.zone
        self.fields["registration_deadline"].help_text = (
            f"In {town.name}'s time ({town.time_zone}). Registrations after this moment "
            "are refused; empty for none.")
        self.fields["nno_date"].help_text = (
            f"The default for {season.year} is "
            f"{default_nno_date(season.year, town.state):%A %-d %B}.")
        if not self.is_bound:
            self.initial = {name: getattr(season, name) for name in SEASON_RULES}
            self.initial["visit_kinds"] = season.offered_visit_kinds

    def to_rules(self) -> dict:
        return {name: self.cleaned_data[name] for name in SEASON_RULES}


class FeeTierForm(PlainTextFields, forms.Form):
    """One closure fee tier."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    filed_by = TownDateTimeField(label="Filed by", help_text="The last moment for this fee.")
    fee = forms.DecimalField(label="Fee ($)", min_value=0, max_digits=8, decimal_places=2,
                             help_text="0 for free.")
    label = forms.CharField(label="Label", required=False, max_length=80,
                            help_text="Such as “On time” or “Late fee”.")
    max_blocks = forms.IntegerField(label="At most this many blocks", required=False,
                                    min_value=1, max_value=100)
    residential_only = forms.BooleanField(label="Residential streets only", required=False)

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filed_by"].zone = zone


class BaseFeeTierFormSet(forms.BaseFormSet):
    deletion_widget = forms.CheckboxInput

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this tier"

    def used_forms(self) -> list[forms.Form]:
        """The forms that say something: existing tiers and filled-in new ones."""
        return [f for f in self.forms
                if f.cleaned_data and (f.cleaned_data.get("id") or
                                       not f.cleaned_data.get("DELETE"))]

    def to_tiers(self) -> tuple[FeeTierInput, ...]:
        return tuple(
            FeeTierInput(id=d.get("id"), delete=bool(d.get("DELETE")),
                         filed_by=d.get("filed_by"), fee=d.get("fee"),
                         label=d.get("label", ""), max_blocks=d.get("max_blocks"),
                         residential_only=d.get("residential_only", False))
            for d in (f.cleaned_data for f in self.used_forms())
        )


FeeTierFormSet = forms.formset_factory(FeeTierForm, formset=BaseFeeTierFormSet, extra=2,
                                       can_delete=True, max_num=30, validate_max=True)


def fee_tier_formset(season: Season, data=None) -> BaseFeeTierFormSet:
    initial = None if data is not None else [
        {"id": t.pk, "filed_by": t.filed_by, "fee": t.fee, "label": t.label,
         "max_blocks": t.max_blocks, "residential_only": t.residential_only}
        for t in season.closure_tiers.all()
    ]
    return FeeTierFormSet(data, initial=initial, prefix="tiers",
                          form_kwargs={"zone": season.jurisdiction.zone})


def season_input(form: SeasonSettingsForm, tiers: BaseFeeTierFormSet) -> SeasonInput:
    return SeasonInput(rules=form.to_rules(), tiers=tiers.to_tiers())


def add_season_errors(form: SeasonSettingsForm, tiers: BaseFeeTierFormSet,
                      error: ValidationError) -> None:
    """Put season_update's errors by their fields, and a tier's by its row."""
    used = tiers.used_forms()
    prefix = TIER_ERROR.split("{")[0]
    for name, messages in error.message_dict.items():
        if name.startswith(prefix):
            n, _, field = name.removeprefix(prefix).partition(".")
            target = used[int(n)]
            for message in messages:
                target.add_error(field if field in target.fields else None, message)
            continue
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class NewSeasonForm(forms.Form):
    town = forms.ChoiceField(label="Town")
    year = forms.IntegerField(label="Year", min_value=1984, max_value=2200)

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.towns = {t.slug: t for t in towns}
        self.fields["town"].choices = [(t.slug, str(t)) for t in towns]

    def clean_town(self):
        return self.towns[self.cleaned_data["town"]]
