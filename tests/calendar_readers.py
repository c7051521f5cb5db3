"""Calendar files read as their clients read them: by `icalendar`, by `vobject`, by the
standard library alone (the content lines and `zoneinfo`), and by Mozilla's ical.js under node
(`tests/icaljs_read.mjs`, the reader of Thunderbird and of many web calendars).

`read_with_icalendar` and `read_with_vobject` give every VEVENT's (start, end, zone name of its
start, UID); `READERS` maps each reader's name to a function giving, for every VEVENT, what
all of them must agree on: {"uid", "start", "end" (aware, in UTC), "sequence", "status"}.
"""

import datetime as dt
import json
import re
import subprocess
import zoneinfo

import icalendar
import vobject

from tests.node_tools import ROOT, npm_package

ICALJS_SCRIPT = ROOT / "tests" / "icaljs_read.mjs"


def _vobject_read(body: bytes):
    # vobject keeps the first VTIMEZONE it read of a name for the rest of the process; a
    # client reads each file afresh, with its own blocks.
    registry = vars(vobject.icalendar)["__tzidMap"]
    for name in [n for n in registry if n != "UTC"]:
        del registry[name]
    return vobject.readOne(body.decode())


def read_with_icalendar(body: bytes) -> list[tuple]:
    calendar = icalendar.Calendar.from_ical(body)
    return [(e.decoded("dtstart"), e.decoded("dtend"), e["dtstart"].params.get("TZID"),
             str(e["uid"])) for e in calendar.walk("VEVENT")]


def read_with_vobject(body: bytes) -> list[tuple]:
    calendar = _vobject_read(body)
    # vobject applies the file's VTIMEZONE and keeps the name it read as X-VOBJ-ORIGINAL-TZID.
    return [(e.dtstart.value, e.dtend.value, e.dtstart.params["X-VOBJ-ORIGINAL-TZID"][0],
             e.uid.value)
            for e in calendar.vevent_list]


def _utc(value: dt.datetime) -> dt.datetime:
    assert value.tzinfo is not None, f"a floating time: {value}"
    return value.astimezone(dt.UTC)


def icalendar_utc(body: bytes) -> list[dict]:
    return [{"uid": str(e["uid"]), "start": _utc(e.decoded("dtstart")),
             "end": _utc(e.decoded("dtend")), "sequence": int(e.get("sequence", 0)),
             "status": str(e.get("status", ""))}
            for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def vobject_utc(body: bytes) -> list[dict]:
    events = []
    for e in _vobject_read(body).vevent_list:
        contents = e.contents
        events.append({
            "uid": e.uid.value, "start": _utc(e.dtstart.value), "end": _utc(e.dtend.value),
            "sequence": int(contents["sequence"][0].value) if "sequence" in contents else 0,
            "status": contents["status"][0].value if "status" in contents else ""})
    return events


_LINE = re.compile(r"^(?P<name>[A-Z-]+)(?P<params>(;[^:]*)?):(?P<value>.*)$")


def _stdlib_time(params: str, value: str) -> dt.datetime:
    """A DATE-TIME as RFC 5545 writes it: UTC (Z), or local in the zone its TZID names (read
    from the system's time-zone database, not from the file: the file's VTIMEZONE must agree
    with it)."""
    moment = dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return moment.replace(tzinfo=dt.UTC)
    match = re.search(r"TZID=([^;:]+)", params)
    assert match, f"a floating time: {value}"
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(match[1])).astimezone(dt.UTC)


def stdlib_utc(body: bytes) -> list[dict]:
    lines = re.sub(r"\r\n[ \t]", "", body.decode()).split("\r\n")
    events, current, depth = [], None, []
    for line in lines:
        match = _LINE.match(line)
        if not match:
            continue
        name, params, value = match["name"], match["params"] or "", match["value"]
        if name == "BEGIN":
            depth.append(value)
            if value == "VEVENT":
                current = {"sequence": 0, "status": ""}
        elif name == "END":
            depth.pop()
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None and depth[-1] == "VEVENT":
            if name == "UID":
                current["uid"] = value
            elif name in ("DTSTART", "DTEND"):
                current["start" if name == "DTSTART" else "end"] = _stdlib_time(params, value)
            elif name == "SEQUENCE":
                current["sequence"] = int(value)
            elif name == "STATUS":
                current["status"] = value
    return events


def icaljs_utc(body: bytes) -> list[dict]:
    library = npm_package("icaljs", "ical.js@2", "node_modules/ical.js/dist/ical.js")
    done = subprocess.run(["node", str(ICALJS_SCRIPT), str(library)], input=body,
                          capture_output=True, timeout=60, check=True)
    assert all(e["zone"] not in (None, "floating") for e in json.loads(done.stdout)), \
        "ical.js read a floating time: the file's zone was not understood"
    return [{"uid": e["uid"], "start": _utc(dt.datetime.fromisoformat(e["start"])),
             "end": _utc(dt.datetime.fromisoformat(e["end"])), "sequence": e["sequence"] or 0,
             "status": e["status"] or ""}
            for e in json.loads(done.stdout)]


READERS = {"icalendar": icalendar_utc, "vobject": vobject_utc, "stdlib": stdlib_utc,
           "ical.js": icaljs_utc}
