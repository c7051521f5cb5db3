"""What the parts of an import hand each other: a row read from a spreadsheet (`ImportRow`),
and what is wrong with one (`Fault`).

A row keeps only what was read from the columns mapped to a field: its values (`data`), the
column each field came from (`columns`, to name a fault's column) and those columns' cells as
shown to a person (`cells`, for the file of faulty rows). A column left out is never in a
row, so it never reaches the staging table, the database or a log. Both are JSON-safe
(`as_json`, `from_json`) for the web import's staging (`batches`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from nightout.registry.services import ClosureInput, EventInput, HostInput


@dataclass(frozen=True)
class Fault:
    line: int  # the physical line: header = line 1, blank lines count
    column: str  # the column as the file spells it; "" for the whole line
    value: str  # the cell as shown to a person ("" when none)
    message: str  # what is wrong and what to do, a sentence

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        return cls(line=int(data["line"]), column=str(data["column"]),
                   value=str(data["value"]), message=str(data["message"]))


def _time_text(value: dt.time) -> str:
    return value.isoformat(timespec="seconds" if value.second else "minutes")


@dataclass(frozen=True)
class ImportRow:
    line: int
    data: EventInput
    reference: str = ""  # the town's own ID for the party, when the file has one
    submitted_at: dt.datetime | None = None
    # EventInput field name ("address", "starts", "latitude", "closure", "visits",
    # "host_email", ...) -> the column as spelled, to name a service error's column.
    columns: dict[str, str] = field(default_factory=dict)
    # The mapped columns as spelled -> the cell's text, for the CSV of faulty rows.
    cells: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """JSON-safe: times as "HH:MM", dates and moments in ISO 8601."""
        data = self.data
        values = asdict(data)
        values["starts"], values["ends"] = _time_text(data.starts), _time_text(data.ends)
        values["rain_date"] = data.rain_date.isoformat() if data.rain_date else None
        values["visit_times"] = {k: _time_text(v) for k, v in data.visit_times.items()}
        return {
            "line": self.line, "data": values, "reference": self.reference,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
            "columns": dict(self.columns), "cells": dict(self.cells),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportRow:
        values = dict(data["data"])
        values["starts"] = dt.time.fromisoformat(values["starts"])
        values["ends"] = dt.time.fromisoformat(values["ends"])
        values["rain_date"] = (dt.date.fromisoformat(values["rain_date"])
                               if values.get("rain_date") else None)
        values["visit_times"] = {k: dt.time.fromisoformat(v)
                                 for k, v in (values.get("visit_times") or {}).items()}
        values["host"] = HostInput(**values["host"])
        values["closure"] = ClosureInput(**values["closure"]) if values.get("closure") else None
        submitted = data.get("submitted_at")
        return cls(
            line=int(data["line"]), data=EventInput(**values),
            reference=data.get("reference") or "",
            submitted_at=dt.datetime.fromisoformat(submitted) if submitted else None,
            columns=dict(data.get("columns") or {}), cells=dict(data.get("cells") or {}),
        )
