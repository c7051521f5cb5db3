"""A file's bytes → sheets of numbered lines, each cell as the file typed it.

CSV in its encodings, separators and line ends; XLSX built here with openpyxl, with the cells
Excel types (dates, times, fractions of a day, numbers); workbooks of several sheets, empty
ones and damaged ones.
"""

import codecs
import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from nightout.registry.imports.sheets import (
    MAX_BYTES,
    Book,
    ImportRefused,
    Line,
    book_read,
    column_letter,
    sheet_pick,
)

HEADER = "Host,Address,Latitude,Longitude,Notes"


def only_sheet(book: Book):
    assert len(book.sheets) == 1
    return book.sheets[0]


def refusal(filename: str, content: bytes) -> str:
    with pytest.raises(ImportRefused) as caught:
        book_read(filename, content)
    return str(caught.value)


def xlsx(*sheets: tuple[str, list[list]], formats: dict | None = None) -> bytes:
    """A workbook with the named sheets and rows; `formats` sets (sheet, cell) → format."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for (title, ref), number_format in (formats or {}).items():
        book[title][ref].number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---- CSV -------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "encoding"), [
    ("Host,Notes\nDana,Café\n".encode(), "UTF-8"),
    (codecs.BOM_UTF8 + "Host,Notes\nDana,Café\n".encode(), "UTF-8 with BOM"),
    ("Host,Notes\nDana,Café\n".encode("cp1252"), "Windows-1252"),
    ("Host,Notes\nDana,Café\n".encode("utf-16"), "UTF-16"),
])
def test_a_csv_is_read_in_each_encoding_spreadsheets_save(content, encoding):
    book = book_read("parties.csv", content)
    sheet = only_sheet(book)
    assert (book.kind, book.encoding, sheet.name) == ("csv", encoding, "")
    assert sheet.header == ("Host", "Notes")  # the byte order mark is not part of "Host"
    assert sheet.lines == (Line(2, ("Dana", "Café")),)


def test_a_utf8_file_is_never_read_as_windows_1252():
    sheet = only_sheet(book_read("x.csv", "Host,Notes\nDana,Café – “open”\n".encode()))
    assert sheet.lines[0].cells[1] == "Café – “open”"


@pytest.mark.parametrize(("text", "delimiter"), [
    ("Host,Visits\nDana,\"Police; Fire\"\nLee,Police\n", ","),
    ("Host;Visits\nDana;Police, Fire\nLee;Police\n", ";"),
    ("Host\tVisits\nDana\tPolice, Fire\nLee\tPolice\n", "\t"),
])
def test_the_separator_is_the_one_that_splits_every_line_alike(text, delimiter):
    book = book_read("x.csv", text.encode())
    assert book.delimiter == delimiter
    assert only_sheet(book).lines[0].cells == ("Dana", "Police, Fire" if delimiter != ","
                                               else "Police; Fire")


def test_a_semicolon_file_with_decimal_commas_keeps_its_coordinates_whole():
    text = "Host;Latitude;Longitude\r\nDana;42,0702;-72,6155\r\nLee;42,0690;-72,6170\r\n"
    book = book_read("x.csv", text.encode("cp1252"))
    assert book.delimiter == ";"
    assert [line.cells for line in only_sheet(book).lines] == [
        ("Dana", "42,0702", "-72,6155"), ("Lee", "42,0690", "-72,6170")]


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_every_kind_of_line_end_gives_the_same_lines(newline):
    text = newline.join([HEADER, "Dana,1 Elm St,42.07,-72.61,", "Lee,2 Oak St,42.08,-72.62,x"])
    sheet = only_sheet(book_read("x.csv", (text + newline).encode()))
    assert [(line.number, line.cells[0]) for line in sheet.lines] == [(2, "Dana"), (3, "Lee")]


def test_blank_lines_are_skipped_and_still_counted():
    text = "\n\n" + HEADER + "\n\nDana,1 Elm St,,,\n ,  , \n\nLee,2 Oak St,,,\n\n"
    sheet = only_sheet(book_read("x.csv", text.encode()))
    assert sheet.header_line == 3
    assert [(line.number, line.cells[0]) for line in sheet.lines] == [(5, "Dana"), (8, "Lee")]


def test_a_quoted_cell_with_line_breaks_is_one_cell_numbered_where_it_starts():
    text = (HEADER + "\r\nDana,1 Elm St,,,\"Bring chairs\r\nand a grill\"\r\n"
            "Lee,2 Oak St,,,\r\n")
    sheet = only_sheet(book_read("x.csv", text.encode()))
    assert [line.number for line in sheet.lines] == [2, 4]
    assert sheet.lines[0].cells[4] == "Bring chairs\r\nand a grill"


def test_a_line_with_more_values_than_the_header_keeps_them_all():
    sheet = only_sheet(book_read("x.csv", b"Host,Address\nDana,1 Elm St,extra,more\n"))
    assert sheet.lines[0].cells == ("Dana", "1 Elm St", "extra", "more")
    assert sheet.column_name(3) == "Column D"


def test_empty_cells_at_the_end_of_a_line_are_not_extra_values():
    sheet = only_sheet(book_read("x.csv", b"Host,Address,Notes\nDana,1 Elm St,,,,\n"))
    assert sheet.lines[0].cells == ("Dana", "1 Elm St")


def test_the_header_names_every_column_once():
    sheet = only_sheet(book_read("x.csv", b" Host , Notes ,,Notes,\nDana,a,b,c\n"))
    assert sheet.header == ("Host", "Notes", "Column C", "Notes (2)")


def test_a_blank_header_cell_over_an_empty_column_stays_unnamed():
    sheet = only_sheet(book_read("x.csv", b"Host,,Notes\nDana,,a\n"))
    assert sheet.header == ("Host", "", "Notes")


@pytest.mark.parametrize(("content", "words"), [
    (b"", "The file has no rows under its header."),
    (b"\n\n  \n", "The file has no rows under its header."),
    (HEADER.encode() + b"\n\n", "The file has no rows under its header."),
    (b"Host,Notes\nDana,\x00\n", "it holds binary data, not text"),
    (b"Host,Notes\nDana,\xff\xfe\x81\n", "neither UTF-8 nor Windows-1252"),
    (b"<!DOCTYPE html><html><table>", "it is a web page, not a spreadsheet"),
    (b"Host,Notes\nDana,\"open\nLee,b\n", "Line 2 opens a quotation mark that is never "
                                          "closed"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an old Excel .xls file"),
])
def test_a_file_that_cannot_be_read_is_refused_saying_what_to_do(content, words):
    assert words in refusal("parties.csv", content)


def test_a_file_over_5_mb_is_refused():
    content = (HEADER + "\n").encode() + b"Dana,1 Elm St,,,\n" * (MAX_BYTES // 16)
    assert refusal("x.csv", content) == "The file is larger than 5 MB; split it into smaller files."


def test_a_sheet_of_more_than_20000_rows_is_refused_when_picked():
    content = b"Host\n" + b"Dana\n" * 20_001
    with pytest.raises(ImportRefused, match="more than 20,000 rows"):
        sheet_pick(book_read("x.csv", content))
    assert len(sheet_pick(book_read("x.csv", b"Host\n" + b"Dana\n" * 20_000)).lines) == 20_000


# ---- XLSX ------------------------------------------------------------------------------

def test_xlsx_cells_keep_the_types_excel_gave_them():
    content = xlsx(("Parties", [
        ["Host", "Date", "Start", "End", "Hours", "Guests", "Latitude", "Phone", "Closure?"],
        ["Dana", dt.date(2027, 8, 3), dt.time(6, 0), 0.875, 6, 25, 42.0702, 4135550100, True],
    ]), formats={("Parties", "D2"): "h:mm"})
    sheet = sheet_pick(book_read("parties.xlsx", content))
    assert sheet.lines[0] == Line(2, (  # a date cell is a date, a time cell a time
        "Dana", dt.date(2027, 8, 3), dt.time(6, 0), dt.time(21, 0), 6, 25, 42.0702,
        4135550100, True))


def test_a_time_as_a_fraction_of_a_day_is_kept_as_the_number():
    sheet = sheet_pick(book_read("x.xlsx", xlsx(("S", [["Host", "Start"], ["Dana", 0.75]]))))
    assert sheet.lines[0].cells == ("Dana", 0.75)


def test_a_duration_cell_under_a_day_is_a_time_of_day():
    sheet = sheet_pick(book_read("x.xlsx", xlsx(("S", [["Host", "Start"],
                                                       ["Dana", dt.timedelta(hours=18)]]))))
    assert sheet.lines[0].cells == ("Dana", dt.time(18))


def test_xlsx_line_numbers_are_the_sheets_row_numbers():
    content = xlsx(("S", [[], ["Host", "Notes"], ["Dana", "a"], [], [None, None], ["Lee"]]))
    sheet = sheet_pick(book_read("x.xlsx", content))
    assert sheet.header_line == 2
    assert [(line.number, line.cells) for line in sheet.lines] == [
        (3, ("Dana", "a")), (6, ("Lee",))]


def test_an_xlsx_is_known_by_its_content_whatever_its_name():
    content = xlsx(("S", [["Host"], ["Dana"]]))
    assert book_read("upload", content).kind == "xlsx"


def test_a_csv_named_like_a_workbook_is_read_as_the_csv_it_is():
    book = book_read("parties.xlsx", b"Host,Notes\nDana,a\n")
    assert (book.kind, sheet_pick(book, "Sheet1").lines) == ("csv", (Line(2, ("Dana", "a")),))


def test_every_sheet_of_a_workbook_is_read_and_one_is_picked_by_name():
    content = xlsx(("Instructions", []), ("2026", [["Host"], ["Old"]]),
                   ("2027", [["Host"], ["Dana"], ["Lee"]]))
    book = book_read("x.xlsx", content)
    assert [sheet.name for sheet in book.sheets] == ["Instructions", "2026", "2027"]
    assert sheet_pick(book).name == "2026"  # the first with lines
    assert [line.cells for line in sheet_pick(book, "2027").lines] == [("Dana",), ("Lee",)]
    assert sheet_pick(book, " 2027 ").name == "2027"


def test_a_sheet_name_the_workbook_lacks_is_refused_naming_its_sheets():
    book = book_read("x.xlsx", xlsx(("Instructions", []), ("Parties", [["Host"], ["Dana"]])))
    with pytest.raises(ImportRefused) as caught:
        sheet_pick(book, "Sheet1")
    assert str(caught.value) == ("The workbook has no sheet named “Sheet1”; its sheets are: "
                                 "“Instructions”, “Parties”.")
    with pytest.raises(ImportRefused, match="The sheet “Instructions” is empty"):
        sheet_pick(book, "instructions")


def test_a_workbook_whose_sheets_are_all_empty_is_refused():
    content = xlsx(("Sheet1", []), ("Sheet2", [["Host", "Notes"]]))
    assert refusal("x.xlsx", content) == "The file has no rows under its header."


def _rebuilt(content: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            body = change(item.filename, src.read(item))
            if body is not None:
                dst.writestr(item, body)
    return out.getvalue()


def test_a_damaged_workbook_is_refused_in_words_a_coordinator_can_act_on():
    content = xlsx(("Parties", [["Host"], ["Dana"]]))
    cut = refusal("x.xlsx", content[: len(content) // 2])
    assert cut == ("The XLSX file is damaged: it is not a complete ZIP archive. Open it in "
                   "your spreadsheet program, save it again as .xlsx and upload the new copy.")
    missing = _rebuilt(content, lambda name, body: None if name == "xl/workbook.xml" else body)
    assert "a part of it is missing (xl/workbook.xml)" in refusal("x.xlsx", missing)
    broken = _rebuilt(content, lambda name, body: body[: len(body) // 2]
                      if name.startswith("xl/worksheets/") else body)
    assert "a part of it is cut short or broken" in refusal("x.xlsx", broken)


def test_an_opendocument_spreadsheet_is_refused_saying_to_save_it_as_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    assert "OpenDocument spreadsheet; save it as .xlsx or CSV" in refusal("x.ods",
                                                                         out.getvalue())


@pytest.mark.parametrize(("column", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"),
                                                 (702, "AAA")])
def test_a_column_is_named_by_its_letters_as_a_spreadsheet_shows_them(column, letters):
    assert column_letter(column) == letters
