"""Every CSV file nightout writes goes through `write_csv`: the official lists, the reports,
a plan exported on the command line, and the import's own checked copy.

A cell that starts with = + - @ (or a tab or carriage return) is read by spreadsheet programs
as a formula, so a party called `=HYPERLINK(...)` could run one on a police officer's
computer. Such text cells are written with a leading apostrophe, which keeps them text
(OWASP's advice on CSV injection). Numbers are written as they are. Text goes through
`writable` first: no control character (but line breaks and tabs, which a quoted cell
holds), no half of a surrogate pair (which no UTF-8 file can hold).

A file for people starts with the UTF-8 byte order mark: Excel, which most towns open a CSV
in, reads a file without it in the computer's own code page ("CafÃ©" for "Café"). nightout's
own import reads either.
"""

import csv

from nightout.text import writable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def spreadsheet_cell(value):
    if not isinstance(value, str):
        return value
    value = writable(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out, rows, *, for_spreadsheets: bool = True, byte_order_mark: bool = True
              ) -> None:
    """Write `rows` (lists of cells) to the file-like `out` as CSV, text cells made safe.

    `for_spreadsheets=False` is only for a file nightout itself reads back and no person
    opens (the import's checked copy, read again when the coordinator applies it): there the
    apostrophe would become part of the value imported, such as a phone number "+1 413 ...".
    `byte_order_mark=False` for what is written to a terminal (a plan exported on the
    command line), where the mark would be a stray character."""
    cell = spreadsheet_cell if for_spreadsheets else (lambda value: value)
    if for_spreadsheets and byte_order_mark:
        out.write(BOM)
    csv.writer(out).writerows([cell(value) for value in row] for row in rows)
