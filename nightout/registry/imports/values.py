"""One spreadsheet cell → one value, read as people and spreadsheets type it.

Pure Python (no Django), typed strictly (`mypy --strict`). Every reader takes a cell as the
file typed it (see `Cell`) and returns the value, or raises `CellProblem` whose message quotes
what was found and says what to write instead. Times and ranges of times are read in
`times.py`, dates in `dates.py` (both re-exported here); docs/import.md lists every format
each reader takes.
"""

import datetime as dt
import math
import re

from nightout.plaintext import text_problem, with_newlines
from nightout.registry.imports.cells import (
    Cell,
    CellProblem,
    cell_text,
    shown,
)
from nightout.registry.imports.dates import read_date, read_moment
from nightout.registry.imports.times import Night, read_hours, read_time

__all__ = [
    "Cell", "CellProblem", "Night", "cell_text", "read_coordinate", "read_coordinates",
    "read_count", "read_date", "read_email", "read_hours", "read_moment", "read_phone",
    "read_postal_code",
    "read_text", "read_time", "read_visit_kinds", "read_yes_no",
]

FORMULA = ("“{cell}” starts with “{char}”, so a spreadsheet would take it for a formula; "
           "remove the “{char}” or begin with a word.")
TOO_LONG = ("“{cell}” is {length:,} characters long; this column holds at most "
            "{most:,}: shorten it.")
NOT_A_COUNT = ("“{cell}” is not a number of people such as 25, 30-40 or 50+; leave it blank "
               "when you do not know.")
NOT_YES_NO = "“{cell}” is not yes or no; write yes, no, or leave it blank."
NOT_A_KIND = ("“{word}” is not a kind of visit; write police, fire, EMS, K9, McGruff, "
              "official (mayor, council), gear demo or outside agency (state police, "
              "national guard), separated by commas.")
NOT_A_COORDINATE = ("“{cell}” is not a coordinate such as 42.1015 or -72.5898 (latitudes lie "
                    "between -90 and 90, longitudes between -180 and 180).")
NOT_COORDINATES = ("“{cell}” is not a latitude and a longitude such as “42.1015, -72.5898”.")
NOT_AN_EMAIL = "“{cell}” is not an email address such as dana@example.org."
TWO_EMAILS = "“{cell}” holds more than one email address; keep only the host's."
NOT_A_PHONE = "“{cell}” is not a phone number such as 413-555-0100 or +1 413 555 0100."
NOT_A_ZIP = "“{cell}” is not a ZIP code such as 01001 or 01001-1234."
SHORTENED = ("“{cell}” is a phone number a spreadsheet shortened into a number; format the "
             "column as text, type the number again and save.")
MOST_PEOPLE = 1_000_000
EMAIL_LENGTH = 254
PHONE_LENGTH = 32

# ---- text ------------------------------------------------------------------------------


def read_text(value: Cell, *, max_length: int, multiline: bool = False,
              formula_ok: bool = False) -> str:
    """The cell as text, without the spaces around it: one line unless `multiline` (then
    every line break is "\\n"); refused when it holds a character `nightout.plaintext`
    refuses, starts with = + - @ (a formula; unless `formula_ok`) or is too long."""
    text = cell_text(value)
    if multiline:
        text = with_newlines(text)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") and not formula_ok:
        raise CellProblem(FORMULA.format(cell=shown(text), char=text[0]))
    problem = text_problem(text, multiline=multiline)
    if problem:
        raise CellProblem(problem.message(f"“{shown(text)}”"))
    if len(text) > max_length:
        raise CellProblem(TOO_LONG.format(cell=shown(text), length=len(text), most=max_length))
    return text


# ---- numbers ---------------------------------------------------------------------------

_ABOUT = re.compile(r"^(?:about|approx\.?|approximately|around|roughly|estimated|est\.?|"
                    r"circa|ca\.?|up to|~)\s*")
_PEOPLE = re.compile(r"\s*(?:people|persons|guests|attendees|adults|neighbors|neighbours|"
                     r"ppl|residents)$")
_COUNT = re.compile(r"(?P<low>\d+)(?:\s*(?:[-–—]|to)\s*(?P<high>\d+))?\s*(?:\+|ish|or more)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")


def read_count(value: Cell) -> int | None:
    """Expected attendance: "25", "1,200", "30-40" (40: plan for the most), "50+" (50),
    "about 40", "~40", "40 people"; a whole number cell; blank is None."""
    if isinstance(value, bool):
        raise CellProblem(NOT_A_COUNT.format(cell=shown(value)))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not (math.isfinite(value) and float(value).is_integer()
                and 0 <= value <= MOST_PEOPLE):
            raise CellProblem(NOT_A_COUNT.format(cell=shown(value)))
        return int(value)
    text = cell_text(value).lower()
    if not text:
        return None
    text = _PEOPLE.sub("", _ABOUT.sub("", _THOUSANDS.sub("", text)))
    found = _COUNT.fullmatch(text) if isinstance(value, str) else None
    if not found:
        raise CellProblem(NOT_A_COUNT.format(cell=shown(value)))
    count = max(int(found["low"]), int(found["high"] or 0))
    if count > MOST_PEOPLE:
        raise CellProblem(NOT_A_COUNT.format(cell=shown(value)))
    return count


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")
_HEMISPHERE = re.compile(r"^([NSEW])\s*(.+)$|^(.+?)\s*([NSEW])$")


def _coordinate(text: str) -> float | None:
    text = text.strip().upper().replace("−", "-").replace("°", "").strip()
    sign = 1.0
    hemisphere = _HEMISPHERE.match(text)
    if hemisphere:
        letter = hemisphere[1] or hemisphere[4]
        text = (hemisphere[2] or hemisphere[3]).strip()
        sign = -1.0 if letter in "SW" else 1.0
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # a decimal comma
    if not _NUMBER.fullmatch(text):
        return None
    number = sign * float(text)
    return number if -180 <= number <= 180 else None


def read_coordinate(value: Cell) -> float | None:
    """A latitude or a longitude: 42.1015, "-72,5898" (a decimal comma), "42.1015° N",
    "72.5898 W" (west and south are negative); blank is None."""
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time):
        raise CellProblem(NOT_A_COORDINATE.format(cell=shown(value)))
    if isinstance(value, int | float):
        if not (math.isfinite(value) and -180 <= value <= 180):
            raise CellProblem(NOT_A_COORDINATE.format(cell=shown(value)))
        return float(value)
    text = cell_text(value)
    if not text:
        return None
    number = _coordinate(text)
    if number is None:
        raise CellProblem(NOT_A_COORDINATE.format(cell=shown(value)))
    return number


def read_coordinates(value: Cell) -> tuple[float, float] | None:
    """A latitude and a longitude in one cell, in that order: "42.1015, -72.5898",
    "42.1015 -72.5898", "(42.1015; -72.5898)", "42,1015; -72,5898"; blank is None."""
    text = cell_text(value).strip("()[] ")
    if not text:
        return None
    if ";" in text:
        parts = text.split(";")
    elif text.count(",") == 1 and "." in text:
        parts = text.split(",")
    else:
        parts = text.split()
    numbers = [_coordinate(part) for part in parts if part.strip()]
    if len(numbers) != 2 or numbers[0] is None or numbers[1] is None:
        raise CellProblem(NOT_COORDINATES.format(cell=shown(value)))
    return numbers[0], numbers[1]


# ---- yes or no -------------------------------------------------------------------------

_YES = {"yes", "y", "true", "x", "1", "✓", "✔", "checked", "yes please", "requested"}
_NO = {"no", "n", "false", "0", "none", "n/a", "na", "no thanks", "not needed"}


def read_yes_no(value: Cell) -> bool | None:
    """yes/y/true/x/1 (and a TRUE cell) or no/n/false/0/none/n/a; blank is None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = " ".join(cell_text(value).lower().rstrip(".!").split())
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem(NOT_YES_NO.format(cell=shown(value)))


# ---- visits ----------------------------------------------------------------------------

# The kinds of visit (nightout.registry.models.UnitKind; a test keeps them in step), each
# with the words coordinators write for it. Compared without case, spaces, punctuation or a
# plural "s".
VISIT_WORDS: dict[str, tuple[str, ...]] = {
    "police": ("police", "police officers", "PD", "police dept", "police department",
               "officer", "patrol", "patrol car", "cop", "squad car", "cruiser"),
    "fire": ("fire", "FD", "fire dept", "fire department", "fire truck", "fire engine",
             "firefighter", "fire fighter", "engine", "ladder truck"),
    "ems": ("EMS", "ambulance", "paramedic", "EMT"),
    "k9": ("K9", "K-9", "K9 unit", "canine", "canine unit", "police dog"),
    "mcgruff": ("McGruff", "McGruff the crime dog", "crime dog"),
    "official": ("official", "elected official", "city official", "town official", "mayor",
                 "council", "city council", "town council", "councilor", "councillor",
                 "city councilor", "city councillor", "council member", "councilmember",
                 "councilman", "councilwoman", "alderman", "alderwoman", "selectman",
                 "selectwoman", "select board", "state rep", "state representative",
                 "state senator", "senator"),
    "gear_demo": ("gear demo", "gear demonstration", "equipment demo",
                  "equipment demonstration"),
    "outside_agency": ("outside agency", "state police", "national guard",
                       "military", "US marshals", "marshals", "federal agency"),
}
VISIT_KINDS = tuple(VISIT_WORDS)
NO_VISITS = {"none", "na", "no", "nothing", "nope", "notneeded"}


def visit_key(word: str) -> str:
    return re.sub(r"[\W_]+", "", word.casefold())


_VISIT_KEYS = {visit_key(word): kind for kind, words in VISIT_WORDS.items() for word in words}
_PHRASE_WORDS = max(len(word.split()) for words in VISIT_WORDS.values() for word in words)
_SEPARATORS = re.compile(r"\s*(?:[,/&;+|\n\r]|\band\b)\s*", re.IGNORECASE)
_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _kind_of(word: str) -> str | None:
    key = visit_key(word)
    return _VISIT_KEYS.get(key) or (_VISIT_KEYS.get(key[:-1]) if key.endswith("s") else None)


def _kinds_within(text: str) -> list[str]:
    """The kinds whose words appear in free text ("a fire truck for the kids")."""
    words = re.findall(r"[\w-]+", text)
    found: list[str] = []
    start = 0
    while start < len(words):
        for size in range(min(_PHRASE_WORDS, len(words) - start), 0, -1):
            kind = _kind_of(" ".join(words[start:start + size]))
            if kind:
                found.append(kind)
                start += size
                break
        else:
            start += 1
    return found


def read_visit_kinds(value: Cell, *, strict: bool = True) -> list[str]:
    """The kinds of visit asked for: "Police, Fire Truck & McGruff", "PD/FD; EMS", "Mayor and
    Council", in the cell's order, without repeats; "none", "n/a", "no" and blank are [].
    `strict`: an unknown word is a problem naming it; not strict (an "Other" column holding
    free text): the kinds' words are looked for in it and the rest ignored."""
    text = _ASIDE.sub(" ", cell_text(value))
    if visit_key(text) in NO_VISITS or not visit_key(text):
        return []
    kinds: list[str] = []
    for part in _SEPARATORS.split(text):
        if not visit_key(part):
            continue
        kind = _kind_of(part)
        if kind:
            found = [kind]
        elif strict:
            raise CellProblem(NOT_A_KIND.format(word=shown(part)))
        else:
            found = _kinds_within(part)
        kinds += [k for k in found if k not in kinds]
    return kinds


# ---- places ----------------------------------------------------------------------------

_ZIP = re.compile(r"(\d{5})(?:[- ]?(\d{4}))?")


def read_postal_code(value: Cell) -> str:
    """A ZIP code, "01001" or "01001-1234"; a number cell gets back the leading zeros a
    spreadsheet dropped (1001 → "01001", 10011234 → "01001-1234"); blank is ""."""
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time):
        raise CellProblem(NOT_A_ZIP.format(cell=shown(value)))
    if isinstance(value, int | float):
        if not (math.isfinite(value) and float(value).is_integer() and 0 < value < 10**9):
            raise CellProblem(NOT_A_ZIP.format(cell=shown(value)))
        digits = f"{int(value):09d}" if value >= 10**5 else f"{int(value):05d}"
        return f"{digits[:5]}-{digits[5:]}" if len(digits) == 9 else digits
    text = cell_text(value)
    if not text:
        return ""
    found = _ZIP.fullmatch(text)
    if not found:
        raise CellProblem(NOT_A_ZIP.format(cell=shown(value)))
    return f"{found[1]}-{found[2]}" if found[2] else found[1]


# ---- contact ---------------------------------------------------------------------------

_EMAIL = re.compile(r"[^\s@<>,;:\"()\[\]]+@[^\s@<>,;:\"()\[\]]+\.[^\s@<>,;:\"()\[\].]{2,}")
_NAMED_EMAIL = re.compile(r"[^<>]*<([^<>]+)>")


def read_email(value: Cell) -> str:
    """An email address: "dana@example.org", "mailto:dana@example.org",
    "Dana Smith <dana@example.org>"; blank is ""."""
    text = cell_text(value)
    if not text:
        return ""
    named = _NAMED_EMAIL.fullmatch(text)
    address = (named[1] if named else text).strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:"):]
    if address[:1] in ("=", "+", "-", "@"):
        raise CellProblem(FORMULA.format(cell=shown(value), char=address[0]))
    if len(_EMAIL.findall(address)) > 1:
        raise CellProblem(TWO_EMAILS.format(cell=shown(value)))
    if len(address) > EMAIL_LENGTH or not _EMAIL.fullmatch(address):
        raise CellProblem(NOT_AN_EMAIL.format(cell=shown(value)))
    return address


_PHONE = re.compile(r"\+?[\d\s().\-/]+?(?:\s*(?:x|ext\.?|extension|#)\s*\d{1,6})?",
                    re.IGNORECASE)
_SHORTENED = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)


def read_phone(value: Cell) -> str:
    """A phone number as typed ("+1 (413) 555-0100", "413.555.0100", "413-555-0100 x12"),
    or a number cell (4135550100 → "4135550100"); blank is ""."""
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time):
        raise CellProblem(NOT_A_PHONE.format(cell=shown(value)))
    if isinstance(value, float) and not value.is_integer():
        raise CellProblem(NOT_A_PHONE.format(cell=shown(value)))
    text = cell_text(value)
    if not text:
        return ""
    if _SHORTENED.fullmatch(text):
        raise CellProblem(SHORTENED.format(cell=shown(value)))
    found = _PHONE.fullmatch(text)
    digits = re.sub(r"\D", "", re.split(r"(?i)x|ext|#", text)[0])
    if not found or not 7 <= len(digits) <= 15 or len(text) > PHONE_LENGTH:
        raise CellProblem(NOT_A_PHONE.format(cell=shown(value)))
    return text
