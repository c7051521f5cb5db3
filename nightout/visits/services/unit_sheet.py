"""Several units at once, from a small spreadsheet (CSV or Excel) as an agency keeps its roster:
read with the registration import's readers (headers in any case and spelling, "5-9 PM",
"Engine", "Station 2"), every row checked before any is added (`unit_rows_read`), then added
together or not at all (`units_add`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from nightout.accounts.permissions import can_manage_agency, can_manage_season
from nightout.errors import Invalid
from nightout.registry.actors import Actor, audit_record
from nightout.registry.imports.cells import CellProblem, cell_text
from nightout.registry.imports.columns import column_key
from nightout.registry.imports.sheets import ImportRefused, book_read, sheet_pick
from nightout.registry.imports.times import Night, read_hours, read_time
from nightout.registry.imports.values import read_count, read_visit_kinds
from nightout.registry.models import Agency, Season, UnitKind
from nightout.visits.models import Unit
from nightout.visits.services.access import require

MAX_UNITS = 300
# Each column as people head it, by the unit's field it fills.
COLUMNS: dict[str, tuple[str, ...]] = {
    "agency": ("agency", "department", "dept", "organization"),
    "name": ("name", "unit", "unit name", "call sign", "callsign", "vehicle"),
    "kind": ("kind", "type", "unit type", "kind of unit", "makes"),
    "shift": ("shift", "hours", "on duty"),
    "shift_start": ("shift start", "start", "starts", "from"),
    "shift_end": ("shift end", "end", "ends", "until", "to"),
    "start_station": ("start station", "station", "starts at", "leaves from", "home station"),
    "end_station": ("end station", "ends at", "returns to", "back to"),
    "district": ("district", "sector", "beat", "area", "zone"),
    "max_stops": ("max stops", "most stops", "stops", "maximum stops"),
}
_HEADINGS = {column_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}

NO_NAME_COLUMN = ("The sheet has no column of the units' names: head it “Name” (the others: "
                  "Agency, Kind, Shift start, Shift end, Station, District).")
TOO_MANY = "The sheet has {n} units; add at most {max} at once."
NO_AGENCY = "No agency “{value}” on this page: add it first, or use its name as listed."
AGENCY_NEEDED = "Name the unit's agency."
NOT_YOURS = "You may not add units to {agency}."
NAME_NEEDED = "Give the unit a name."
NAME_TAKEN = "{name} is already a unit of this season."
NAME_TWICE = "{name} is on line {line} too."
KIND_UNKNOWN = "“{value}” is not a kind of unit: use one of {kinds}."
KIND_NEEDED = "Say what kind of unit it is: one of {kinds}."
SHIFT_NEEDED = "Give the shift's start and end (such as “5-9 PM”)."
SHIFT_BACKWARDS = "The shift must end after it starts."
NO_STATION = "{agency} has no station “{value}”: its stations are {stations}."
STATION_NEEDED = "{agency} has several stations: name the one the unit starts from."
NO_STATIONS = "{agency} has no station yet: add one on the agency's page first."
NO_DISTRICT = "“{value}” is not one of the town's districts ({districts})."


@dataclass
class UnitRow:
    """One line of the sheet: what it says, what it becomes, and what is wrong with it."""

    line: int
    shown: dict[str, str]
    fields: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        kind = self.fields.get("kind")
        return UnitKind(kind).label if kind else ""


def _agencies(season: Season, actor: Actor) -> list[Agency]:
    """The agencies whose units the units page adds: the town's and outside agencies (of no
    town), not retired."""
    return list(Agency.objects.filter(
        Q(jurisdiction=season.jurisdiction) | Q(jurisdiction=None), retired=False)
        .prefetch_related("stations").order_by("name"))


def _find(items, value: str, *names):
    key = column_key(value)
    return next((item for item in items
                 if any(column_key(str(getattr(item, n) or "")) == key for n in names)), None)


def _kind(text: str) -> str:
    kinds = ", ".join(UnitKind.labels)
    by_label = {column_key(label): value for value, label in UnitKind.choices}
    found = by_label.get(column_key(text)) or (text if text in UnitKind.values else None)
    if found:
        return found
    try:
        read = read_visit_kinds(text)
    except CellProblem:
        read = []
    if len(read) != 1:
        raise CellProblem(KIND_UNKNOWN.format(value=text, kinds=kinds))
    return read[0]


def unit_rows_read(*, season: Season, actor: Actor, filename: str, content: bytes
                   ) -> list[UnitRow]:
    """Every line of the sheet, checked; nothing is written. Refused (`Invalid`) when the
    file is not a spreadsheet, has no name column, or too many lines."""
    try:
        sheet = sheet_pick(book_read(filename, content))
    except ImportRefused as exc:
        raise Invalid({"sheet": str(exc)}) from None
    columns = {_HEADINGS[column_key(h)]: n for n, h in enumerate(sheet.header)
               if column_key(h) in _HEADINGS}
    if "name" not in columns:
        raise Invalid({"sheet": NO_NAME_COLUMN})
    if len(sheet.lines) > MAX_UNITS:
        raise Invalid({"sheet": TOO_MANY.format(n=len(sheet.lines), max=MAX_UNITS)})
    agencies = _agencies(season, actor)
    night = Night(season.earliest_start, season.latest_end)
    taken = {column_key(n) for n in Unit.objects.filter(season=season)
             .values_list("name", flat=True)}
    seen: dict[str, int] = {}
    rows = []
    for line in sheet.lines:
        def cell(name, cells=line.cells):
            n = columns.get(name)
            return cells[n] if n is not None and n < len(cells) else None
        row = UnitRow(line.number, {name: cell_text(cell(name)).strip() for name in COLUMNS})
        _check(row, cell, season=season, actor=actor, agencies=agencies, night=night)
        name = row.fields.get("name")
        if name:
            key = column_key(name)
            if key in taken:
                row.problems.append(NAME_TAKEN.format(name=name))
            elif key in seen:
                row.problems.append(NAME_TWICE.format(name=name, line=seen[key]))
            seen.setdefault(key, line.number)
        rows.append(row)
    return rows


def _check(row: UnitRow, cell, *, season, actor, agencies, night) -> None:  # noqa: C901
    problems, fields, text = row.problems, row.fields, row.shown
    agency = None
    if not text.get("agency"):
        agency = agencies[0] if len(agencies) == 1 else None
        if agency is None:
            problems.append(AGENCY_NEEDED)
    else:
        agency = _find(agencies, text["agency"], "name", "slug")
        if agency is None:
            problems.append(NO_AGENCY.format(value=text["agency"]))
    if agency is not None and not (can_manage_agency(actor.user, agency)
                                   or can_manage_season(actor.user, season)):
        problems.append(NOT_YOURS.format(agency=agency.name))
        agency = None
    fields["agency"] = agency
    if not text.get("name"):
        problems.append(NAME_NEEDED)
    else:
        fields["name"] = text["name"]
    kinds = ", ".join(UnitKind.labels)
    if text.get("kind"):
        try:
            fields["kind"] = _kind(text["kind"])
        except CellProblem as exc:
            problems.append(str(exc))
    else:
        problems.append(KIND_NEEDED.format(kinds=kinds))
    try:
        whole = ("shift" if text.get("shift") else "shift_start"
                 if text.get("shift_start") and not text.get("shift_end") else None)
        if whole:  # "5-9 PM" in one column, even one headed "Shift start"
            fields["shift_start"], fields["shift_end"] = read_hours(cell(whole), night)
        elif text.get("shift_start") and text.get("shift_end"):
            fields["shift_start"] = read_time(cell("shift_start"), night)
            fields["shift_end"] = read_time(cell("shift_end"), night)
        else:
            problems.append(SHIFT_NEEDED)
    except CellProblem as exc:
        problems.append(str(exc))
    start, end = fields.get("shift_start"), fields.get("shift_end")
    if start is not None and end is not None and end <= start:
        problems.append(SHIFT_BACKWARDS)
    if agency is not None:
        _stations(row, agency, text)
    fields["district"] = ""
    if text.get("district") and text["district"].casefold() not in ("anywhere", "any", "all"):
        names = season.jurisdiction.district_names
        found = next((n for n in names if column_key(n) == column_key(text["district"])), None)
        if names and found is None:
            problems.append(NO_DISTRICT.format(value=text["district"],
                                               districts=", ".join(names)))
        fields["district"] = found or (text["district"] if not names else "")
    if text.get("max_stops"):
        try:
            fields["max_stops"] = read_count(cell("max_stops"))
        except CellProblem as exc:
            problems.append(str(exc))
    if not problems:
        unit = Unit(season=season, **{k: v for k, v in fields.items()})
        try:
            unit.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems += [m for messages in exc.message_dict.values() for m in messages]


def _stations(row: UnitRow, agency: Agency, text: dict) -> None:
    stations = list(agency.stations.all())
    names = ", ".join(s.name for s in stations) or "none"
    if not stations:
        row.problems.append(NO_STATIONS.format(agency=agency.name))
        return
    for name, value in (("start_station", text.get("start_station")),
                        ("end_station", text.get("end_station"))):
        if value:
            station = _find(stations, value, "name")
            if station is None:
                row.problems.append(NO_STATION.format(agency=agency.name, value=value,
                                                      stations=names))
            row.fields[name] = station
    if not row.fields.get("start_station"):
        if len(stations) == 1:
            row.fields["start_station"] = stations[0]
        elif not text.get("start_station"):
            row.problems.append(STATION_NEEDED.format(agency=agency.name))
    if not row.fields.get("end_station"):
        row.fields["end_station"] = row.fields.get("start_station")


def shift_text(row: UnitRow) -> str:
    start, end = row.fields.get("shift_start"), row.fields.get("shift_end")
    if isinstance(start, dt.time) and isinstance(end, dt.time):
        return f"{start:%H:%M}–{end:%H:%M}"
    return row.shown.get("shift") or "–".join(
        v for v in (row.shown.get("shift_start"), row.shown.get("shift_end")) if v)


@transaction.atomic
def units_add(*, season: Season, actor: Actor, filename: str, content: bytes) -> list[Unit]:
    """Every unit of the sheet, or none: read and checked again (`unit_rows_read`), refused
    (`Invalid`, by line) if any line has a problem."""
    require(can_manage_season(actor.user, season) or any(
        can_manage_agency(actor.user, a) for a in _agencies(season, actor)), season, actor=actor)
    rows = unit_rows_read(season=season, actor=actor, filename=filename, content=content)
    wrong = {f"line {row.line}": row.problems for row in rows if row.problems}
    if wrong:
        raise Invalid(wrong)
    units = []
    for row in rows:
        unit = Unit(season=season, **row.fields)
        unit.full_clean()
        unit.save()
        units.append(unit)
    audit_record(actor=actor, season=season, action="units added", changes={
        "units": ", ".join(u.name for u in units), "from": filename})
    return units
