"""Checking an import's rows against the season and the database, writing nothing.

Every row goes through the rules of a registration (`registration_check`: the season's
hours, the town's limits, the visits it offers, the closure rules, every model's
validation), with the season's look-ups made once for the whole file (`SeasonFacts`) and the
season's events read in one query, so checking 5,000 rows makes the same few queries as
checking five. A fault names the line, the column as the file spells it, the cell and what
to do; a valid row is never reported.

Which event a row is: its `reference` when the file has one, else its address (read as
`rules.address_key` reads it) on the season's night (`row_key`). A row whose key an earlier
import of the season stored is unchanged when its values are the same (`row_fingerprint`:
nothing is written, no audit entry), changed otherwise (the event is updated on apply). Two
rows of one file for the same party, and a row for a party registered otherwise in the
season (the web, the API, another key), are faults: nothing is ever written over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils import timezone

from nightout.accounts.permissions import can_manage_season
from nightout.errors import Invalid, NotAllowed
from nightout.registry import rules
from nightout.registry.actors import Actor
from nightout.registry.imports.faults import Fault, ImportRow
from nightout.registry.models import Event, EventStatus, Season
from nightout.registry.services import (
    NO_LOCATION,
    Registration,
    SeasonFacts,
    event_as_input,
    registration_check,
)

# How often the check says how far it got (`progress(done, total)`).
PROGRESS_EVERY = 250

NOT_ALLOWED = "You may not import events into {season}."
SAME_PARTY = "The same party as line {line}; remove one of the two lines."
SAME_ADDRESS = ("Another party at the same address on the same night, line {line}, at other "
                "hours: give each line its own reference so they can be told apart, or "
                "remove one of the two.")
SAME_REFERENCE = ("The same reference as line {line}: each party has its own; correct one of "
                  "the two.")
ALREADY_REGISTERED = ("Already registered in the season as “{title}”, #{id}; remove this line "
                      "or change that event on its page.")
CANCELLED_SINCE = ("Imported before as “{title}”, #{id}, and cancelled since; remove this line "
                   "(that event stays cancelled).")
NO_PLACE = ("No latitude and longitude, and no ZIP code we can place in {town}: give the "
            "party's coordinates, or its ZIP code.")
OUTSIDE_TOWN = ("{latitude}, {longitude} is outside {town}: correct the latitude and longitude, "
                "or leave them empty and give the ZIP code.")
SWAPPED = ("Latitude and longitude look swapped: {latitude}, {longitude} is outside {town}, "
           "but the other way round it is inside. Swap the two values.")

# A service error's field -> the row's fields whose column it is named on (the first that
# the file has), when it is not the field itself.
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "__all__": (),
    "ends": ("ends", "starts"),
    "starts_at": ("starts",),
    "ends_at": ("ends", "starts"),
    "location": ("latitude", "longitude", "postal_code", "address"),
    "block_key": ("address",),
    "district": ("latitude", "address"),
    "closure": ("closure", "closure_street"),
    "closure_consent": ("closure", "closure_street"),
    "closure_street": ("closure_street", "closure"),
    "closure_from_street": ("closure_from", "closure"),
    "closure_to_street": ("closure_to", "closure"),
    "closure_blocks": ("closure_blocks", "closure"),
    "closure_barricades": ("closure_blocks", "closure"),
}


def check_importer(actor: Actor, season: Season) -> None:
    """Importing into a season: its coordinators and the system (the command line)."""
    if actor.is_system or (actor.host_of is None and actor.user is not None
                           and can_manage_season(actor.user, season)):
        return
    raise NotAllowed(NOT_ALLOWED.format(season=season))


def row_key(season: Season, row: ImportRow) -> str:
    """Which event the row is (`Event.import_key`): its reference, else its place and night."""
    reference = " ".join(row.reference.split()).casefold()
    basis = (f"reference|{reference}" if reference else
             f"address|{rules.address_key(row.data.address)}|{season.nno_date.isoformat()}")
    return hashlib.sha256(f"{season.pk}|{basis}".encode()).hexdigest()[:32]


def row_fingerprint(row: ImportRow) -> str:
    """What the row says of its event (`Event.import_fingerprint`): the same values, the
    same fingerprint, whatever line or file they came from."""
    values = row.as_json()["data"]
    reference = " ".join(row.reference.split()).casefold()  # as `row_key` reads it
    text = json.dumps([values, reference], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class Outcome:
    """What a check (or an apply) found: the faults, and which lines are new, changed or
    unchanged. Nothing is written unless `applied`."""

    rows: int = 0
    faults: list[Fault] = field(default_factory=list)
    new_lines: list[int] = field(default_factory=list)
    changed_lines: list[int] = field(default_factory=list)
    unchanged_lines: list[int] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.faults

    @property
    def created(self) -> int:
        return len(self.new_lines)

    @property
    def changed(self) -> int:
        return len(self.changed_lines)

    @property
    def unchanged(self) -> int:
        return len(self.unchanged_lines)

    def counts(self) -> dict[str, int]:
        return {"rows": self.rows, "created": self.created, "changed": self.changed,
                "unchanged": self.unchanged}


@dataclass
class Plan:
    """A checked file, ready to write (`imports.apply`): the new events' registrations and
    the changed rows with the events they change."""

    outcome: Outcome
    registrations: list[Registration] = field(default_factory=list)
    updates: list[tuple[ImportRow, int, str]] = field(default_factory=list)  # row, event, print
    existing: list[dict] = field(default_factory=list)  # the season's events, as read


def rows_check(*, season: Season, rows: list[ImportRow], actor: Actor,
               progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Check every row against the season's rules and the database; write nothing. For the
    season's coordinators and the system; anyone else is refused before anything is read."""
    check_importer(actor, season)
    return rows_plan(season=season, rows=rows, progress=progress).outcome


def rows_plan(*, season: Season, rows: list[ImportRow],
              progress: Callable[[int, int], None] | None = None) -> Plan:
    """The check itself, keeping what `imports.apply` writes. Callers check the actor."""
    now = timezone.now()
    facts = SeasonFacts(season)
    existing = list(Event.objects.filter(season=season).values(
        "pk", "title", "address", "starts_at", "ends_at", "status", "import_key",
        "import_fingerprint", "block_key", "submitted_at"))
    by_key = {e["import_key"]: e for e in existing if e["import_key"]}
    by_place = {}
    for event in existing:
        if event["status"] != EventStatus.CANCELLED:
            place = (rules.address_key(event["address"]), event["starts_at"], event["ends_at"])
            by_place.setdefault(place, event)
    plan = Plan(outcome=Outcome(rows=len(rows)), existing=existing)
    checker = _Checker(season=season, now=now, facts=facts, plan=plan, by_key=by_key,
                       by_place=by_place)
    total = len(rows)
    for done, row in enumerate(rows):
        if progress and done and done % PROGRESS_EVERY == 0:
            progress(done, total)
        checker.check(row)
    if progress:
        progress(total, total)
    plan.outcome.faults.sort(key=lambda f: (f.line, f.column))
    return plan


# What a file's column changes of an event, by the EventInput field it fills (ImportRow.columns).
MERGED = {"title": ("title",), "address": ("address",), "kind": ("kind",),
          "description": ("description",), "venue": ("venue",), "postal_code": ("postal_code",),
          "latitude": ("latitude", "longitude"), "longitude": ("latitude", "longitude"),
          "starts": ("starts",), "ends": ("ends",), "activities": ("activities",),
          "expected_attendance": ("expected_attendance",), "visits": ("visits",),
          "closure": ("closure",), "closure_street": ("closure",),
          "coordinator_notes": ("coordinator_notes",),
          "district": ("district",)}
HOST_FIELDS = {"host_name": "name", "host_email": "email", "host_phone": "phone",
               "host_organization": "organization"}


def row_merged(row: ImportRow, event: Event) -> ImportRow:
    """A line that changes an event imported before: the event as it is, with only what the
    file's mapped columns say put in (a column the file does not have, or left out, changes
    nothing: not the host's phone, the visits or the town's notes)."""
    said = set(row.columns)
    base = event_as_input(event)
    changes = {name: getattr(row.data, name)
               for column, names in MERGED.items() if column in said for name in names}
    host = {attribute: getattr(row.data.host, attribute)
            for column, attribute in HOST_FIELDS.items() if column in said}
    data = replace(base, **changes, host=replace(base.host, **host))
    return replace(row, data=data)


def _fault(row: ImportRow, names: tuple[str, ...], message: str) -> Fault:
    column = next((row.columns[n] for n in names if row.columns.get(n)), "")
    return Fault(line=row.line, column=column, value=row.cells.get(column, ""), message=message)


@dataclass
class _Checker:
    """One file's check: what the season holds, and what the file's earlier lines were."""

    season: Season
    now: dt.datetime
    facts: SeasonFacts
    plan: Plan
    by_key: dict[str, dict]
    by_place: dict[tuple, dict]
    seen_places: dict[tuple, int] = field(default_factory=dict)
    seen_keys: dict[str, int] = field(default_factory=dict)

    def check(self, row: ImportRow) -> None:
        season, outcome = self.season, self.plan.outcome
        key = row_key(season, row)
        address = rules.address_key(row.data.address)
        place = (address, season.at(season.nno_date, row.data.starts),
                 season.at(season.nno_date, row.data.ends))
        if address and place in self.seen_places:
            outcome.faults.append(_fault(row, ("address",),
                                         SAME_PARTY.format(line=self.seen_places[place])))
            return
        if key in self.seen_keys:
            message = (SAME_REFERENCE if row.reference.strip() else SAME_ADDRESS).format(
                line=self.seen_keys[key])
            outcome.faults.append(_fault(row, ("reference", "address"), message))
            return
        if address:
            self.seen_places[place] = row.line
        self.seen_keys[key] = row.line
        before = self.by_key.get(key)
        fingerprint = row_fingerprint(row)
        if before is not None and before["status"] == EventStatus.CANCELLED:
            outcome.faults.append(_fault(row, ("reference", "address"), CANCELLED_SINCE.format(
                title=before["title"], id=before["pk"])))
            return
        if before is not None and before["import_fingerprint"] == fingerprint:
            outcome.unchanged_lines.append(row.line)
            return
        other = self.by_place.get(place) if address else None
        if other is not None and (before is None or other["pk"] != before["pk"]):
            outcome.faults.append(_fault(row, ("address",), ALREADY_REGISTERED.format(
                title=other["title"], id=other["pk"])))
            return
        if before is not None:  # a changed line changes what its columns say, nothing else
            row = row_merged(row, Event.objects.select_related("season__jurisdiction",
                                                               "host_contact").get(pk=before["pk"]))
        try:
            checked = registration_check(
                season=season, data=row.data, at=row.submitted_at or self.now,
                source="import", import_key=key, deadlines=False, facts=self.facts)
        except Invalid as exc:
            outcome.faults.extend(service_faults(season, row, exc.message_dict))
            return
        if before is None:
            checked.event.import_fingerprint = fingerprint
            self.plan.registrations.append(checked)
            outcome.new_lines.append(row.line)
        else:
            self.plan.updates.append((row, before["pk"], fingerprint))
            outcome.changed_lines.append(row.line)


def service_faults(season: Season, row: ImportRow, messages: dict[str, list[str]]
                   ) -> list[Fault]:
    """A service's messages by field (`Invalid.message_dict`) as faults on the row's columns:
    each on the column its field came from, with that cell."""
    faults: list[Fault] = []
    for name, texts in messages.items():
        names = FIELD_COLUMNS.get(name, (name,))
        for text in texts:
            fault = _fault(row, names, text)
            if name == "location":
                fault = _location_fault(season, row, fault, text)
            if fault not in faults:
                faults.append(fault)
    return faults


def _location_fault(season: Season, row: ImportRow, fault: Fault, text: str) -> Fault:
    """The town's messages about the pin, said of a spreadsheet's columns."""
    town = season.jurisdiction
    data = row.data
    if text == NO_LOCATION.format(town=town.name):
        return _fault(row, ("latitude", "postal_code", "address"), NO_PLACE.format(
            town=town.name))
    if text == rules.OUTSIDE_JURISDICTION.format(town=town.name) and data.latitude is not None:
        lat, lon = data.latitude, data.longitude
        swapped = (abs(lon) <= 90 and abs(lat) <= 180
                   and rules.inside_jurisdiction(town, lon, lat))
        message = SWAPPED if swapped else OUTSIDE_TOWN
        return _fault(row, ("latitude", "longitude"), message.format(
            latitude=_degrees(lat), longitude=_degrees(lon), town=town.name))
    return fault


def _degrees(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")

