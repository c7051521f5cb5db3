"""A registration's history in words: each audit entry's changes as a coordinator reads them
("Status: submitted → approved", "Source: web form", "Starts at: Tue 3 Aug 2027, 6:00 PM
EDT"), the field's name for its code, a choice's label for its value, a moment in the town's
zone. What the trail recorded is shown as recorded; only its wording is the page's."""

import datetime as dt
import zoneinfo

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateformat import format as date_format

from nightout.registry.models import STAFF_SOURCES, ClosureStatus, Event

# Where a registration came from (`Event.source`).
SOURCES = {"web": "web form", "import": "import", "admin": "administration", "demo": "demo",
           **STAFF_SOURCES}
# How a moment is written: the same as the history's own column.
MOMENT = "j M Y, g:i A T"
EMPTY = "(empty)"


def change_lines(changes: dict, zone: zoneinfo.ZoneInfo) -> list[str]:
    """The changes of one audit entry of an event, a line each: the event's fields in the
    form's order, then the rest by name (PostgreSQL keeps no order of a JSON object's keys)."""
    lines = []
    for name, value in sorted(changes.items(), key=lambda item: _place(item[0])):
        label = _label(name)
        if isinstance(value, list) and len(value) == 2:
            old, new = (_value(name, v, zone) for v in value)
            lines.append(f"{label}: {old} → {new}")
        else:
            lines.append(f"{label}: {_value(name, value, zone)}")
    return lines


FIELD_ORDER = {field.name: i for i, field in enumerate(Event._meta.get_fields())}


def _place(name: str) -> tuple[int, str]:
    return FIELD_ORDER.get(name, len(FIELD_ORDER)), name


def _field(name: str) -> models.Field | None:
    try:
        return Event._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(name: str) -> str:
    field = _field(name)
    text = str(field.verbose_name) if isinstance(field, models.Field) else name
    return text[:1].upper() + text[1:]


def _value(name: str, value, zone: zoneinfo.ZoneInfo) -> str:
    if value is None or value == "":
        return EMPTY
    field = _field(name)
    text = str(value)
    if name == "source":
        return SOURCES.get(text, text)
    if name == "closure":
        return ClosureStatus(text).label.lower() if text in ClosureStatus.values else text
    if isinstance(field, models.Field) and field.choices:
        return str(dict(field.flatchoices).get(text, text)).lower()
    if isinstance(field, models.BooleanField):
        return {"True": "yes", "False": "no"}.get(text, text)
    if isinstance(field, models.DateTimeField):
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return text  # written in words already (the town's zone)
        if moment.tzinfo is not None:
            return date_format(moment.astimezone(zone), MOMENT)
    return text
