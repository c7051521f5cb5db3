"""JSON in and out: a Problem from a document, a Plan (and its check) to a document.

Times of day are integer seconds after midnight or "HH:MM" strings; durations (`stay`) are
integer seconds; points are [lat, lon] (or [x, y] with the planar model). See docs/planner.md.
"""

from __future__ import annotations

from typing import Any

from nightout.planner.problem import Pin, Problem, Site, TimeWindow, Unit
from nightout.planner.result import Itinerary, Plan, Report, Stop
from nightout.planner.travel import Haversine, Planar, RoadService, Table, TravelModel

ERROR_TIME = "time {value!r} is neither seconds nor HH:MM"
ERROR_MODEL = "unknown travel model {model!r}"


def seconds(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(ERROR_TIME.format(value=value))
    if isinstance(value, int):
        return value
    if isinstance(value, str) and ":" in value:
        hours, _, minutes = value.partition(":")
        if hours.isdigit() and minutes.isdigit():
            return int(hours) * 3600 + int(minutes) * 60
    raise ValueError(ERROR_TIME.format(value=value))


def _window(value: list[Any]) -> TimeWindow:
    return TimeWindow(seconds(value[0]), seconds(value[1]))


def _point(value: list[Any]) -> tuple[float, float]:
    return float(value[0]), float(value[1])


def travel_from_dict(doc: dict[str, Any] | None) -> TravelModel:
    doc = dict(doc or {"model": "haversine"})
    model = doc.pop("model", "haversine")
    if model == "haversine":
        return Haversine(**doc)
    if model == "planar":
        return Planar(**doc)
    if model == "road":
        return RoadService(**doc)
    if model == "table":
        return Table(points=tuple(_point(p) for p in doc["points"]),
                     durations=tuple(tuple(r) for r in doc["durations"]),
                     distances=tuple(tuple(r) for r in doc["distances"]))
    raise ValueError(ERROR_MODEL.format(model=model))


def travel_to_dict(travel: TravelModel) -> dict[str, Any]:
    if isinstance(travel, Haversine):
        return {"model": "haversine", "speed_kmh": travel.speed_kmh,
                "circuity_percent": travel.circuity_percent}
    if isinstance(travel, Planar):
        return {"model": "planar", "decimals": travel.decimals, "scale": travel.scale}
    if isinstance(travel, RoadService):
        return {"model": "road", "base_url": travel.base_url, "profile": travel.profile,
                "timeout_s": travel.timeout_s}
    if isinstance(travel, Table):
        return {"model": "table", "points": [list(p) for p in travel.points],
                "durations": [list(r) for r in travel.durations],
                "distances": [list(r) for r in travel.distances]}
    raise ValueError(ERROR_MODEL.format(model=type(travel).__name__))


def problem_from_dict(doc: dict[str, Any]) -> Problem:
    sites = tuple(
        Site(id=str(s["id"]), point=_point(s["point"]), hours=_window(s["hours"]),
             stay=int(s["stay"]), priority=int(s.get("priority", 1)),
             requests=tuple(s.get("requests", ())),
             district=str(s.get("district", "")), order=int(s.get("order", i)))
        for i, s in enumerate(doc["sites"])
    )
    units = tuple(
        Unit(id=str(u["id"]), kind=str(u["kind"]), shift=_window(u["shift"]),
             start=_point(u["start"]), end=_point(u.get("end", u["start"])),
             max_stops=u.get("max_stops"))
        for u in doc["units"]
    )
    pins = tuple(
        Pin(site=str(p["site"]), kind=str(p["kind"]), unit=str(p["unit"]),
            at=None if p.get("at") is None else seconds(p["at"]))
        for p in doc.get("pins", ())
    )
    return Problem(sites=sites, units=units, travel=travel_from_dict(doc.get("travel")), pins=pins,
                   requested_weight=int(doc.get("requested_weight", 1)),
                   unrequested_weight=int(doc.get("unrequested_weight", 0)),
                   fair_share=int(doc.get("fair_share", 0)),
                   made=frozenset((str(m["site"]), str(m["kind"])) for m in doc.get("made", ())))


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    return {
        "travel": travel_to_dict(problem.travel),
        "requested_weight": problem.requested_weight,
        "unrequested_weight": problem.unrequested_weight,
        "fair_share": problem.fair_share,
        "sites": [{"id": s.id, "point": list(s.point), "hours": [s.hours.start, s.hours.end],
                   "stay": s.stay, "priority": s.priority, "requests": list(s.requests),
                   "district": s.district, "order": s.order} for s in problem.sites],
        "units": [{"id": u.id, "kind": u.kind, "shift": [u.shift.start, u.shift.end],
                   "start": list(u.start), "end": list(u.end), "max_stops": u.max_stops}
                  for u in problem.units],
        "pins": [{"site": p.site, "kind": p.kind, "unit": p.unit, "at": p.at}
                 for p in problem.pins],
        "made": [{"site": s, "kind": k} for s, k in sorted(problem.made)],
    }


def plan_to_dict(plan: Plan, report: Report | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "score": plan.score,
        "note": plan.note,
        "itineraries": [
            {"unit": it.unit, "leave": it.leave, "back": it.back,
             "stops": [{"site": s.site, "kind": s.kind, "arrival": s.arrival, "start": s.start,
                        "departure": s.departure} for s in it.stops]}
            for it in plan.itineraries
        ],
    }
    if report is not None:
        doc["check"] = {"feasible": report.feasible, "score": report.score, "visits": report.visits,
                        "parties": report.parties, "errors": report.errors,
                        "districts": {d: {"made": m, "requested": r}
                                      for d, (m, r) in sorted(report.districts.items())}}
    return doc


def plan_from_dict(doc: dict[str, Any]) -> Plan:
    return Plan(
        itineraries=tuple(
            Itinerary(unit=str(it["unit"]), leave=seconds(it["leave"]), back=seconds(it["back"]),
                      stops=tuple(Stop(site=str(s["site"]), kind=str(s["kind"]),
                                       arrival=seconds(s["arrival"]), start=seconds(s["start"]),
                                       departure=seconds(s["departure"])) for s in it["stops"]))
            for it in doc["itineraries"]
        ),
        score=int(doc.get("score", 0)),
        note=str(doc.get("note", "")),
    )
