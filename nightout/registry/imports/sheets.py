"""A spreadsheet file's bytes → a `Book` of `Sheet`s of `Line`s, each cell as the file typed it.

CSV: UTF-8 with or without a byte order mark, UTF-16 with one (Excel's "Unicode text"), else
Windows-1252 (older Excel on Windows); comma, semicolon or tab separated (found by reading the
first lines: the one that splits the header and the lines under it alike wins, so a
semicolon file with decimal commas reads right); CRLF, LF or CR line ends; quoted cells may
hold line breaks. XLSX: every worksheet, each cell with the type Excel gave it (numbers, dates,
times, TRUE/FALSE), never turned into text here.

Line numbers are the file's own: a CSV line where the record starts (the header is line 1
when it is the first line; blank lines count), an XLSX row number. Blank lines are skipped;
the first non-blank line is the header. A line may have more values than the header has
columns: it keeps them all, for the report to name.
"""

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from nightout.registry.imports.cells import Cell, cell_text

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 500
MAX_SHEET_ROWS = 100_000  # rows a sheet may reach, blank ones included
SNIFF_LINES = 50

TOO_BIG = "The file is larger than 5 MB; split it into smaller files."
TOO_MANY_ROWS = "The file has more than 20,000 rows; split it into smaller files."
TOO_MANY_COLUMNS = ("The file has {count} columns; nightout reads at most {most}. Delete the "
                    "columns past your list (or save only the list's columns) and upload it "
                    "again.")
TOO_MANY_LINES = ("The file has {count:,} lines, blank ones included; nightout reads at most "
                  "{most:,}. Delete the blank lines past your list and upload it again.")
TOO_FAR = ("A sheet of the workbook reaches row {row} or column {column}, far past a party "
           "list (at most row {most_rows:,}, column {most}): delete the empty rows and columns "
           "past your list, or copy the list into a new workbook, and upload it again.")
EMPTY = "The file has no rows under its header."
EMPTY_SHEET = "The sheet “{sheet}” has no rows under its header; choose another sheet."
BLANK_SHEET = "The sheet “{sheet}” is empty; choose another sheet."
NOT_A_SPREADSHEET = "This file is not a CSV or XLSX spreadsheet ({detail})."
UNKNOWN_ENCODING = ("its text is neither UTF-8 nor Windows-1252; save it again as "
                    "“CSV UTF-8” and upload the new copy")
BINARY = "it holds binary data, not text; save it as CSV or XLSX and upload the new copy"
OLD_EXCEL = ("it is an old Excel .xls file, or a workbook protected by a password; save it "
             "as .xlsx without a password, or as CSV, and upload the new copy")
WEB_PAGE = ("it is a web page, not a spreadsheet; open it in your spreadsheet program, save "
            "it as .xlsx or CSV and upload the new copy")
OPENDOCUMENT = "it is an OpenDocument spreadsheet; save it as .xlsx or CSV and upload the copy"
DAMAGED = ("The XLSX file is damaged: {detail}. Open it in your spreadsheet program, save it "
           "again as .xlsx and upload the new copy.")
OPEN_QUOTE = ("Line {line} opens a quotation mark that is never closed, so the rest of the "
              "file would be one cell; close it or remove it and upload the file again.")
CELL_TOO_BIG = ("Line {line} has a cell longer than {most:,} characters; shorten it and upload "
                "the file again.")
NO_SUCH_SHEET = "The workbook has no sheet named “{sheet}”; its sheets are: {sheets}."

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
_ODS = b"application/vnd.oasis.opendocument.spreadsheet"


class ImportRefused(Exception):
    """The whole file is unusable (as opposed to a bad row, which goes in the report)."""


@dataclass(frozen=True)
class Line:
    number: int                      # physical line (CSV: where the record starts; XLSX: row)
    cells: tuple[Cell, ...]          # may be longer than the header (extra values) or shorter


@dataclass(frozen=True)
class Sheet:
    name: str                        # the sheet's name; "" for a CSV
    header: tuple[str, ...]          # the first non-blank line, stripped
    header_line: int
    lines: tuple[Line, ...]          # every non-blank line under the header, in order

    def column_name(self, column: int) -> str:
        """The header's name for a column, or its letter when the header cell is blank or
        the line runs past the header ("Column F")."""
        name = self.header[column] if column < len(self.header) else ""
        return name or f"Column {column_letter(column)}"


@dataclass(frozen=True)
class Book:
    kind: str                        # "csv" or "xlsx"
    sheets: tuple[Sheet, ...]
    encoding: str = ""               # CSV: "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252"
    delimiter: str = ""              # CSV: "," ";" or tab


def column_letter(column: int) -> str:
    """A column's letters as a spreadsheet shows them: 0 → "A", 26 → "AA"."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _trimmed(cells: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """The cells without the blank ones at the end of the line."""
    end = len(cells)
    while end and _blank(cells[end - 1]):
        end -= 1
    return cells[:end]


def _header(cells: tuple[Cell, ...], lines: list[Line]) -> tuple[str, ...]:
    """The header's names, stripped, each once: a blank header cell with values under it is
    named by its column's letter ("Column F"), a repeated name gets its count ("Notes (2)"),
    so that no column goes unnamed in the mapping and the report."""
    if len(cells) > MAX_COLUMNS:
        raise ImportRefused(TOO_MANY_COLUMNS.format(count=len(cells), most=MAX_COLUMNS))
    filled = {column for line in lines for column, cell in enumerate(line.cells[:len(cells)])
              if not _blank(cell)}
    names: list[str] = []
    taken: set[str] = set()
    counts: dict[str, int] = {}
    for column, cell in enumerate(cells):
        name = cell_text(cell)
        if not name and column in filled:
            name = f"Column {column_letter(column)}"
        if name and name in taken:
            count = counts.get(name, 1) + 1
            while f"{name} ({count})" in taken:
                count += 1
            counts[name] = count
            name = f"{name} ({count})"
        taken.add(name)
        names.append(name)
    return tuple(names)


def _sheet(name: str, rows: list[tuple[int, tuple[Cell, ...]]]) -> Sheet:
    """A sheet from its numbered rows: the first non-blank one is the header."""
    kept = [(number, _trimmed(cells)) for number, cells in rows]
    kept = [(number, cells) for number, cells in kept if cells]
    if not kept:
        return Sheet(name=name, header=(), header_line=0, lines=())
    (header_line, header), rest = kept[0], kept[1:]
    lines = [Line(number, cells) for number, cells in rest]
    return Sheet(name=name, header=_header(header, lines), header_line=header_line,
                 lines=tuple(lines))


# ---- CSV -------------------------------------------------------------------------------

def _decode(content: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: a byte order mark decides; else UTF-8 when
    the bytes are UTF-8 (so a UTF-8 "Café" is never read as "CafÃ©"), else Windows-1252."""
    if content.startswith(codecs.BOM_UTF8):
        tries = [(content[len(codecs.BOM_UTF8):], "utf-8", "UTF-8 with BOM")]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        tries = [(content, "utf-16", "UTF-16")]
    elif b"\x00" in content:
        raise ImportRefused(NOT_A_SPREADSHEET.format(detail=BINARY))
    else:
        tries = [(content, "utf-8", "UTF-8"), (content, "cp1252", "Windows-1252")]
    for data, codec, name in tries:
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    raise ImportRefused(NOT_A_SPREADSHEET.format(detail=UNKNOWN_ENCODING))


def _records(text: str, delimiter: str, limit: int | None = None
             ) -> list[tuple[int, tuple[Cell, ...]]]:
    """The CSV's records, each numbered by the line where it starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, tuple[Cell, ...]]] = []
    start = 1
    kept = 0
    most = limit if limit is not None else MAX_ROWS + 2  # the header, and one line too many
    try:
        for row in reader:
            if any(cell.strip() for cell in row):  # a blank line is counted, not kept
                records.append((start, tuple(row)))
                kept += 1
            start = reader.line_num + 1
            if kept >= most:
                break
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportRefused(
                CELL_TOO_BIG.format(line=start, most=csv.field_size_limit())) from None
        raise ImportRefused(OPEN_QUOTE.format(line=start)) from None
    if limit is None and kept < most and records and _unclosed(text, delimiter,
                                                               records[-1][1]):
        raise ImportRefused(OPEN_QUOTE.format(line=records[-1][0]))
    return records


def _unclosed(text: str, delimiter: str, last: tuple[Cell, ...]) -> bool:
    """Whether the file ends inside a quoted cell (which then swallowed every line after
    its opening quotation mark): only a last record holding a line break can."""
    if not any(isinstance(cell, str) and ("\n" in cell or "\r" in cell) for cell in last):
        return False
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into as many cells as the header has,
    most often (ties: the one giving more columns; none fits: a comma)."""
    best, best_score = ",", (0.0, 0)
    for delimiter in (",", ";", "\t"):
        try:
            rows = [cells for _, cells in _records(text, delimiter, limit=SNIFF_LINES)]
        except ImportRefused:
            continue
        rows = [row for row in rows if _trimmed(row)]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        alike = sum(len(row) == width for row in rows[1:]) / max(len(rows) - 1, 1)
        if (alike, width) > best_score:
            best, best_score = delimiter, (alike, width)
    return best


def _csv(content: bytes) -> Book:
    text, encoding = _decode(content)
    if "\x00" in text:
        raise ImportRefused(NOT_A_SPREADSHEET.format(detail=BINARY))
    lines = text.count("\n") or text.count("\r")
    if lines > MAX_SHEET_ROWS:
        raise ImportRefused(TOO_MANY_LINES.format(count=lines, most=MAX_SHEET_ROWS))
    delimiter = _delimiter(text)
    rows = _records(text, delimiter)
    return Book(kind="csv", sheets=(_sheet("", rows),), encoding=encoding,
                delimiter=delimiter)


# ---- XLSX ------------------------------------------------------------------------------

def _excel_cell(value: object) -> Cell:
    """A cell as the workbook reader gives it, in the types a `Line` holds: an empty cell is
    None, a whole number an int (as typed: the hour 6, a phone 4135550100), an [h]:mm
    duration under a day a time of day, a longer one its number of days."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dt.timedelta):
        if dt.timedelta(0) <= value < dt.timedelta(days=1):
            return (dt.datetime.min + value).time()
        return value.total_seconds() / 86400
    if isinstance(value, str | int | float | bool | dt.date | dt.time):
        return value
    return str(value)


WORKBOOK_PART = "xl/workbook.xml"
# A workbook's sheets, unpacked, are read whole: more than this is not a town's party list.
MAX_UNPACKED = 200 * 1024 * 1024
_CELL_REFERENCE = re.compile(rb'<(?:\w+:)?c [^>]*?r="([A-Z]{1,3})([0-9]{1,7})"')


def _extent_check(content: bytes) -> None:
    """Refuse a workbook whose sheets reach far past a party list (a stray value in row
    1,048,576 or column XFD would make the reader lay out every empty cell before it), or
    unpack to more than MAX_UNPACKED: found from the cells' references, before reading."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")
                 and i.filename.endswith(".xml")]
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise ImportRefused(TOO_BIG)
        for info in parts:
            rows = columns = 0
            for match in _CELL_REFERENCE.finditer(archive.read(info)):
                letters, number = match.groups()
                columns = max(columns, _column_number(letters.decode()))
                rows = max(rows, int(number))
            if rows > MAX_SHEET_ROWS or columns > MAX_COLUMNS:
                raise ImportRefused(TOO_FAR.format(
                    row=rows, column=column_letter(columns - 1),
                    most_rows=MAX_SHEET_ROWS, most=column_letter(MAX_COLUMNS - 1)))


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _xlsx(content: bytes) -> Book:
    """Read with calamine (Rust, through python-calamine): cells typed as Excel typed them,
    5,000 lines in a fraction of the time a pure-Python reader takes."""
    from python_calamine import CalamineWorkbook

    try:  # the archive first, for a message the coordinator can act on
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            missing = WORKBOOK_PART not in archive.namelist()
        if missing:
            raise KeyError(f"There is no item named '{WORKBOOK_PART}' in the archive")
        _extent_check(content)
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except (zipfile.BadZipFile, ImportRefused) as error:
        if isinstance(error, ImportRefused):
            raise

        raise ImportRefused(DAMAGED.format(detail="it is not a complete ZIP archive")) from None
    except Exception as error:  # the reader raises its own kinds on a damaged file
        raise ImportRefused(DAMAGED.format(detail=_damage(error))) from None
    try:
        sheets = []
        for name in book.sheet_names:
            rows: list[tuple[int, tuple[Cell, ...]]] = []
            kept = 0
            values = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for number, row in enumerate(values, start=1):
                cells = tuple(_excel_cell(value) for value in row)
                rows.append((number, cells))
                kept += not all(_blank(cell) for cell in cells)
                if kept > MAX_ROWS + 1:
                    break
            sheets.append(_sheet(name, rows))
    except Exception as error:  # a damaged sheet is found only as it is read
        raise ImportRefused(DAMAGED.format(detail=_damage(error))) from None
    finally:
        book.close()
    return Book(kind="xlsx", sheets=tuple(sheets))


def _damage(error: Exception) -> str:
    """What is wrong with a damaged workbook, in words a coordinator can act on."""
    if isinstance(error, KeyError):
        part = re.search(r"'([^']+)'", str(error))
        return f"a part of it is missing ({part[1] if part else 'a sheet'})"
    if isinstance(error, zipfile.BadZipFile):
        return "it is not a complete ZIP archive"
    if ("ParseError" in type(error).__name__ or "XMLSyntaxError" in type(error).__name__
            or "xml" in str(error).lower() or "syntax error" in str(error).lower()):
        return "a part of it is cut short or broken"
    detail = str(error).strip().rstrip(".") or type(error).__name__
    return f"it could not be read ({detail[:120]})"


# ---- reading and choosing --------------------------------------------------------------

def book_read(filename: str, content: bytes) -> Book:
    """The spreadsheet in `content`: XLSX when it is a ZIP archive, else CSV — the content
    decides, not `filename` (a CSV renamed .xlsx is still read). Refused
    (`ImportRefused`, saying what to do) when larger than 5 MB, not a spreadsheet, damaged,
    or without a line under the header on any sheet."""
    if len(content) > MAX_BYTES:
        raise ImportRefused(TOO_BIG)
    if content.startswith(_OLE):
        raise ImportRefused(NOT_A_SPREADSHEET.format(detail=OLD_EXCEL))
    if content.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1] == b"<":
        raise ImportRefused(NOT_A_SPREADSHEET.format(detail=WEB_PAGE))
    if content.startswith(b"PK") and _ODS in content[:200]:
        raise ImportRefused(NOT_A_SPREADSHEET.format(detail=OPENDOCUMENT))
    if content.startswith(b"PK"):
        book = _xlsx(content)
    else:
        book = _csv(content)
    if not any(sheet.lines for sheet in book.sheets):
        raise ImportRefused(EMPTY)
    return book


def sheet_pick(book: Book, name: str = "") -> Sheet:
    """The sheet called `name` (without regard to case or surrounding spaces), or else the
    first with lines under its header; a CSV's one sheet whatever the name. Refused when no
    sheet has that name (the message names the sheets), when the sheet has no lines, or more
    than 20,000."""
    if name.strip() and book.kind != "csv":
        wanted = name.strip().casefold()
        found = [s for s in book.sheets if s.name.strip().casefold() == wanted]
        if not found:
            names = ", ".join(f"“{s.name}”" for s in book.sheets)
            raise ImportRefused(NO_SUCH_SHEET.format(sheet=name.strip(), sheets=names))
        sheet = found[0]
        if not sheet.lines:
            template = EMPTY_SHEET if sheet.header else BLANK_SHEET
            raise ImportRefused(template.format(sheet=sheet.name) if sheet.name else EMPTY)
    else:
        sheet = next((s for s in book.sheets if s.lines), None)
        if sheet is None:
            raise ImportRefused(EMPTY)
    if len(sheet.lines) > MAX_ROWS:
        raise ImportRefused(TOO_MANY_ROWS)
    return sheet
