"""Spreadsheet import of events: CSV or XLSX, with the column names coordinators use.

Every row goes through the same rules as a host's registration (`event_register`). A check
applies every row inside one transaction and rolls it back, so the report lists every bad
row with its row number, column and what is wrong; applying writes all rows in one
transaction, or none. An import records what the town has already taken, so the host
deadlines (registration, visits, closures) do not apply to it. A row already imported (same
title and address, or the same `reference`) is left alone when unchanged and updated when
changed, so importing the same file twice changes nothing. Columns named in `drop_columns`
are removed as the file is read: they never reach the database, not even in the stored copy
of an upload. A cell holding what `nightout.text` refuses (a control character; a line break
or tab outside the description) makes its row bad, named by row and column. Only the
season's coordinators and the command line (`Actor.system("import")`) import.
"""

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nightout.accounts.permissions import can_manage_season
from nightout.errors import NotAllowed
from nightout.registry.imports import apply as _apply
from nightout.registry.imports import check as _check
from nightout.registry.imports.faults import ImportRow
from nightout.registry.models import (
    Activity,
    Event,
    EventKind,
    ImportBatch,
    ImportStatus,
    Season,
    UnitKind,
)
from nightout.registry.services import (
    Actor,
    ClosureInput,
    EventInput,
    HostInput,
    event_register,
    event_update,
)
from nightout.text import text_problem, with_newlines

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Canonical column → the names spreadsheets use for it (compared without case, spaces or
# punctuation). Documented in README.md; tests/registry/test_import.py keeps them in step.
COLUMNS = {
    "reference": ["reference", "ref", "id", "event id", "registration id"],
    "title": ["title", "event", "event name", "party name", "name of event", "event title"],
    "kind": ["kind", "type", "event type"],
    "description": ["description", "details", "notes"],
    "venue": ["venue", "place", "location name"],
    "address": ["address", "street address", "location", "event address"],
    "postal_code": ["zip", "zip code", "zipcode", "postal code", "postcode"],
    "latitude": ["latitude", "lat"],
    "longitude": ["longitude", "lon", "lng", "long"],
    "starts": ["start", "start time", "starts", "from", "begins"],
    "ends": ["end", "end time", "ends", "to", "until"],
    "activities": ["activities", "activity"],
    "expected_attendance": ["expected attendance", "attendance", "expected", "expected guests",
                            "number of guests"],
    "visits": ["visits", "visit requests", "requested visits", "visits requested"],
    "closure_street": ["closure street", "street to close", "street closure", "close street"],
    "closure_from": ["closure from", "from street", "from cross street"],
    "closure_to": ["closure to", "to street", "to cross street"],
    "closure_blocks": ["closure blocks", "blocks"],
    "host_name": ["host name", "host", "contact name", "block captain", "organizer"],
    "host_email": ["host email", "email", "contact email", "e-mail"],
    "host_phone": ["host phone", "phone", "contact phone", "telephone"],
    "host_organization": ["organization", "host organization", "block club"],
    "submitted": ["submitted", "submitted at", "timestamp", "registered", "registered at"],
}
REQUIRED = ["title", "address"]
# Columns whose cells may hold line breaks and tabs; every other cell is one line.
MULTI_LINE = {"description"}

NOT_A_SPREADSHEET = "This file is not a CSV or XLSX spreadsheet ({detail})."
TOO_BIG = "The file is larger than 5 MB; split it into smaller files."
TOO_MANY_ROWS = "The file has more than 20,000 rows; split it into smaller files."
EMPTY = "The file has no rows under its header."
MISSING_COLUMNS = "The file has no column for: {names}. Columns found: {found}."
ALREADY_APPLIED = "This upload was already applied."
HAS_ERRORS = "Nothing was written: fix the rows listed and upload the file again."
NOT_A_MOMENT = "“{cell}” is not a date and time."
NOT_ALLOWED = "You may not import events into {season}."


class ImportRefused(Exception):
    """The whole file is unusable (as opposed to a bad row, which goes in the report)."""


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(name or "").lower()).strip()


ALIASES = {_norm(alias): canonical for canonical, names in COLUMNS.items() for alias in names}


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    dropped: list[str] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, content: bytes, drop_columns: list[str] = ()) -> Table:
    if len(content) > MAX_BYTES:
        raise ImportRefused(TOO_BIG)
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        try:
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
            raw = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise ImportRefused(NOT_A_SPREADSHEET.format(detail=type(exc).__name__)) from exc
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:  # spreadsheets saved by older Excel on Windows
                text = content.decode("cp1252")
            except UnicodeDecodeError:
                raise ImportRefused(NOT_A_SPREADSHEET.format(detail="unknown text encoding")) \
                    from None
        if "\x00" in text:
            raise ImportRefused(NOT_A_SPREADSHEET.format(detail="binary content"))
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        raw = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    raw = [row for row in raw if any(row)]
    if not raw:
        raise ImportRefused(EMPTY)
    header, rows = raw[0], raw[1:]
    if not rows:
        raise ImportRefused(EMPTY)
    if len(rows) > MAX_ROWS:
        raise ImportRefused(TOO_MANY_ROWS)
    drop = {_norm(c) for c in drop_columns}
    keep = [i for i, name in enumerate(header) if _norm(name) not in drop]
    return Table(
        header=[header[i] for i in keep],
        rows=[[row[i] if i < len(row) else "" for i in keep] for row in rows],
        dropped=[name for name in header if _norm(name) in drop],
    )


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, applied: bool) -> str:
        if self.problems:
            bad = len({p.row for p in self.problems})
            return f"{bad} of {self.rows} rows have problems. {HAS_ERRORS}"
        verb = "Written" if applied else "Ready to write"
        return (f"{verb}: {self.created} new, {self.updated} changed, "
                f"{self.unchanged} unchanged, of {self.rows} rows.")

    def as_dict(self, applied: bool) -> dict:
        return {
            "rows": self.rows, "created": self.created, "updated": self.updated,
            "unchanged": self.unchanged, "dropped": self.dropped, "applied": applied,
            "summary": self.summary(applied),
            "problems": [{"row": p.row, "column": p.column, "message": p.message}
                         for p in self.problems],
        }


def _time(value: str) -> dt.time | None:
    value = value.strip().lower().replace(".", "")
    for fmt in ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p", "%I%p"):
        try:
            return dt.datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    return None


def _moment(value: str, season: Season) -> dt.datetime | None:
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %H:%M:%S",
                "%m/%d/%Y %H:%M", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            naive = dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=season.jurisdiction.zone)
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=season.jurisdiction.zone)


KIND_WORDS = {_norm(label): value for value, label in EventKind.choices} | {
    _norm(v): v for v in EventKind.values}
UNIT_WORDS = {_norm(label): value for value, label in UnitKind.choices} | {
    _norm(v): v for v in UnitKind.values} | {"police": "police", "fire": "fire",
                                             "fire truck": "fire", "ambulance": "ems",
                                             "mcgruff": "mcgruff", "mayor": "official",
                                             "elected official": "official", "k9": "k9"}


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,|/]", value) if part.strip()]


def _parse_row(cells: dict[str, str], season: Season, row: int, columns: dict[str, str],
               problems: list[RowProblem], activity_names: dict[str, str]) -> EventInput | None:
    """Turn one row into an EventInput; what cannot be read goes into `problems`."""
    before = len(problems)

    def problem(name: str, message: str) -> None:
        problems.append(RowProblem(row, columns.get(name, name), message))

    def number(name: str, kind=float):
        value = cells.get(name, "")
        if not value:
            return None
        try:
            return kind(value.replace(",", "") if kind is int else value)
        except ValueError:
            problem(name, f"“{value}” is not a number.")
            return None

    for name, value in cells.items():
        found = text_problem(value, multiline=name in MULTI_LINE)
        if found:
            problem(name, found.message("The cell"))
    if len(problems) > before:
        return None
    for name in REQUIRED:
        if not cells.get(name):
            problem(name, "This cell is empty.")
    starts = _time(cells["starts"]) if cells.get("starts") else season.default_start
    ends = _time(cells["ends"]) if cells.get("ends") else season.default_end
    if starts is None:
        problem("starts", f"“{cells['starts']}” is not a time such as 17:00 or 5:00 PM.")
    if ends is None:
        problem("ends", f"“{cells['ends']}” is not a time such as 21:00 or 9:00 PM.")
    kind = EventKind.BLOCK_PARTY
    if cells.get("kind"):
        kind = KIND_WORDS.get(_norm(cells["kind"]))
        if kind is None:
            problem("kind", f"“{cells['kind']}” is not one of: block party, community event, "
                            "kickoff.")
    visits = []
    for word in _split(cells.get("visits", "")):
        unit = UNIT_WORDS.get(_norm(word))
        if unit is None:
            problem("visits", f"“{word}” is not a kind of visit.")
        elif unit not in visits:
            visits.append(unit)
    activities = []
    for word in _split(cells.get("activities", "")):
        slug = activity_names.get(_norm(word))
        if slug is None:
            problem("activities", f"“{word}” is not a known activity.")
        else:
            activities.append(slug)
    closure = None
    if cells.get("closure_street"):
        blocks = number("closure_blocks", int) or 1
        closure = ClosureInput(street=cells["closure_street"],
                               from_street=cells.get("closure_from", ""),
                               to_street=cells.get("closure_to", ""), blocks=blocks,
                               consent_attested=True)
    latitude, longitude = number("latitude"), number("longitude")
    attendance = number("expected_attendance", int)
    if len(problems) > before:
        return None
    return EventInput(
        title=cells.get("title", ""), address=cells.get("address", ""), kind=kind,
        description=with_newlines(cells.get("description", "")), venue=cells.get("venue", ""),
        postal_code=cells.get("postal_code", ""), latitude=latitude, longitude=longitude,
        starts=starts, ends=ends, activities=activities, expected_attendance=attendance,
        visits=visits, closure=closure,
        host=HostInput(name=cells.get("host_name", ""), email=cells.get("host_email", ""),
                       phone=cells.get("host_phone", ""),
                       organization=cells.get("host_organization", "")),
    )


# A service error's field → the spreadsheet column it came from.
FIELD_COLUMNS = {
    "location": "latitude", "closure": "closure_street", "closure_street": "closure_street",
    "closure_from_street": "closure_from", "closure_to_street": "closure_to",
    "closure_consent": "closure_street", "ends": "ends", "__all__": "",
}


def _key(season: Season, cells: dict[str, str]) -> str:
    basis = cells.get("reference") or f"{_norm(cells.get('title'))}|{_norm(cells.get('address'))}"
    return hashlib.sha256(f"{season.pk}|{basis}".encode()).hexdigest()[:32]


def _fingerprint(cells: dict[str, str]) -> str:
    return hashlib.sha256(repr(sorted(cells.items())).encode()).hexdigest()[:32]


def import_rows(*, season: Season, table: Table, apply: bool, actor: Actor,
                staged: list[ImportRow] | None = None) -> Report:
    """Check (and with `apply`, write) every row in one transaction: for the season's
    coordinators and the system (the command line); anyone else is refused (`NotAllowed`).
    `staged` collects the rows read, only their mapped columns (the web import's staging)."""
    if not (actor.is_system or can_manage_season(actor.user, season)):
        raise NotAllowed(NOT_ALLOWED.format(season=season))
    columns: dict[str, str] = {}
    for name in table.header:
        canonical = ALIASES.get(_norm(name))
        if canonical and canonical not in columns:
            columns[canonical] = name
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ImportRefused(MISSING_COLUMNS.format(names=", ".join(missing),
                                                  found=", ".join(table.header)))
    index = {canonical: table.header.index(name) for canonical, name in columns.items()}
    report = Report(rows=len(table.rows), dropped=table.dropped)
    now = timezone.now()
    activity_names = {}
    for slug, name in Activity.objects.values_list("slug", "name"):
        activity_names[_norm(slug)] = activity_names[_norm(name)] = slug
    with transaction.atomic():
        for number, raw in enumerate(table.rows, start=2):  # row 1 is the header
            cells = {c: (raw[i] if i < len(raw) else "").strip() for c, i in index.items()}
            data = _parse_row(cells, season, number, columns, report.problems, activity_names)
            if data is None:
                continue
            if staged is not None:
                staged.append(ImportRow(
                    line=number, data=data, reference=cells.get("reference", ""),
                    submitted_at=_moment(cells.get("submitted", ""), season), columns=columns,
                    cells={columns[c]: value for c, value in cells.items()}))
            key, fingerprint = _key(season, cells), _fingerprint(cells)
            existing = Event.objects.filter(season=season, import_key=key).first()
            if existing and existing.import_fingerprint == fingerprint:
                report.unchanged += 1
                continue
            submitted = _moment(cells["submitted"], season) if cells.get("submitted") else None
            if cells.get("submitted") and submitted is None:
                report.problems.append(RowProblem(number, columns["submitted"],
                                                  NOT_A_MOMENT.format(cell=cells["submitted"])))
                continue
            try:
                with transaction.atomic():
                    if existing:
                        event = event_update(event=existing, data=data, actor=actor,
                                             deadlines=False)
                        report.updated += 1
                    else:
                        event = event_register(season=season, data=data, actor=actor,
                                               source="import", import_key=key,
                                               submitted_at=submitted or now, deadlines=False)
                        report.created += 1
                    Event.objects.filter(pk=event.pk).update(import_fingerprint=fingerprint)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    canonical = FIELD_COLUMNS.get(name, name)
                    column = columns.get(canonical) or (
                        columns["address"] if name == "location" else canonical)
                    for message in messages:
                        report.problems.append(RowProblem(number, column, message))
        if not apply or report.problems:
            transaction.set_rollback(True)
    return report


def events_import(*, season: Season, filename: str, content: bytes, apply: bool,
                  actor: Actor, drop_columns: list[str] = ()) -> Report:
    """Check (and with `apply`, write) a file's rows: the command line's import, as
    `Actor.system("import")`, or a coordinator's."""
    return import_rows(season=season, table=read_table(filename, content, drop_columns),
                       apply=apply, actor=actor)


def batch_check(*, season: Season, filename: str, file, drop_columns: list[str], user
                ) -> ImportBatch:
    """Check an upload and stage its rows (only the columns read, never the file) for the
    coordinator to apply after the preview."""
    content = file.read(MAX_BYTES + 1)
    table = read_table(filename, content, drop_columns)
    rows: list[ImportRow] = []  # staged only when every row is good
    report = import_rows(season=season, table=table, apply=False, actor=Actor.of(user),
                         staged=rows)
    mapping = {n: ALIASES.get(_norm(n), "") for n in table.header} | {n: "-" for n in table.dropped}
    return ImportBatch.objects.create(
        season=season, uploaded_by=user, uploaded_at=timezone.now(), filename=filename[:200],
        mapping=mapping, status=ImportStatus.CHECKED, report=report.as_dict(applied=False),
        rows=[row.as_json() for row in rows] if report.ok else [],
    )


@transaction.atomic
def batch_apply(*, batch: ImportBatch, user) -> ImportBatch:
    actor = Actor.of(user)
    _check.check_importer(actor, batch.season)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportStatus.APPLIED:
        raise ImportRefused(ALREADY_APPLIED)
    if batch.report.get("problems") or batch.status != ImportStatus.CHECKED:
        raise ImportRefused(HAS_ERRORS)
    rows = [ImportRow.from_json(row) for row in batch.rows]
    outcome = _apply.rows_apply(season=batch.season, rows=rows, actor=actor)
    report = Report(rows=outcome.rows, created=outcome.created, updated=outcome.changed,
                    unchanged=outcome.unchanged, dropped=batch.report.get("dropped", []),
                    problems=[RowProblem(f.line, f.column, f.message) for f in outcome.faults])
    batch.report = report.as_dict(applied=report.ok)
    if report.ok:
        batch.status, batch.rows = ImportStatus.APPLIED, []
    batch.save(update_fields=["report", "status", "rows"])
    return batch
