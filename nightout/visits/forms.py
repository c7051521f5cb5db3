from django import forms

from nightout.registry.models import Agency, Station, UnitKind
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
    district = forms.CharField(max_length=80, required=False)
    max_stops = forms.IntegerField(min_value=1, required=False)
    ride_along_with = forms.ModelChoiceField(
        Unit.objects.none(), required=False,
        help_text="An outside agency riding with a local unit.")

    def __init__(self, *args, agencies, units, **kwargs):
        super().__init__(*args, **kwargs)
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
