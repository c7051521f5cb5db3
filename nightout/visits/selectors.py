"""Reads for visits: versions, itineraries, the lock checks and the night-of board."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from nightout.plaintext import in_sentence
from nightout.registry.models import Event, EventStatus, Season, UnitKind, VisitRequest
from nightout.visits.models import PlanVersion, Stop, StopStatus, Unit, VersionStatus


def season_units(season: Season) -> QuerySet[Unit]:
    """The season's units with what their page shows and asks of each: the agency and its town
    (who may see and edit its units), the stations and the unit it rides along with."""
    return (Unit.objects.filter(season=season)
            .select_related("agency__jurisdiction", "start_station", "end_station",
                            "ride_along_with")
            .order_by("kind", "name"))


def plan_versions(season: Season) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(plan__season=season).order_by("-number")


def version_current(season: Season) -> PlanVersion | None:
    """The locked version, or else the newest finished one."""
    versions = plan_versions(season)
    return (versions.filter(locked=True).first()
            or versions.filter(status=VersionStatus.DONE).first())


def replan_pending(season: Season, shown: PlanVersion | None) -> PlanVersion | None:
    """The newest re-plan, when it is newer than the version the board shows and not done:
    still solving (the board says so) or failed (the board says so, with a retry)."""
    if shown is None:
        return None
    return (plan_versions(season).filter(origin="replan", number__gt=shown.number)
            .exclude(status=VersionStatus.DONE).first())


def version_stops(version: PlanVersion) -> QuerySet[Stop]:
    return (version.stops.select_related("unit__agency", "event", "done_by")
            .order_by("unit__kind", "unit__name", "order"))


def unit_stops(version: PlanVersion | None, unit: Unit) -> list[Stop]:
    if version is None:
        return []
    return list(version.stops.filter(unit=unit).select_related("event", "done_by")
                .order_by("order"))


@dataclass(frozen=True)
class VisitHistory:
    """How a unit's visit to a party changed along the plan's versions: how many times its
    time did, and when it last did (when that version was made)."""

    changes: int
    changed_at: dt.datetime


def visit_histories(version: PlanVersion | None, unit: Unit) -> dict[int, VisitHistory]:
    """Event id -> the history of `unit`'s visit there along the plan's finished versions,
    in the order they were made, up to `version` (one query)."""
    if version is None:
        return {}
    rows = (Stop.objects.filter(version__plan_id=version.plan_id, unit=unit,
                                version__number__lte=version.number)
            .filter(Q(version__status=VersionStatus.DONE) | Q(version=version))
            .order_by("version__number")
            .values_list("event_id", "start", "departure", "version__finished_at",
                         "version__created_at"))
    seen: dict[int, tuple] = {}
    histories: dict[int, VisitHistory] = {}
    for event_id, start, departure, finished_at, created_at in rows:
        made = finished_at or created_at
        before = seen.get(event_id)
        seen[event_id] = (start, departure)
        if before is None:
            histories[event_id] = VisitHistory(0, made)
        elif before != (start, departure):
            histories[event_id] = VisitHistory(histories[event_id].changes + 1, made)
    return histories


def event_expected_visits(event: Event) -> list[Stop]:
    """What a host sees: the kinds of unit expected and when, once the plan is locked."""
    version = plan_versions(event.season).filter(locked=True).first()
    if version is None:
        return []
    return list(version.stops.filter(event=event).select_related("unit", "version")
                .order_by("start"))


@dataclass(frozen=True)
class Finding:
    key: str
    kind: str  # uncovered, approximate, overlap, district, invalid
    text: str
    accepted: bool


def version_checks(version: PlanVersion) -> list[Finding]:
    """What the coordinator must fix or accept before locking."""
    stops = list(version_stops(version))
    accepted = set(version.accepted)
    found: list[tuple[str, str, str]] = []
    made = {(s.event_id, s.kind) for s in stops}
    kinds = set(Unit.objects.filter(season=version.season, active=True)
                .values_list("kind", flat=True))
    requests = (VisitRequest.objects.filter(event__season=version.season,
                                            event__status=EventStatus.APPROVED)
                .select_related("event").order_by("event__submitted_at", "event_id"))
    for r in requests:
        if (r.event_id, r.unit_kind) not in made:
            why = "" if r.unit_kind in kinds else " (no unit of this kind)"
            kind = in_sentence(r.get_unit_kind_display())
            found.append((f"uncovered:{r.event_id}:{r.unit_kind}", "uncovered",
                          f"{r.event.title}: no {kind} visit{why}"))
    for s in stops:
        if s.event.pin_is_approximate:
            found.append((f"approximate:{s.event_id}", "approximate",
                          f"{s.event.title}: the pin is approximate "
                          f"({s.event.get_location_precision_display().lower()}); "
                          f"{s.unit} may not find it"))
        if s.unit.district and s.event.district and s.unit.district != s.event.district:
            found.append((f"district:{s.pk}:{s.unit_id}:{s.event_id}", "district",
                          f"{s.unit} ({s.unit.district}) visits {s.event.title} "
                          f"in {s.event.district}"))
    by_unit = defaultdict(list)
    for s in stops:
        by_unit[s.unit_id].append(s)
    # A rider follows its unit: a rider with stops of its own is in two places at once too.
    riders = {u.pk: u.ride_along_with_id for u in
              Unit.objects.filter(season=version.season, ride_along_with__isnull=False)}
    for rider, host in riders.items():
        if rider in by_unit and host in by_unit:
            by_unit[rider] = by_unit[rider] + by_unit[host]
    for unit_id, mine in by_unit.items():
        mine.sort(key=lambda s: s.start)
        for a, b in zip(mine, mine[1:], strict=False):
            if b.start < a.departure:
                found.append((f"overlap:{unit_id}:{a.event_id}:{b.event_id}", "overlap",
                              f"{a.unit if a.unit_id == unit_id else b.unit} is at "
                              f"{a.event.title} and {b.event.title} at once "
                              f"({timezone.localtime(b.start):%H:%M})"))
    for i, text in enumerate(version.problems or []):
        found.append((f"invalid:{i}", "invalid", text))
    seen = Counter()
    findings = []
    for key, kind, text in found:
        seen[key] += 1
        if seen[key] > 1:
            continue
        findings.append(Finding(key=key, kind=kind, text=text, accepted=key in accepted))
    return findings


@dataclass
class BoardUnit:
    unit: Unit
    stops: list[Stop]
    next: Stop | None
    late: bool
    done: int  # visits this unit made
    done_by_others: int  # its stops another unit made (a tap from the old plan's phone)


@dataclass
class DistrictCoverage:
    district: str
    planned: int  # visits the version makes
    asked: int  # visits asked for
    by_kind: list[tuple[int, int]]  # (planned, asked) per kind, in the order of the kinds

    @property
    def percent(self) -> int:
        return round(100 * self.planned / self.asked) if self.asked else 0


@dataclass
class Coverage:
    kinds: list[tuple[str, str]]  # the kinds the season has units of its own for: (value, label)
    rows: list[DistrictCoverage]  # lowest share first
    unserved: list[tuple[str, int]]  # kinds asked for that no unit makes: (label, visits)


def version_coverage(version: PlanVersion, stops: list[Stop] | None = None) -> Coverage:
    """Per district, the visits asked for and how many the version makes (of `stops`, when the
    caller has them already), in all and per kind of visit, lowest share first: what a
    coordinator looks at to judge whether a plan is fair to every district. Visits of a kind
    the season has no unit for are counted apart: no plan can make them."""
    planned = ({(s.event_id, s.kind) for s in stops} if stops is not None
               else set(version.stops.values_list("event_id", "kind")))
    # A unit riding along goes where its local unit goes: it makes no visits of its own kind.
    served = set(Unit.objects.filter(season=version.season, ride_along_with__isnull=True)
                 .values_list("kind", flat=True))
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    unserved: Counter = Counter()
    for event_id, kind, district in (
            VisitRequest.objects
            .filter(event__season=version.season, event__status=EventStatus.APPROVED)
            .values_list("event_id", "unit_kind", "event__district")):
        if kind not in served:
            unserved[kind] += 1
            continue
        cell = tally[district or "—"][kind]
        cell[1] += 1
        cell[0] += (event_id, kind) in planned
    kinds = [(k.value, k.label) for k in UnitKind if k.value in served]
    rows = []
    for district, cells in tally.items():
        by_kind = [tuple(cells[k]) if k in cells else (0, 0) for k, _ in kinds]
        rows.append(DistrictCoverage(district, sum(p for p, _ in by_kind),
                                     sum(a for _, a in by_kind), by_kind))
    return Coverage(kinds=kinds, rows=sorted(rows, key=lambda r: (r.percent, r.district)),
                    unserved=[(k.label, unserved[k.value]) for k in UnitKind if unserved[k.value]])


def night_board(version: PlanVersion, now) -> dict:
    """Every unit with its stops and live state, every party's state, coverage by district."""
    stops = list(version_stops(version))
    units = []
    by_unit = defaultdict(list)
    for s in stops:
        by_unit[s.unit_id].append(s)
    for unit in season_units(version.season).filter(ride_along_with__isnull=True):
        mine = by_unit.get(unit.pk, [])
        upcoming = [s for s in mine if s.status in (StopStatus.PLANNED, StopStatus.ARRIVED)]
        nxt = upcoming[0] if upcoming else None
        late = bool(nxt and nxt.status == StopStatus.PLANNED and nxt.start < now)
        others = sum(s.done_by_another for s in mine)
        units.append(BoardUnit(unit=unit, stops=mine, next=nxt, late=late,
                               done=sum(s.status == StopStatus.DONE for s in mine) - others,
                               done_by_others=others))
    districts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # done, planned, requested
    # Only what the board shows of 1,500 parties, and their requests in one flat query: the
    # board is refreshed all night, by every coordinator.
    events = (Event.objects.filter(season=version.season, status=EventStatus.APPROVED)
              .only("pk", "title", "address", "district").order_by("pk"))
    kinds_of = defaultdict(list)
    for event_id, kind in (VisitRequest.objects
                           .filter(event__season=version.season, event__status=EventStatus.APPROVED)
                           .order_by("pk").values_list("event_id", "unit_kind")):
        kinds_of[event_id].append(kind)
    planned = {(s.event_id, s.kind): s for s in stops}
    next_ids = {b.next.pk for b in units if b.next is not None}
    parties = []
    for e in events:
        states = []
        for kind in kinds_of.get(e.pk, ()):
            tally = districts[e.district or "—"]
            tally[2] += 1
            s = planned.get((e.pk, kind))
            if s is None:
                states.append("uncovered")
                continue
            tally[1] += 1
            if s.status == StopStatus.DONE:
                tally[0] += 1
                states.append("visited")
            elif s.status == StopStatus.SKIPPED:
                states.append("skipped")
            elif s.status == StopStatus.PLANNED and s.start < now:
                states.append("late")
            else:
                states.append("next" if s.pk in next_ids else "planned")
        if states:
            parties.append((e, states))
    return {
        "units": units,
        "parties": parties,
        "districts": sorted((d, *t) for d, t in districts.items()),
        "counts": sorted(Counter(st for _, states in parties for st in states).items()),
    }
