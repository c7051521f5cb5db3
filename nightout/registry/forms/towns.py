"""A town's forms: its name, state and time zone; its area, drawn on the map or uploaded; its
districts, uploaded. A drawn or uploaded shape is read (`area_read`, `districts_read`) when the
form is cleaned, so the preview and the save read the same GeoJSON."""

import json
import zoneinfo

from django import forms

from nightout.geo.areas import AreaError, area_read, districts_read
from nightout.registry.models import Region
from nightout.text import PlainTextFields

STATES = (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA VI WA WV WI WY GU AS MP").split()
# The zones of the United States first, by the names people know; then every other zone.
US_ZONES = (
    ("America/New_York", "Eastern (New York)"), ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"), ("America/Phoenix", "Mountain, no daylight saving "
                                              "(Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"), ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"), ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("America/Detroit", "Eastern (Detroit)"), ("America/Indiana/Indianapolis",
                                               "Eastern (Indianapolis)"),
    ("America/Boise", "Mountain (Boise)"), ("Pacific/Guam", "Chamorro (Guam)"),
)
NO_AREA = "Draw the town's area on the map, or choose a file (GeoJSON or KML)."
NO_DISTRICTS = "Choose a file of the districts (GeoJSON or KML)."


def zone_choices() -> list:
    named = {zone for zone, _ in US_ZONES}
    others = sorted(z for z in zoneinfo.available_timezones() if z not in named and "/" in z)
    return [("United States", list(US_ZONES)), ("Every other zone", [(z, z) for z in others])]


class TownForm(PlainTextFields, forms.Form):
    name = forms.CharField(label="Name of the town or department", max_length=120)
    state = forms.ChoiceField(label="State", choices=[(s, s) for s in STATES])
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text=("Every time of the town's seasons is on this clock. Corrected before any "
                   "party registers, the deadlines and fee tiers keep their times on it."))
    website = forms.URLField(label="The town's website", required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices()


def _read(form, field: str, reader, missing: str) -> dict | None:
    """The shape of an uploaded file or else of the drawing, read; None and the error on the
    field it came from if neither is there or it cannot be read."""
    upload = form.files.get(f"{field}_file") if form.files else None
    drawn = (form.data.get(f"{field}_drawn") or "").strip()
    source = upload.read() if upload else drawn
    where = f"{field}_file" if upload or f"{field}_drawn" not in form.fields or isinstance(
        form.fields[f"{field}_drawn"].widget, forms.HiddenInput) else f"{field}_drawn"
    if not source:
        form.add_error(f"{field}_file", missing)
        return None
    try:
        return reader(source)
    except AreaError as exc:
        message = str(exc)
        if not upload:  # typed or drawn, not a file
            message = message.replace("The file is", "This is").replace("The file holds",
                                                                          "This holds")
        form.add_error(where, message)
        return None


class AreaForm(PlainTextFields, forms.Form):
    """The town's limits: a file, or the shape drawn on the map (GeoJSON, which the map's
    script writes; without the script it can be pasted)."""

    area_file = forms.FileField(
        label="A file of the town's limits", required=False,
        help_text="GeoJSON or KML, as a county GIS site, Google My Maps or QGIS exports it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml,.xml"}))
    area_drawn = forms.CharField(
        label="Or the area as GeoJSON", required=False,
        help_text="Drawing on the map fills this in.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}))

    def clean(self):
        data = super().clean()
        data["boundary"] = _read(self, "area", area_read, NO_AREA)
        return data


class NewTownForm(TownForm, AreaForm):
    """A new town: its fields, its area, and (for an organizer) the region it joins."""

    region = forms.ModelChoiceField(label="Region", queryset=Region.objects.none(),
                                    required=False)

    def __init__(self, *args, regions, region_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].required = region_required
        if not region_required:
            self.fields["region"].empty_label = "No region"
        if len(regions) == 1 and region_required:
            self.fields["region"].initial = regions[0].pk


class DistrictsForm(forms.Form):
    districts_file = forms.FileField(
        label="A file of the districts", required=False,
        help_text=("GeoJSON or KML, one shape per district; its name is the shape's “name” "
                   "(or “district”, “ward”, “beat”) property, or its Placemark's name in KML."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml,.xml"}))
    districts_drawn = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        data["districts"] = _read(self, "districts", districts_read, NO_DISTRICTS)
        return data


def as_json(value: dict) -> str:
    return json.dumps(value, separators=(",", ":"))
