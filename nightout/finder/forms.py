"""The finder's search form: checks the query string and parses it into a `SearchQuery`.

It reads nothing: the towns, activities and years to choose from are given to it
(`nightout.finder.selectors.search_choices`), and what the words name is looked up by the
selector that searches (`search_results`)."""

import copy

from django import forms

from nightout.finder.selectors import SearchQuery

MILE_M = 1609.344
RADII = [("1", "1 mile"), ("2", "2 miles"), ("5", "5 miles"), ("10", "10 miles"),
         ("25", "25 miles")]
# What a search that names none of these uses, and what its form shows: a shared link such as
# `/?q=Chicopee` is searched, drawn and searched again from the form with these values.
DEFAULTS = {"radius": "2", "when": "upcoming"}


class SearchForm(forms.Form):
    q = forms.CharField(label="Address, ZIP code or town", required=False, max_length=120,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": "e.g. Chicopee or 55911"}))
    town = forms.ChoiceField(label="Town", required=False)
    radius = forms.ChoiceField(label="Within", choices=RADII, required=False,
                               initial=DEFAULTS["radius"])
    date = forms.DateField(label="Date", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    activity = forms.ChoiceField(label="Activity", required=False)
    when = forms.ChoiceField(label="Season", required=False)
    near = forms.RegexField(regex=r"^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$", required=False,
                            widget=forms.HiddenInput)

    def __init__(self, data=None, *, choices: dict[str, list[tuple[str, str]]], **kwargs):
        """`choices`: the towns, activities and seasons offered, by field name. A query
        string that leaves out a field with a default (or leaves it empty) has the default."""
        if data is not None and any(not data.get(name) for name in DEFAULTS):
            data = data.copy()
            for name, value in DEFAULTS.items():
                if not data.get(name):
                    data[name] = value
        self.base_fields = _fields_offering(choices)
        super().__init__(data, **kwargs)

    def query(self) -> SearchQuery:
        """The parsed query (an empty one when the form is not valid). A point given is
        searched around, and the words are then left aside; a point off the globe leaves
        both aside."""
        if not self.is_valid():
            return SearchQuery()
        data = self.cleaned_data
        near, words = None, data["q"]
        if data["near"]:
            words = ""
            lat, lon = (round(float(v), 3) for v in data["near"].split(","))
            if -90 <= lat <= 90 and -180 <= lon <= 180:
                near = (lat, lon)
        radius = float(data["radius"]) * MILE_M
        return SearchQuery(words=words, near=near, town=data["town"], radius_m=round(radius),
                           day=data["date"], activity=data["activity"], when=data["when"])

    def filters_in_use(self) -> int:
        """How many of the folded filters (town, distance, date, activity, season) narrow the
        search beyond their defaults."""
        if not self.is_valid():
            return 0
        data = self.cleaned_data
        return sum(1 for name in ("town", "radius", "date", "activity", "when")
                   if data[name] and data[name] != DEFAULTS.get(name))


class _Shared(dict):
    """Fields shared by the search forms made with the same choices. A form deep-copies its
    class's fields so that it may change its own; a search form changes none (cleaning and
    drawing only read them), and copying them, with the choices of their menus, was a third
    of the cost of a new search."""

    def __deepcopy__(self, memo):
        return dict(self)


_offering: tuple[object, _Shared] | None = None


def _fields_offering(choices: dict[str, list[tuple[str, str]]]) -> _Shared:
    """The form's fields with `choices` in its menus, made once for each choices object (the
    one `search_choices` keeps for the data's version)."""
    global _offering
    held = _offering
    if held is None or held[0] is not choices:
        fields = copy.deepcopy(SearchForm.base_fields)
        for name in ("town", "activity", "when"):
            fields[name].choices = choices[name]
        held = _offering = (choices, _Shared(fields))
    return held[1]
