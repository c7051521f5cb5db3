"""CSV files meant for spreadsheets (the official lists, the reports).

A cell that starts with = + - @ (or a tab or carriage return) is read by spreadsheet programs
as a formula, so a party called `=HYPERLINK(...)` could run one on a police officer's
computer. Such text cells are written with a leading apostrophe, which keeps them text
(OWASP's advice on CSV injection). Numbers are written as they are.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out, rows) -> None:
    """Write `rows` (lists of cells) to the file-like `out` as CSV, text cells made safe."""
    csv.writer(out).writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
