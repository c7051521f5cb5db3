"""The sitemaps.org protocol (0.9) and its XML schemas, written out as checks, for reading
our sitemap index and sitemaps as a search engine reads them.

https://www.sitemaps.org/protocol.html and sitemap.xsd / siteindex.xsd: a `urlset` or a
`sitemapindex` in the 0.9 namespace, 1 to 50,000 entries, each with one absolute `loc` of 12
to 2,048 characters on the sitemap's own host, elements in the schema's order, `lastmod` an
xsd:date or xsd:dateTime, `changefreq` one of seven words, `priority` 0.0 to 1.0, at most
50 MB, UTF-8.
"""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_ENTRIES = 50_000
MAX_BYTES = 50 * 1024 * 1024
CHANGEFREQ = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}
# xsd:date and xsd:dateTime (the union sitemap.xsd's tLastmod allows).
DATE = r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
ZONE = r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
LASTMOD = re.compile(rf"^{DATE}(T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?)?{ZONE}$")
ORDER = {"url": ["loc", "lastmod", "changefreq", "priority"], "sitemap": ["loc", "lastmod"]}


def problems(body: bytes, *, sitemap_url: str, index: bool) -> list[str]:
    """What is wrong with `body` read as a sitemap index (`index`) or a sitemap found at
    `sitemap_url`; empty when it keeps every rule."""
    found = []
    if len(body) > MAX_BYTES:
        found.append(f"{len(body)} bytes: more than 50 MB")
    if not body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
        found.append("no XML declaration saying UTF-8")
    try:
        body.decode("utf-8")
        root = ET.fromstring(body)
    except (UnicodeDecodeError, ET.ParseError) as error:
        return [*found, f"not well-formed UTF-8 XML: {error}"]
    root_name, entry_name = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    if root.tag != f"{{{NS}}}{root_name}":
        found.append(f"root is {root.tag}, not {root_name} in {NS}")
    entries = list(root)
    if not 1 <= len(entries) <= MAX_ENTRIES:
        found.append(f"{len(entries)} entries: a sitemap holds 1 to 50,000")
    home = urlsplit(sitemap_url)
    folder = home.path.rsplit("/", 1)[0] + "/"
    for entry in entries:
        if entry.tag != f"{{{NS}}}{entry_name}":
            found.append(f"{entry.tag} where only {entry_name} may be")
            continue
        ours = [child for child in entry if child.tag.startswith(f"{{{NS}}}")]
        names = [child.tag.removeprefix(f"{{{NS}}}") for child in ours]
        allowed = ORDER[entry_name]
        if [n for n in names if n not in allowed] or names != sorted(names, key=allowed.index):
            found.append(f"{entry_name} holds {names}: only {allowed}, in that order")
            continue
        if names.count("loc") != 1 or any(names.count(n) > 1 for n in names):
            found.append(f"{entry_name} holds {names}: one loc, each other element at most once")
            continue
        values = {n: (child.text or "") for n, child in zip(names, ours, strict=True)}
        loc = values["loc"]
        parts = urlsplit(loc)
        if not 12 <= len(loc) <= 2048 or parts.scheme not in ("http", "https"):
            found.append(f"loc {loc!r} is not an absolute URL of 12 to 2,048 characters")
        elif (parts.scheme, parts.netloc) != (home.scheme, home.netloc):
            found.append(f"loc {loc} is not on the sitemap's host {home.netloc}")
        elif not parts.path.startswith(folder):
            found.append(f"loc {loc} is outside the sitemap's folder {folder}")
        if loc != loc.strip():
            found.append(f"loc {loc!r} has white space around it")
        if "lastmod" in values and not LASTMOD.match(values["lastmod"]):
            found.append(f"lastmod {values['lastmod']!r} is not a W3C date or date and time")
        if "changefreq" in values and values["changefreq"] not in CHANGEFREQ:
            found.append(f"changefreq {values['changefreq']!r} is not one of {CHANGEFREQ}")
        if "priority" in values:
            try:
                priority = float(values["priority"])
            except ValueError:
                priority = -1.0
            if not 0.0 <= priority <= 1.0:
                found.append(f"priority {values['priority']!r} is not between 0.0 and 1.0")
    return found


def locs(body: bytes) -> list[str]:
    return [loc.text for loc in ET.fromstring(body).iter(f"{{{NS}}}loc")]
