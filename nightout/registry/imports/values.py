"""One spreadsheet cell → one value, read as people and spreadsheets type it.

Pure Python (no Django), typed strictly (`mypy --strict`). Every reader takes a cell as the
file typed it (see `Cell`) and returns the value, or raises `CellProblem` whose message quotes
what was found and says what to write instead. Times and ranges of times are read in
`times.py` (re-exported here); docs/import.md lists every format each reader takes.
"""

import datetime as dt
import math
import re

from nightout.plaintext import text_problem, with_newlines
from nightout.registry.imports.cells import (
    Cell,
    CellProblem,
    cell_text,
    is_time_only,
    shown,
)
from nightout.registry.imports.times import Night, read_hours, read_time

__all__ = [
    "Cell", "CellProblem", "Night", "cell_text", "read_coordinate", "read_coordinates",
    "read_count", "read_date", "read_email", "read_hours", "read_moment", "read_phone",
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
SHORTENED = ("“{cell}” is a phone number a spreadsheet shortened into a number; format the "
             "column as text, type the number again and save.")
NOT_A_DATE = "“{cell}” is not a date such as 8/3/2027, 2027-08-03 or Aug 3, 2027."
A_TIME = "“{cell}” is a time, not a date; write a date such as 8/3/2027."
A_NUMBER_DATE = ("“{cell}” is a number, not a date; format the column as a date, or write a "
                 "date such as 8/3/2027.")
WRONG_WEEKDAY = "“{cell}”: {date:%B} {date.day}, {date.year} is a {date:%A}; correct the date."
NOT_A_MOMENT = "“{cell}” is not a date and time such as 7/1/2027 14:05 or 2027-07-01 14:05."

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


# ---- dates -----------------------------------------------------------------------------

MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1)
    for name in names}
WEEKDAYS = {name: number for number, names in enumerate(
    [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
     ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
     ("sun", "sunday")]) for name in names}
_WEEKDAY = re.compile(r"^(?P<weekday>[a-z]+)\.?,?\s+(?=\S)")
_TIME_AFTER = re.compile(r"(?:\s+|t)(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                         r"(?:\s*[ap]\.?m\.?)?)$")
_DATES = [
    re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"),
    re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2}|\d{4})"),
    re.compile(r"(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{2}|\d{4})"),
    re.compile(r"(?P<name>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+"
               r"(?P<year>\d{2}|\d{4})"),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)(?P<name>[a-z]+)\.?,?(?:\s+|-)"
               r"(?P<year>\d{2}|\d{4})"),
]


def _date_text(cell: str) -> tuple[dt.date | None, str]:
    """The date a text names, and what follows it (a time, or ""); None when no date."""
    text = " ".join(cell.lower().split())
    weekday = _WEEKDAY.match(text)
    if weekday and weekday["weekday"] in WEEKDAYS:
        text = text[weekday.end():]
    after = _TIME_AFTER.search(text)
    rest = after["time"] if after else ""
    text = text[:after.start()] if after else text
    for pattern in _DATES:
        found = pattern.fullmatch(text)
        if not found:
            continue
        parts = found.groupdict()
        month = MONTHS.get(parts["name"] or "") if "name" in parts else int(parts["month"])
        year = int(parts["year"]) + (2000 if len(parts["year"]) == 2 else 0)
        try:
            date = dt.date(year, month or 0, int(parts["day"]))
        except ValueError:
            return None, rest
        if weekday and weekday["weekday"] in WEEKDAYS and \
                WEEKDAYS[weekday["weekday"]] != date.weekday():
            raise CellProblem(WRONG_WEEKDAY.format(cell=shown(cell), date=date))
        return date, rest
    return None, rest


def read_date(value: Cell) -> dt.date:
    """A date: "8/3/2027", "08/03/2027", "8/3/27" (month first), "8-3-2027", "2027-08-03",
    "Aug 3, 2027", "August 3rd 2027", "3-Aug-2027", "Tuesday, August 3, 2027" (the weekday
    is checked), a date cell or a date and time cell (its date)."""
    if isinstance(value, dt.datetime):
        if is_time_only(value):
            raise CellProblem(A_TIME.format(cell=shown(value)))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        raise CellProblem(A_TIME.format(cell=shown(value)))
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellProblem(A_NUMBER_DATE.format(cell=shown(value)))
    date, _ = _date_text(cell_text(value))
    if date is None:
        raise CellProblem(NOT_A_DATE.format(cell=shown(value)))
    return date


def read_moment(value: Cell, zone: dt.tzinfo) -> dt.datetime:
    """A date and time (when a registration was submitted) in `zone`, the jurisdiction's:
    "7/1/2027 14:05", "2027-07-01 14:05:09", "2027-07-01T18:05:09+00:00", "7/1/2027 2:05 PM",
    a date and time cell, a date alone (its midnight)."""
    if isinstance(value, dt.datetime) and not is_time_only(value):
        moment = value
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        moment = dt.datetime.combine(value, dt.time(0))
    else:
        text = cell_text(value) if isinstance(value, str) else ""
        try:
            moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            moment = _moment_text(text, value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _moment_text(text: str, value: Cell) -> dt.datetime:
    try:
        date, rest = _date_text(text)
    except CellProblem:
        date, rest = None, ""
    if date is None:
        raise CellProblem(NOT_A_MOMENT.format(cell=shown(value)))
    if not rest:
        return dt.datetime.combine(date, dt.time(0))
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([ap])\.?m\.?)?", rest)
    hour = int(clock[1]) if clock else 99
    if clock and clock[4]:
        hour = hour % 12 + (12 if clock[4] == "p" else 0) if 1 <= hour <= 12 else 99
    if not clock or hour > 23 or int(clock[2]) > 59 or int(clock[3] or 0) > 59:
        raise CellProblem(NOT_A_MOMENT.format(cell=shown(value)))
    return dt.datetime.combine(date, dt.time(hour, int(clock[2]), int(clock[3] or 0)))
