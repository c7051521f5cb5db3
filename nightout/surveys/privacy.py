"""Pure rules that keep the trust pulse anonymous (no Django import).

`scrub` removes what could identify someone from a comment. `publishable` decides which
groups of answers may be shown: a group under the threshold is withheld, and so is at least
one more group whenever the withheld ones would otherwise add up to less than the threshold,
so that a published total minus the published groups never reveals a small group.
"""

import re

REMOVED = "[removed]"
# Top-level domains that mark a bare "name.tld" as a web or email address. Only these: every
# country's two letters, or words such as "live" and "top", would take a missing space after a
# full stop ("great.so", "it.Live music") for an address.
TLDS = ("com|org|net|gov|edu|mil|info|biz|io|co|us|uk|ca|app|dev|xyz|example|test|invalid|"
        "localhost|onion")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# "jane at example dot com", "jane (at) example [dot] com", "jane@example dot com".
_AT = r"(?:@|\s*[(\[{<]\s*at\s*[)\]}>]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[(\[{<]\s*dot\s*[)\]}>]\s*|\s+dot\s+)"
SPELLED_EMAIL = re.compile(
    rf"(?:[\w+-]+{_DOT})*[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}(?:{TLDS})\b",
    re.IGNORECASE)
URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
# "phish.example", "example.com/x": a name and a known top-level domain, with any path.
DOMAIN = re.compile(rf"(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{TLDS})\b(?:/\S*)?",
                    re.IGNORECASE)
# A phone number: digits, or digits spelled out ("five five five ..."), in groups split by
# any of the separators people use, 7 digits or more in all.
_DIGIT = r"(?:\d|zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_SEPARATOR = r"(?:[\s().,\-/_*·•|~\\+]|dash|dot|hyphen)*"
NUMBER_RUN = re.compile(rf"(?<!\w)[+(]*{_DIGIT}(?:{_SEPARATOR}{_DIGIT})*(?!\w)", re.IGNORECASE)
DIGIT_WORD = re.compile(r"zero|oh|one|two|three|four|five|six|seven|eight|nine", re.IGNORECASE)
# Runs of many digits that are not phone numbers: dates (8/1/2017, 2017-08-01), ranges of
# years (2016-2017).
NOT_A_PHONE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-](\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2}"
                         r"|(19|20)\d\d\s*[-–/]\s*(19|20)\d\d")
# Letters spelled out one at a time, after a word or not: "j a n e @ g m a i l . c o m",
# "j.a.n.e @ g m a i l . c o m".
SPACED = re.compile(r"(?<!\S)[\w@.+-]+\s+(?:[\w@.+-]\s+){3,}[\w@.+-](?!\S)")


def _digits(run: str) -> int:
    return sum(c.isdigit() for c in DIGIT_WORD.sub("0", run))


def _phone(match: re.Match) -> str:
    run = match.group(0)
    if "," in run and re.search(r"\d\d", run):
        # Commas join digits read out one by one ("five five five, one two ..."), not
        # numbers ("Aug 1, 2017, 17 people"): there, each part is a number of its own.
        return ",".join(_phone_or_not(part) for part in run.split(","))
    return _phone_or_not(run)


def _phone_or_not(run: str) -> str:
    core = run.strip()
    # Seven digits or more: a phone number, or several in a row ("413 555 0123 413 555
    # 9876"), or one after a long badge number; never kept whole.
    if _digits(core) >= 7 and not NOT_A_PHONE.fullmatch(core):
        return run.replace(core, REMOVED)
    return run


def _spaced(match: re.Match) -> str:
    joined = re.sub(r"\s+", "", match.group(0))
    if any(p.search(joined) for p in (EMAIL, DOMAIN)):  # spaced digits: NUMBER_RUN's
        return REMOVED
    return match.group(0)


def scrub(text: str) -> str:
    """Replace email addresses, phone numbers and web addresses with [removed], also when they
    are spelled out ("jane at example dot com", "five five five ...", "j a n e @ ..."), split
    by odd separators or written as a bare domain ("example.com/x")."""
    text = SPACED.sub(_spaced, text)
    for pattern in (EMAIL, SPELLED_EMAIL, URL, DOMAIN):
        text = pattern.sub(REMOVED, text)
    return NUMBER_RUN.sub(_phone, text).strip()


def publishable(groups: dict[str, int], threshold: int, total_published: bool = True
                ) -> set[str]:
    """The keys of `groups` (group → number of answers) whose figures may be published.

    Every group under `threshold` is withheld. If the total of all groups is published too,
    the withheld groups together must reach the threshold; otherwise the next smallest group
    is withheld as well, until they do (or nothing is left to publish).
    """
    shown = {key for key, n in groups.items() if n >= threshold}
    withheld = set(groups) - shown
    if total_published and withheld:
        while shown and sum(groups[k] for k in withheld) < threshold:
            smallest = min(shown, key=lambda k: (groups[k], k))
            shown.discard(smallest)
            withheld.add(smallest)
    return shown
