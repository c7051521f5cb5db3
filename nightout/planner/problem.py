"""What the planner is asked: sites (parties) with hours and requests, units with shifts.

Every time is an integer number of seconds (after midnight, in the jurisdiction's zone, or
any other origin as long as it is the same everywhere); every duration is integer seconds.
Points are (lat, lon) pairs for the haversine travel model, or (x, y) in travel units for
the planar model used by the literature benchmarks; the core never computes with them
directly, only through `travel.py`, which returns integer seconds and metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nightout.planner.travel import Haversine, TravelModel

Point = tuple[float, float]

ERROR_EMPTY_WINDOW = "time window {name} ends before it starts"
ERROR_DUPLICATE_ID = "duplicate {what} id {id!r}"
ERROR_UNKNOWN_ID = "{what} {id!r} is not in the problem"
ERROR_PIN_KIND = "pin {site!r}/{kind!r}: unit {unit!r} is of kind {unit_kind!r}"


@dataclass(frozen=True)
class TimeWindow:
    """A closed interval [start, end] of integer seconds."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(ERROR_EMPTY_WINDOW.format(name=f"[{self.start}, {self.end}]"))

    def contains(self, t: int) -> bool:
        return self.start <= t <= self.end


@dataclass(frozen=True)
class Site:
    """A party: where, when it is open, how long a visit stays, what it asks for.

    A visit may start at `hours.start` or later and must end (start + stay) by `hours.end`.
    `requests` lists the kinds of unit the party asked for; each is a separate visit.
    `priority` is the party's weight; a requested visit is worth priority x
    `Problem.requested_weight`, an unrequested one priority x `Problem.unrequested_weight`.
    """

    id: str
    point: Point
    hours: TimeWindow
    stay: int
    priority: int = 1
    requests: tuple[str, ...] = ()
    district: str = ""
    order: int = 0  # registration order, for the first-come-first-served baseline


@dataclass(frozen=True)
class Unit:
    """A squad car, an engine, the mayor's car: one vehicle or person that moves."""

    id: str
    kind: str
    shift: TimeWindow
    start: Point
    end: Point
    max_stops: int | None = None


@dataclass(frozen=True)
class Pin:
    """A visit that must be made by one unit; with `at`, at exactly that time (an appointment)."""

    site: str
    kind: str
    unit: str
    at: int | None = None


@dataclass(frozen=True)
class Problem:
    sites: tuple[Site, ...]
    units: tuple[Unit, ...]
    travel: TravelModel = field(default_factory=Haversine)
    pins: tuple[Pin, ...] = ()
    requested_weight: int = 1
    unrequested_weight: int = 0
    fair_share: int = 0  # percent of each district's requests favoured first; 0 = off
    made: frozenset[tuple[str, str]] = frozenset()  # (site, kind) visits already made tonight

    def __post_init__(self) -> None:
        for what, ids in (("site", [s.id for s in self.sites]),
                          ("unit", [u.id for u in self.units])):
            seen = set()
            for i in ids:
                if i in seen:
                    raise ValueError(ERROR_DUPLICATE_ID.format(what=what, id=i))
                seen.add(i)
        sites, units = self.site_by_id(), self.unit_by_id()
        for pin in self.pins:
            if pin.site not in sites:
                raise ValueError(ERROR_UNKNOWN_ID.format(what="site", id=pin.site))
            if pin.unit not in units:
                raise ValueError(ERROR_UNKNOWN_ID.format(what="unit", id=pin.unit))
            if units[pin.unit].kind != pin.kind:
                raise ValueError(ERROR_PIN_KIND.format(
                    site=pin.site, kind=pin.kind, unit=pin.unit, unit_kind=units[pin.unit].kind))

    def site_by_id(self) -> dict[str, Site]:
        return {s.id: s for s in self.sites}

    def unit_by_id(self) -> dict[str, Unit]:
        return {u.id: u for u in self.units}

    def kinds(self) -> list[str]:
        """The kinds of unit, in the order they first appear."""
        return list(dict.fromkeys(u.kind for u in self.units))

    def value(self, site: Site, kind: str) -> int:
        """What a visit of `kind` at `site` is worth (0 means it is not offered)."""
        if (site.id, kind) in self.made:
            return 0
        weight = self.requested_weight if kind in site.requests else self.unrequested_weight
        return site.priority * weight

    def points(self) -> list[Point]:
        """Every distinct point of the problem: unit starts and ends first, then sites."""
        seen: dict[Point, None] = {}
        for u in self.units:
            seen.setdefault(u.start)
            seen.setdefault(u.end)
        for s in self.sites:
            seen.setdefault(s.point)
        return list(seen)

    def total_value(self) -> int:
        """The score if every offered visit were made: an upper bound."""
        kinds = set(self.kinds())
        return sum(self.value(s, k) for s in self.sites for k in kinds)
