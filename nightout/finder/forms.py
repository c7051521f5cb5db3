"""The finder's search form: turns the query string into a `Search`."""

import hashlib

from django import forms

from nightout.finder.caching import cached_value
from nightout.finder.selectors import (
    FoundPlace,
    Search,
    activities,
    place_find,
    towns_with_events,
    years_with_events,
)

MILE_M = 1609.344
RADII = [("1", "1 mile"), ("2", "2 miles"), ("5", "5 miles"), ("10", "10 miles"),
         ("25", "25 miles")]


def search_choices() -> dict[str, list[tuple[str, str]]]:
    """The towns, activities and years to choose from (kept while the data is unchanged)."""
    return {
        "town": [("", "Any town")] + [(t.slug, f"{t.name}, {t.state}")
                                      for t in towns_with_events()],
        "activity": [("", "Any activity")] + [(a.slug, a.name) for a in activities()],
        "when": [("upcoming", "Upcoming"), ("all", "All seasons")] + [
            (str(y), str(y)) for y in years_with_events()],
    }


class SearchForm(forms.Form):
    q = forms.CharField(label="Address, ZIP code or town", required=False, max_length=120,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": "e.g. Chicopee or 55911"}))
    town = forms.ChoiceField(label="Town", required=False)
    radius = forms.ChoiceField(label="Within", choices=RADII, required=False, initial="2")
    date = forms.DateField(label="Date", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.ChoiceField(label="Activity", required=False)
    when = forms.ChoiceField(label="Season", required=False)
    near = forms.RegexField(regex=r"^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$", required=False,
                            widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        choices = cached_value("search-choices", search_choices)
        self.fields["town"].choices = choices["town"]
        self.fields["activity"].choices = choices["activity"]
        self.fields["when"].choices = choices["when"]
        self.place: FoundPlace | None = None

    def search(self) -> Search:
        """The parsed search (an empty one when the form is not valid)."""
        if not self.is_valid():
            return Search()
        data = self.cleaned_data
        centre, town, text = None, data["town"], ""
        if data["near"]:
            lat, lon = (round(float(v), 3) for v in data["near"].split(","))
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                centre = (lat, lon)
                self.place = FoundPlace("your location", lat, lon)
        elif data["q"]:
            # What the words name depends on the data only: kept like the pages.
            words = " ".join(data["q"].split())
            self.place = cached_value("place:" + hashlib.sha256(words.encode()).hexdigest(),
                                      lambda: place_find(text=data["q"]))
            if self.place is None:
                text = data["q"]
            elif self.place.town:
                town = town or self.place.town
            else:
                centre = (self.place.latitude, self.place.longitude)
        radius = float(data["radius"] or "2") * MILE_M
        return Search(town=town, centre=centre, radius_m=round(radius), day=data["date"],
                      activity=data["activity"], when=data["when"] or "upcoming", text=text)
