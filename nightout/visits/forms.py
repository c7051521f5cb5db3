from django import forms

from nightout.registry.models import Agency, AgencyKind, Station, UnitKind
from nightout.text import PlainTextFields
from nightout.visits.models import Unit


class BuildForm(forms.Form):
    seconds = forms.IntegerField(min_value=1, max_value=600, initial=30,
                                 label="Time budget (seconds)")
    fair_share = forms.IntegerField(
        min_value=0, max_value=100, initial=0, required=False,
        label="Fair share by district (%)",
        help_text="0 for the most parties overall. With 30, every district should get 30 % of the "
                  "visits of each kind asked for in it. A share every district already gets "
                  "changes nothing; otherwise the plan reaches somewhat fewer parties, spread more "
                  "evenly. Compare the versions' coverage by district.")
    seed = forms.IntegerField(
        min_value=1, initial=1, required=False,
        help_text="The same seed and budget give the same plan; another seed gives another plan "
                  "of about the same quality.")


class TapForm(forms.Form):
    """What a crew's phone sends with a tap besides its status: its own id for the tap and
    the time on its clock (ISO 8601 with a zone). A form without JavaScript sends neither;
    a value that does not parse is left out, and the tap still lands."""

    tap = forms.UUIDField(required=False)
    tapped_at = forms.DateTimeField(required=False)

    def tap_fields(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in ("tap", "tapped_at")}


class UnitForm(PlainTextFields, forms.Form):
    agency = forms.ModelChoiceField(Agency.objects.none())
    kind = forms.ChoiceField(choices=UnitKind.choices)
    name = forms.CharField(max_length=120)
    shift_start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    shift_end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    start_station = forms.ModelChoiceField(Station.objects.none())
    end_station = forms.ModelChoiceField(Station.objects.none(), required=False,
                                         help_text="Empty: back where it started.")
    district = forms.ChoiceField(required=False, help_text="Keep the unit in this district.")
    max_stops = forms.IntegerField(min_value=1, required=False)
    ride_along_with = forms.ModelChoiceField(
        Unit.objects.none(), required=False,
        help_text="An outside agency riding with a local unit.")

    def __init__(self, *args, agencies, units, districts=(), **kwargs):
        """`districts`: the town's (and those its registrations name); a unit's district that
        is none of them (typed before there was a list) is offered too, marked."""
        super().__init__(*args, **kwargs)
        current = self.initial.get("district") or ""
        self.fields["district"].choices = [("", "Anywhere in the town"), *(
            (name, name) for name in districts)] + (
            [(current, f"{current} (not one of the town's districts)")]
            if current and current not in districts else [])
        self.fields["agency"].queryset = agencies
        self.fields["start_station"].queryset = (
            Station.objects.filter(agency__in=agencies)
            | Station.objects.filter(agency__jurisdiction__isnull=True)
        ).select_related("agency")  # a station's label names its agency
        self.fields["end_station"].queryset = self.fields["start_station"].queryset
        self.fields["ride_along_with"].queryset = units

    def clean(self):
        data = super().clean()
        start, end = data.get("shift_start"), data.get("shift_end")
        if start and end and end <= start:
            self.add_error("shift_end", f"The shift must end after it starts ({start:%H:%M}); "
                                        "a shift past midnight ends at 23:59 at the latest.")
        return data


class MoveForm(forms.Form):
    stop = forms.IntegerField()
    unit = forms.IntegerField()
    position = forms.IntegerField(min_value=1, required=False)


class ReplanForm(forms.Form):
    drop = forms.IntegerField(required=False, help_text="A unit that dropped out.")
    late = forms.IntegerField(required=False, help_text="A unit running late.")
    minutes = forms.IntegerField(min_value=0, max_value=240, required=False, initial=30)
    seconds = forms.IntegerField(min_value=1, max_value=60, initial=5)
    now = forms.TimeField(required=False, help_text="Re-plan from this time (default: now).",
                          widget=forms.TimeInput(attrs={"type": "time"}))


class AgencyForm(PlainTextFields, forms.Form):
    name = forms.CharField(max_length=160, help_text="As people know it: “Lakeport Police "
                                                     "Department”.")
    kind = forms.ChoiceField(choices=AgencyKind.choices)
    website = forms.URLField(required=False, assume_scheme="https")
    outside = forms.BooleanField(
        label="An outside agency, of no town", required=False,
        help_text="The State Police, a federal agency, the military: every town may use its "
                  "units. Only site administrators add these.")

    def __init__(self, *args, outside: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not outside:
            del self.fields["outside"]


class StationForm(PlainTextFields, forms.Form):
    name = forms.CharField(max_length=120, help_text="Such as “Headquarters” or “Station 3”.")
    address = forms.CharField(
        max_length=200, required=False,
        help_text="Typing it moves the map near it; the pin is the station's place.")
    latitude = forms.FloatField(
        label="Map pin: latitude", min_value=-90, max_value=90,
        help_text="Set by the map: click it or drag the pin to the station.",
        widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.FloatField(label="Map pin: longitude", min_value=-180, max_value=180,
                                 widget=forms.NumberInput(attrs={"step": "any"}))


class TokenForm(PlainTextFields, forms.Form):
    name = forms.CharField(label="What it is for", max_length=120,
                           help_text="Such as “Dispatch console” or “Crew tablets”.")
