"""Calendar files read as their clients read them: by `icalendar` and by `vobject`, each
giving every VEVENT's (start, end, zone name of its start, UID)."""

import icalendar
import vobject


def read_with_icalendar(body: bytes) -> list[tuple]:
    calendar = icalendar.Calendar.from_ical(body)
    return [(e.decoded("dtstart"), e.decoded("dtend"), e["dtstart"].params.get("TZID"),
             str(e["uid"])) for e in calendar.walk("VEVENT")]


def read_with_vobject(body: bytes) -> list[tuple]:
    calendar = vobject.readOne(body.decode())
    # vobject applies the file's VTIMEZONE and keeps the name it read as X-VOBJ-ORIGINAL-TZID.
    return [(e.dtstart.value, e.dtend.value, e.dtstart.params["X-VOBJ-ORIGINAL-TZID"][0],
             e.uid.value)
            for e in calendar.vevent_list]
