"""One kind of unit and the visits it may make, as PyVRP data."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from pyvrp import Client, Depot, Location, ProblemData, VehicleType

from nightout.planner.params import SearchParams
from nightout.planner.problem import Point, Site, TimeWindow, Unit
from nightout.planner.schedule import Context

RouteSpec = tuple[int, list[int]]  # vehicle type, client indices
NamedRoutes = list[tuple[str, list[str]]]  # (unit id, site ids in order), one per route


@dataclass
class Visit:
    site: Site
    value: int
    prize: int
    early: int
    late: int
    pinned_to: str | None


@dataclass
class Instance:
    """One kind of unit and the visits it may make, as PyVRP data."""

    kind: str
    visits: list[Visit]
    type_units: list[list[Unit]]  # vehicle type index -> its units
    data: ProblemData
    tiebreak: bool = True


def visits_of(ctx: Context, kind: str, units: list[Unit], bonus: dict[str, int],
              params: SearchParams) -> list[Visit]:
    """The visits of `kind` the units can make, each with its prize: its value, and `bonus`
    (points by site) for the visits a fair share puts first."""
    problem = ctx.problem
    pins = {p.site: p.unit for p in problem.pins if p.kind == kind}
    values = {s.id: problem.value(s, kind) for s in problem.sites}
    dur = ctx.travel.durations
    out = []
    for site in problem.sites:
        value = values[site.id]
        if value <= 0 and site.id not in pins:
            continue
        early, late = ctx.window(site, kind)
        if late < early:
            continue
        j = ctx.index[site.point]
        candidates = [u for u in units if u.id == pins[site.id]] if site.id in pins else units
        reachable = False
        for u in candidates:
            start = max(u.shift.start + int(dur[ctx.index[u.start], j]), early)
            if (start <= late
                    and start + site.stay + int(dur[j, ctx.index[u.end]]) <= u.shift.end):
                reachable = True
                break
        if not reachable and site.id not in pins:
            continue
        prize = (value + bonus.get(site.id, 0)) * params.prize_per_point
        out.append(Visit(site=site, value=value, prize=prize, early=early, late=late,
                         pinned_to=pins.get(site.id)))
    return out


def instance_of(ctx: Context, kind: str, units: list[Unit], visits: list[Visit],
                params: SearchParams, *, tiebreak: bool = True) -> Instance:
    """PyVRP's data: prize-collecting clients with time windows, one depot per start or end
    point, one vehicle type per shift, points and cap (a load dimension for `max_stops`), and
    a duration profile per pinned unit."""
    # Locations are keyed by point, except pinned visits, which get one of their own so that
    # they can be put out of reach of other units without hiding a party at the same place.
    keys: dict[Point | tuple[str, str], Point] = {}
    for u in units:
        keys.setdefault(u.start, u.start)
        keys.setdefault(u.end, u.end)
    for v in visits:
        key: Point | tuple[str, str] = ("pin", v.site.id) if v.pinned_to else v.site.point
        keys.setdefault(key, v.site.point)
    plist = list(keys.values())
    local = {k: i for i, k in enumerate(keys)}
    rows = [ctx.index[p] for p in plist]
    durations = ctx.travel.durations[np.ix_(rows, rows)].astype(np.int64)

    def loc(v: Visit) -> int:
        return local[("pin", v.site.id) if v.pinned_to else v.site.point]

    depot_points = list(dict.fromkeys([u.start for u in units] + [u.end for u in units]))
    depot_of = {p: i for i, p in enumerate(depot_points)}
    begin = min(u.shift.start for u in units)
    finish = max(u.shift.end for u in units)
    depots = [Depot(location=local[p], tw_early=begin, tw_late=finish) for p in depot_points]

    capped = any(u.max_stops is not None for u in units)
    pinned_units = sorted({v.pinned_to for v in visits if v.pinned_to})
    clients = [
        Client(location=loc(v), delivery=[1] if capped else [],
               service_duration=v.site.stay, tw_early=v.early, tw_late=v.late,
               prize=v.prize, required=v.pinned_to is not None, name=v.site.id)
        for v in visits
    ]

    # Ties between equal scores are broken by travel; its total must stay below a point.
    total_shift = sum(u.shift.end - u.shift.start for u in units)
    grain = max(1, math.ceil(2 * total_shift / params.prize_per_point))
    distances = -((-durations) // grain)
    if not tiebreak:
        # Re-planning: no travel cost, so the search only leaves the previous plan for a
        # strictly better score, and does not reshuffle stops to save a few minutes.
        distances = np.zeros_like(durations)

    # Pinned visits: only their unit may make them. Each pinned unit gets a profile of its
    # own in which the other units' pinned visits are out of reach, and the shared profile
    # has every pinned visit out of reach.
    durations_by_profile = [durations]
    profile_of_unit: dict[str, int] = {}
    if pinned_units:
        far = finish - begin + 1
        locs_of = {p: [loc(v) for v in visits if v.pinned_to == p] for p in pinned_units}
        everyone = [at for locs in locs_of.values() for at in locs]
        base = durations.copy()
        base[:, everyone] += far
        np.fill_diagonal(base, 0)
        durations_by_profile = [base]
        for pinned in pinned_units:
            own = durations.copy()
            others = [at for w, locs in locs_of.items() if w != pinned for at in locs]
            own[:, others] += far
            np.fill_diagonal(own, 0)
            profile_of_unit[pinned] = len(durations_by_profile)
            durations_by_profile.append(own)

    groups: dict[tuple[Point, Point, TimeWindow, int | None, int, str], list[Unit]] = {}
    for u in units:
        key_of_unit = (u.start, u.end, u.shift, u.max_stops, profile_of_unit.get(u.id, 0),
                       u.id if u.id in profile_of_unit else "")
        groups.setdefault(key_of_unit, []).append(u)
    vehicle_types, type_units = [], []
    for (start, end, shift, cap, profile, _), members in groups.items():
        vehicle_types.append(VehicleType(
            num_available=len(members),
            capacity=[cap if cap is not None else len(visits)] if capped else [],
            start_depot=depot_of[start], end_depot=depot_of[end],
            tw_early=shift.start, tw_late=shift.end, profile=profile,
            name=",".join(m.id for m in members)))
        type_units.append(members)

    # PyVRP's stub types a matrix as `np.ndarray[int]`, which no typed array matches.
    data = ProblemData(
        locations=[Location(float(p[0]), float(p[1])) for p in plist],
        clients=clients, depots=depots, vehicle_types=vehicle_types,
        distance_matrices=cast(Any, [distances] * len(durations_by_profile)),
        duration_matrices=cast(Any, durations_by_profile),
    )
    return Instance(kind=kind, visits=visits, type_units=type_units, data=data,
                    tiebreak=tiebreak)


def named(inst: Instance, routes: list[RouteSpec]) -> NamedRoutes:
    """Give each route to a unit of its vehicle type: (unit id, site ids in order)."""
    free = {t: list(us) for t, us in enumerate(inst.type_units)}
    out = []
    for vt, visits in routes:
        unit = free[vt].pop(0)
        out.append((unit.id, [inst.visits[i].site.id for i in visits]))
    return out


def unnamed(inst: Instance, routes: NamedRoutes) -> list[RouteSpec]:
    """The routes of `routes` as vehicle types and client indices (unknown units and sites
    left out)."""
    type_of = {u.id: t for t, us in enumerate(inst.type_units) for u in us}
    client_of = {v.site.id: i for i, v in enumerate(inst.visits)}
    return [(type_of[u], [client_of[s] for s in sites if s in client_of])
            for u, sites in routes if u in type_of]

