"""The fair share by district: which districts fall short, and the bonus that puts them first.

Pure: a problem and a plan in, points and counts out (no search library). `solve` uses it
between its two stages (see `Problem.fair_share` and docs/planner.md).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

from nightout.planner.params import SearchParams
from nightout.planner.problem import Problem, Site
from nightout.planner.result import Plan


class DistrictShare(NamedTuple):
    """One kind of visit in one district."""

    kind: str
    values: dict[str, int]  # the kind's value of every site, by site id
    sites: list[Site]  # the district's sites that ask for the kind (and value it)
    share: int  # `fair_share` percent of them, rounded up
    made: set[str]  # the ids of those the plan visits with a unit of the kind


def district_shares(problem: Problem, plan: Plan) -> Iterator[DistrictShare]:
    """Per kind the units serve (in order of name) and per district (in order of first site)."""
    kind_of = {u.id: u.kind for u in problem.units}
    made = {(s.site, kind_of[it.unit]) for it in plan.itineraries for s in it.stops}
    for kind in sorted(set(kind_of.values())):
        values = {s.id: problem.value(s, kind) for s in problem.sites}
        districts: dict[str, list[Site]] = {}
        for site in problem.sites:
            if kind in site.requests and values[site.id] > 0:
                districts.setdefault(site.district, []).append(site)
        for sites in districts.values():
            share = math.ceil(len(sites) * problem.fair_share / 100)
            yield DistrictShare(kind, values, sites, share,
                                {s.id for s in sites if (s.id, kind) in made})


def fairness_bonus(problem: Problem, plan: Plan,
                   params: SearchParams | None = None) -> dict[str, dict[str, int]]:
    """Bonus points by kind and site when `plan` leaves a district below `fair_share`.

    Per kind of visit and per district, the share is `fair_share` percent of the visits asked
    for (rounded up). If every district has its share, nothing. Else, in every district, the
    visits that make its share get a bonus: those the plan makes (the most valuable first),
    then the most valuable others (the earliest registered first). The first is worth
    `fair_bonus_visits` (ten) of the most valuable visits of its kind, each next one a little
    less (the last of a share of n, 1/n of the first). So the search makes every district's
    share before more visits where parties are denser, keeps the share of the districts that
    had it, and when a kind has too few units for every district's share (two ambulances for
    a whole city), each district's first visits come before another's later ones.
    """
    worth = (params or SearchParams()).fair_bonus_visits
    bonus: dict[str, dict[str, int]] = {}
    lagging = False
    for kind, values, sites, share, got in district_shares(problem, plan):
        lagging = lagging or len(got) < share
        top = max(values.values())
        first = sorted(sites, key=lambda s: (s.id not in got, -values[s.id], s.order, s.id))
        for rank, site in enumerate(first[:share]):
            bonus.setdefault(kind, {})[site.id] = math.ceil(worth * top * (share - rank) / share)
    return bonus if lagging else {}


def shortfall(problem: Problem, plan: Plan) -> int:
    """How many visits the districts below their fair share miss, over every kind."""
    return sum(max(0, d.share - len(d.made)) for d in district_shares(problem, plan))
