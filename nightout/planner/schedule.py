"""Times along one unit's ordered visits: the earliest schedule, dropping what cannot be made.

Shared by the solver, the baseline and re-planning (not by `validate`, which recomputes
on its own). A visit starts when the unit is there and the party is open (or at a pinned
appointment time), and must end by closing; the unit must be back by the end of its shift.
"""

from __future__ import annotations

from dataclasses import dataclass

from nightout.planner.problem import Point, Problem, Site, Unit
from nightout.planner.result import Itinerary, Stop
from nightout.planner.travel import TravelMatrix


@dataclass(frozen=True)
class Context:
    """A problem with its travel matrix computed once, and indexes to read it by point."""

    problem: Problem
    points: tuple[Point, ...]
    index: dict[Point, int]
    travel: TravelMatrix
    sites: dict[str, Site]
    appointments: dict[tuple[str, str], int]

    @classmethod
    def of(cls, problem: Problem) -> Context:
        points = tuple(problem.points())
        return cls(
            problem=problem,
            points=points,
            index={p: i for i, p in enumerate(points)},
            travel=problem.travel.matrix(points),
            sites=problem.site_by_id(),
            appointments={(p.site, p.kind): p.at for p in problem.pins if p.at is not None},
        )

    def window(self, site: Site, kind: str) -> tuple[int, int]:
        """Earliest and latest start of a visit of `kind` at `site`."""
        at = self.appointments.get((site.id, kind))
        if at is not None:
            return at, at
        return site.hours.start, site.hours.end - site.stay

    def duration(self, a: Point, b: Point) -> int:
        return self.travel.duration(self.index[a], self.index[b])


def itinerary(ctx: Context, unit: Unit, site_ids: list[str], *, leave: int | None = None,
              start_point: Point | None = None) -> tuple[Itinerary, list[str]]:
    """The earliest schedule of `unit` through `site_ids` in order, and the sites it had to drop."""
    leave = unit.shift.start if leave is None else leave
    here = unit.start if start_point is None else start_point
    free = leave
    stops: list[Stop] = []
    dropped: list[str] = []
    for sid in site_ids:
        site = ctx.sites[sid]
        early, late = ctx.window(site, unit.kind)
        arrival = free + ctx.duration(here, site.point)
        start = max(arrival, early)
        if start > late or (unit.max_stops is not None and len(stops) >= unit.max_stops):
            dropped.append(sid)
            continue
        stops.append(Stop(site=sid, kind=unit.kind, arrival=arrival, start=start,
                          departure=start + site.stay))
        here, free = site.point, start + site.stay
    while True:
        back = free + ctx.duration(here, unit.end)
        if back <= unit.shift.end or not stops:
            break
        dropped.append(stops.pop().site)
        if stops:
            here, free = ctx.sites[stops[-1].site].point, stops[-1].departure
        else:
            here, free = (unit.start if start_point is None else start_point), leave
    if not stops:
        back = leave
    return Itinerary(unit=unit.id, leave=leave, back=back, stops=tuple(stops)), dropped


class Builder:
    """Routes built by feasible insertion, with each stop's slack kept up to date.

    The slack ("max shift" in the orienteering literature) of a stop is how much later its
    visit could start without breaking any later visit or the return by the end of shift,
    so testing an insertion costs O(1) and applying one O(route length).
    """

    def __init__(self, ctx: Context, units: list[Unit], *, leave: dict[str, int] | None = None,
                 start_points: dict[str, Point] | None = None):
        self.ctx = ctx
        self.units = units
        self.leave = {u.id: (leave or {}).get(u.id, u.shift.start) for u in units}
        self.start_points = {u.id: (start_points or {}).get(u.id, u.start) for u in units}
        self.routes: dict[str, list[str]] = {u.id: [] for u in units}
        self._times: dict[str, tuple[list[int], list[int], list[int]]] = {}
        for u in units:
            self._refresh(u)

    def _nodes(self, unit: Unit) -> list[int]:
        ix = self.ctx.index
        return ([ix[self.start_points[unit.id]]]
                + [ix[self.ctx.sites[s].point] for s in self.routes[unit.id]] + [ix[unit.end]])

    def _refresh(self, unit: Unit) -> None:
        """Arrival, start and slack at every node (start point, stops, end point)."""
        ctx, route = self.ctx, self.routes[unit.id]
        nodes = self._nodes(unit)
        dur = ctx.travel.durations
        arr = [self.leave[unit.id]]
        start = [self.leave[unit.id]]
        lates = [self.leave[unit.id]]
        for k, sid in enumerate(route, start=1):
            site = ctx.sites[sid]
            early, late = ctx.window(site, unit.kind)
            prev_stay = ctx.sites[route[k - 2]].stay if k >= 2 else 0
            a = start[-1] + prev_stay + int(dur[nodes[k - 1], nodes[k]])
            arr.append(a)
            start.append(max(a, early))
            lates.append(late)
        last_stay = ctx.sites[route[-1]].stay if route else 0
        a = start[-1] + last_stay + int(dur[nodes[-2], nodes[-1]])
        arr.append(a)
        start.append(a)
        lates.append(unit.shift.end)
        slack = [0] * len(nodes)
        slack[-1] = unit.shift.end - a
        for k in range(len(nodes) - 2, -1, -1):
            slack[k] = min(lates[k] - start[k], start[k + 1] - arr[k + 1] + slack[k + 1])
        self._times[unit.id] = (arr, start, slack)

    def best_insertion(self, unit: Unit, sid: str) -> tuple[int, int] | None:
        """(added time, position) of the cheapest feasible insertion of `sid`, or None."""
        if unit.max_stops is not None and len(self.routes[unit.id]) >= unit.max_stops:
            return None
        ctx = self.ctx
        site = ctx.sites[sid]
        early, late = ctx.window(site, unit.kind)
        j = ctx.index[site.point]
        nodes = self._nodes(unit)
        arr, start, slack = self._times[unit.id]
        route = self.routes[unit.id]
        dur = ctx.travel.durations
        best = None
        for p in range(len(nodes) - 1):
            a, b = nodes[p], nodes[p + 1]
            dep_a = start[p] + (ctx.sites[route[p - 1]].stay if p >= 1 else 0)
            arr_j = dep_a + int(dur[a, j])
            if arr_j > late:
                continue
            st_j = max(arr_j, early)
            new_arr_b = st_j + site.stay + int(dur[j, b])
            delta = new_arr_b - arr[p + 1]
            if delta > (start[p + 1] - arr[p + 1]) + slack[p + 1]:
                continue
            added = int(dur[a, j]) + site.stay + int(dur[j, b]) - int(dur[a, b])
            if best is None or added < best[0]:
                best = (added, p)
        return best

    def insert(self, unit: Unit, sid: str, position: int) -> None:
        self.routes[unit.id].insert(position, sid)
        self._refresh(unit)

    def itineraries(self) -> list[Itinerary]:
        return [itinerary(self.ctx, u, self.routes[u.id], leave=self.leave[u.id],
                          start_point=self.start_points[u.id])[0] for u in self.units]
