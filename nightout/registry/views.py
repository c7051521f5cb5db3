from itertools import groupby

from django.shortcuts import render

from nightout.registry.selectors import season_overview


def home(request):
    seasons = list(season_overview())
    years = [(year, list(group)) for year, group in groupby(seasons, key=lambda s: s.year)]
    return render(request, "registry/home.html", {"years": years})
