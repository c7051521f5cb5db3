"""A sheet and its mapping, read into the rows an import checks and writes (`ImportRow`), and
the faults found on the way (`Fault`): the cells that cannot be read, the lines with more
values than the header has columns, a date that is not the night, coordinates swapped or
missing. What the season's rules and the database say of a row is `check`'s.

Only mapped columns are read: a column left out, or one no field matched, is never looked at
again, so its cells reach nothing that is stored (the staged rows, the faults, the logs).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.formats import date_format

from nightout.finder.places import block_label
from nightout.plaintext import text_problem
from nightout.registry import rules
from nightout.registry.imports.columns import LEAVE_OUT, column_key
from nightout.registry.imports.faults import Fault, ImportRow
from nightout.registry.imports.sheets import Line, Sheet
from nightout.registry.imports.values import (
    CellProblem,
    Night,
    cell_text,
    read_coordinate,
    read_coordinates,
    read_count,
    read_date,
    read_email,
    read_hours,
    read_moment,
    read_phone,
    read_postal_code,
    read_text,
    read_time,
    read_visit_kinds,
    read_yes_no,
)
from nightout.registry.models import (
    Activity,
    Closure,
    Event,
    EventKind,
    HostContact,
    Season,
)
from nightout.registry.services import ClosureInput, EventInput, HostInput

EXTRA_VALUES = ("This line has more values than the header has columns ({count} more). "
                "Look for a stray comma or separator in the line, or give the column a header.")
NOT_THE_NIGHT = ("{day} is not the night of this season ({night}). Correct the date, or "
                 "import this party into the season of that night.")
NO_ADDRESS = "This party has no address. Give its street address."
HALF_A_PAIR = "Give both the latitude and the longitude, or neither."
NOT_A_KIND = "“{value}” is not a kind of event: write block party, community event or kickoff."
NOT_AN_ACTIVITY = "“{word}” is not an activity of this site: write one of {names}."
TITLE_MADE = "{kind}, {place}"
NOT_A_CLOSURE = ("“{value}” is neither yes nor no, nor a street: write yes (the party's own "
                 "street is closed), no, or the name of the street to close, such as Elm "
                 "Street.")
STREET = re.compile(r"\b(st|street|ave|avenue|av|rd|road|dr|drive|ln|lane|ct|court|way|blvd|"
                    r"boulevard|pl|place|ter|terrace|cir|circle|pkwy|parkway|sq|square|hwy|"
                    r"highway|trl|trail|row|alley|loop|run)\b\.?", re.IGNORECASE)
NUMERIC_DAY = re.compile(r"\d{1,2}[/-]\d{1,2}")
NEGATION = re.compile(r"\b(no|not|don'?t|without|never|none)\b", re.IGNORECASE)

# Text fields: (the model field that bounds the length, multi-line?).
TEXT_FIELDS = {
    "title": (Event, "title", False), "address": (Event, "address", False),
    "venue": (Event, "venue", False),
    "description": (Event, "description", True), "notes": (Event, "coordinator_notes", True),
    "district": (Event, "district", False), "host_name": (HostContact, "name", False),
    "host_organization": (HostContact, "organization", False),
    "closure_street": (Closure, "street", False), "closure_from": (Closure, "from_street", False),
    "closure_to": (Closure, "to_street", False), "reference": (Event, "import_key", False),
}
MULTI_LINE = {"description", "notes", "other"}
FORMULA_STARTS = ("=", "+", "-", "@")
# The EventInput field a mapped field's faults belong to, when a service names it.
INPUT_FIELDS = {
    "hours": ("starts", "ends"), "coordinates": ("latitude", "longitude", "location"),
    "latitude": ("latitude", "location"), "longitude": ("longitude",),
    "postal_code": ("postal_code", "location"), "closure": ("closure",),
    "closure_street": ("closure", "closure_street"), "closure_from": ("closure_from_street",),
    "closure_to": ("closure_to_street",), "closure_blocks": ("closure_blocks",),
    "visits": ("visits",),
    "other": ("visits", "coordinator_notes"), "notes": ("coordinator_notes",),
    "host_email": ("host_email",), "host_phone": ("host_phone",),
    "host_name": ("host_name",), "expected_attendance": ("expected_attendance",),
}
KIND_WORDS = {column_key(label): value for value, label in EventKind.choices} | {
    column_key(value): value for value in EventKind.values} | {
    "party": EventKind.BLOCK_PARTY, "blockparty": EventKind.BLOCK_PARTY,
    "community": EventKind.COMMUNITY_EVENT, "kickoffevent": EventKind.KICKOFF}


@dataclass
class RowsRead:
    rows: list[ImportRow] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # columns no field matched: not read
    left_out: list[str] = field(default_factory=list)  # columns the coordinator left out
    # Line -> its mapped cells, for the lines that could not be read (the CSV of lines to fix).
    fault_cells: dict[int, dict[str, str]] = field(default_factory=dict)


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length or 2000


def rows_read(*, sheet: Sheet, mapping: dict[str, str], season: Season) -> RowsRead:
    """Every line of `sheet` read through `mapping` (column as spelled → field name,
    `LEAVE_OUT`, or "" for a column nothing matched)."""
    read = RowsRead()
    columns: dict[str, tuple[int, str]] = {}  # field → (index, the column as spelled)
    for index, name in enumerate(sheet.header):
        chosen = mapping.get(name, "")
        if chosen == LEAVE_OUT:
            read.left_out.append(name)
        elif not chosen:
            if name:
                read.unmapped.append(name)
        elif chosen not in columns:
            columns[chosen] = (index, name)
    activities = {}
    for slug, name in Activity.objects.values_list("slug", "name"):
        activities[column_key(slug)] = activities[column_key(name)] = slug
    context = _Context(season, columns, activities)
    for line in sheet.lines:
        row, faults = context.line_read(line, sheet)
        read.faults.extend(faults)
        if row is not None:
            read.rows.append(row)
        elif faults:
            read.fault_cells[line.number] = context.cells(line)
    return read


class _Context:
    def __init__(self, season: Season, columns: dict[str, tuple[int, str]],
                 activities: dict[str, str]) -> None:
        self.season = season
        self.columns = columns
        self.activities = activities
        self.night = Night(season.earliest_start, season.latest_end)
        self.town = season.jurisdiction
        self.input_columns: dict[str, str] = {}  # an EventInput field → its column
        for name, (_, spelled) in columns.items():
            for input_field in INPUT_FIELDS.get(name, (name,)):
                self.input_columns.setdefault(input_field, spelled)
        self.text_fields = {name: (_max_length(model, model_field), multiline)
                            for name, (model, model_field, multiline) in TEXT_FIELDS.items()
                            if name in columns}

    def cells(self, line: Line) -> dict[str, str]:
        return {spelled: cell_text(line.cells[i] if i < len(line.cells) else None)
                for i, spelled in self.columns.values()}

    def line_read(self, line: Line, sheet: Sheet) -> tuple[ImportRow | None, list[Fault]]:
        faults: list[Fault] = []
        width = len(sheet.header)
        extra = [i for i in range(width, len(line.cells)) if cell_text(line.cells[i])]
        if extra:
            # Cells under no column are nobody's to keep: counted, not quoted.
            faults.append(Fault(line.number, sheet.column_name(extra[0]), "",
                                EXTRA_VALUES.format(count=len(extra))))
        raw = {name: _unquoted(line.cells[i] if i < len(line.cells) else None)
               for name, (i, _) in self.columns.items()}
        values: dict[str, object] = {}

        def read(name: str, reader, *args, **kwargs) -> None:
            if name not in raw or raw[name] is None or raw[name] == "":
                return  # a blank cell says nothing: the field's default
            if isinstance(raw[name], str) and raw[name].isspace():
                return
            if isinstance(raw[name], str):  # a character no writer carries, said as such
                found = text_problem(raw[name], multiline=name in MULTI_LINE)
                if found:
                    faults.append(Fault(line.number, self.columns[name][1],
                                        cell_text(raw[name]), found.message("The cell")))
                    return
            try:
                values[name] = reader(raw[name], *args, **kwargs)
            except CellProblem as problem:
                faults.append(Fault(line.number, self.columns[name][1], cell_text(raw[name]),
                                    problem.message))

        for name, (length, multiline) in self.text_fields.items():
            read(name, read_text, max_length=length, multiline=multiline)
        read("postal_code", read_postal_code)
        read("host_email", read_email)
        read("host_phone", read_phone)
        read("latitude", read_coordinate)
        read("longitude", read_coordinate)
        read("coordinates", read_coordinates)
        read("date", self._date)
        read("hours", read_hours, self.night)
        read("starts", read_time, self.night)
        read("ends", read_time, self.night)
        read("expected_attendance", read_count)
        read("closure_blocks", read_count)
        read("visits", read_visit_kinds)
        read("other", read_visit_kinds, strict=False)
        read("closure", self._closure_cell)
        read("kind", self._kind)
        read("activities", self._activities)
        read("submitted", read_moment, self.town.zone)
        other = self.columns.get("other", (0, ""))[1]
        if "other" in raw and not any(f.column == other for f in faults):
            try:  # kept in the private notes, so that nothing it says is lost
                values["other_text"] = read_text(raw["other"], max_length=2000, multiline=True)
            except CellProblem as problem:
                faults.append(Fault(line.number, other, cell_text(raw["other"]),
                                    problem.message))
        self._place_faults(line, raw, values, faults)
        if faults:
            return None, faults
        return self._row(line, raw, values), faults

    # Readers that need the season ------------------------------------------------------

    def _date(self, cell) -> dt.date:
        """A date; one typed without its year ("8/1", "Aug 1", "Tuesday, August 1") is in
        the season's year."""
        try:
            return read_date(cell)
        except CellProblem:
            text = cell_text(cell)
            if not isinstance(cell, str) or re.search(r"\d{4}|\d+\D+\d+\D+\d+", text):
                raise
            year = self.season.nno_date.year
            return read_date(f"{text}/{year}" if NUMERIC_DAY.fullmatch(text)
                             else f"{text}, {year}")

    def _closure_cell(self, cell) -> bool | str | None:
        """A yes/no, or the name of the street to close ("Oak Avenue"); a phrase that says
        no ("no closure", "none needed") is a no; anything else is a question back."""
        try:
            return read_yes_no(cell)
        except CellProblem:
            text = read_text(cell, max_length=_max_length(Closure, "street"))
        if NEGATION.search(text) or column_key(text) in ("nope", "na", "nothanks"):
            return False
        if not STREET.search(text):
            raise CellProblem(NOT_A_CLOSURE.format(value=text))
        return text

    def _kind(self, cell) -> str | None:
        text = cell_text(cell)
        if not text:
            return None
        kind = KIND_WORDS.get(column_key(text))
        if kind is None:
            raise CellProblem(NOT_A_KIND.format(value=text))
        return kind

    def _activities(self, cell) -> list[str]:
        slugs: list[str] = []
        for word in _words(cell_text(cell)):
            slug = self.activities.get(column_key(word))
            if slug is None:
                names = ", ".join(sorted(Activity.objects.values_list("name", flat=True)))
                raise CellProblem(NOT_AN_ACTIVITY.format(word=word, names=names))
            if slug not in slugs:
                slugs.append(slug)
        return slugs

    # What the cells say together ------------------------------------------------------

    def _place_faults(self, line: Line, raw: dict, values: dict, faults: list[Fault]) -> None:
        day = values.get("date")
        if isinstance(day, dt.date) and day != self.season.nno_date:
            name = self.columns["date"][1]
            faults.append(Fault(line.number, name, cell_text(raw["date"]), NOT_THE_NIGHT.format(
                day=date_format(day, "l j F Y"),
                night=date_format(self.season.nno_date, "l j F Y"))))
        latitude, longitude = _point(values)
        pair = {self._column(n) for n in ("latitude", "longitude", "coordinates")} - {""}
        if (latitude is None) != (longitude is None) and not any(f.column in pair
                                                                 for f in faults):
            faults.append(Fault(line.number, self._column("latitude", "longitude"), "",
                                HALF_A_PAIR))
        address_column = self._column("address")
        if not values.get("address") and not any(f.column == address_column and address_column
                                                 for f in faults):
            faults.append(Fault(line.number, address_column, "", NO_ADDRESS))

    def _column(self, *names: str) -> str:
        for name in names:
            if name in self.columns:
                return self.columns[name][1]
        return ""

    def _row(self, line: Line, raw: dict, values: dict) -> ImportRow:
        season = self.season
        starts = values.get("starts") or season.default_start
        ends = values.get("ends") or season.default_end
        if values.get("hours"):
            starts, ends = values["hours"]
        kind = values.get("kind") or EventKind.BLOCK_PARTY
        address = values.get("address", "")
        place = block_label(rules.block_key(address)) or _street_named(address)
        title = values.get("title") or (TITLE_MADE.format(kind=EventKind(kind).label, place=place)
                                        if place else EventKind(kind).label)
        visits = list(values.get("visits") or [])
        other_text = values.get("other_text", "")
        if not NEGATION.search(other_text):  # "no police please" asks for nothing
            visits += [k for k in values.get("other") or [] if k not in visits]
        notes = values.get("notes", "")
        if other_text:
            notes = "\n".join(p for p in (notes, f"{self.columns['other'][1]}: {other_text}")
                              if p)
        latitude, longitude = _point(values)
        closure = None
        street = values.get("closure_street") or ""
        said = values.get("closure")
        if isinstance(said, str):
            street = street or said
        elif said is True and not street:
            street = _street_of(address)
        if street and said is not False:
            closure = ClosureInput(street=street, from_street=values.get("closure_from", ""),
                                   to_street=values.get("closure_to", ""),
                                   blocks=values.get("closure_blocks") or 1, consent_attested=True)
        data = EventInput(
            title=title[:_max_length(Event, "title")], address=address, kind=kind,
            description=values.get("description", ""), venue=values.get("venue", ""),
            postal_code=values.get("postal_code", ""), latitude=latitude, longitude=longitude,
            starts=starts, ends=ends, activities=values.get("activities") or [],
            expected_attendance=values.get("expected_attendance"), visits=visits,
            closure=closure, coordinator_notes=notes[:2000],
            district=values.get("district", ""),
            host=HostInput(name=values.get("host_name", ""), email=values.get("host_email", ""),
                           phone=values.get("host_phone", ""),
                           organization=values.get("host_organization", "")),
        )
        return ImportRow(
            line=line.number, data=data, reference=values.get("reference", ""),
            submitted_at=values.get("submitted"), columns=dict(self.input_columns),
            cells={spelled: cell_text(raw[name]) for name, (_, spelled) in self.columns.items()},
        )


def _unquoted(cell):
    """A text a spreadsheet (or nightout's own CSV of lines to fix) kept from running as a
    formula with a leading apostrophe ("'+1 413 555 0100", "'-72.6155") is read without it."""
    if isinstance(cell, str) and cell[:1] == "'" and cell[1:2] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _point(values: dict) -> tuple[float | None, float | None]:
    if values.get("coordinates"):
        return values["coordinates"]
    return values.get("latitude"), values.get("longitude")


def _words(text: str) -> list[str]:
    for separator in (";", "/", "&", "|", "\n"):
        text = text.replace(separator, ",")
    return [w.strip() for w in text.split(",") if w.strip()]


def _street_named(address: str) -> str:
    """The street of an address the block rule cannot read ("12-14 Elm Street", "Apt 2, 120
    Oak Street"), never its numbers: a made title is public, a private home's number is not."""
    for part in address.split(","):
        words = [w for w in part.split() if not any(c.isdigit() for c in w)]
        if words and STREET.search(" ".join(words)):
            return " ".join(words)
    return ""


def _street_of(address: str) -> str:
    """'1412 Russell St, Agawam' → 'Russell St': the street a 'yes' closes."""
    first = address.split(",")[0].strip()
    number, _, street = first.partition(" ")
    return street.strip() if number[:1].isdigit() and street.strip() else first
