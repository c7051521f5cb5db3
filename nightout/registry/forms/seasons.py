"""A season's forms: the administration's, the coordinator's settings with the closure fee
tiers, and a new season."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from nightout.registry.dates import default_nno_date
from nightout.registry.models import (
    RainDateRule,
    Season,
    UnitKind,
)
from nightout.registry.services import (
    SEASON_RULES,
    TIER_ERROR,
    FeeTierInput,
    SeasonInput,
)
from nightout.text import PlainTextFields


class SeasonForm(forms.ModelForm):
    """A season whose date may be left blank: it then takes the default NNO date for the
    jurisdiction's state (first Tuesday of August; of October in Texas)."""

    class Meta:
        model = Season
        fields = [
            "jurisdiction", "year", "slug", "nno_date", "default_start", "default_end",
            "earliest_start", "latest_end", "registration_deadline", "one_event_per_block",
            "closures_enabled", "permit_prefix", "visit_kinds", "visit_request_lead_days",
            "visit_times_allowed", "neighbor_consent_percent", "rain_date_rule", "rain_date",
            "notes",
        ]

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
    default_start = _time("Usual start", "A new registration's start, until the host "
                                         "changes it.")
    default_end = _time("Usual end", "A new registration's end.")
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
