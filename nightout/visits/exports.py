"""A plan version as JSON or CSV: each unit's stops with coordinates and times. The CSV goes
through the one CSV writer (nightout.registry.exports), so a party's title or address that
starts like a formula stays text in a spreadsheet."""

from __future__ import annotations

import io

from nightout.registry.exports import write_csv
from nightout.visits.models import PlanVersion
from nightout.visits.selectors import version_stops

CSV_COLUMNS = ["unit", "agency", "kind", "order", "event_id", "event", "address", "latitude",
               "longitude", "arrival", "start", "departure", "pinned", "status"]


def version_as_dict(version: PlanVersion) -> dict:
    units: dict[int, dict] = {}
    zone = version.season.jurisdiction.zone
    for s in version_stops(version):
        entry = units.setdefault(s.unit_id, {
            "unit": s.unit.name, "agency": s.unit.agency.name, "kind": s.unit.kind, "stops": []})
        entry["stops"].append({
            "order": s.order, "event_id": s.event_id, "event": s.event.title,
            "address": s.event.address, "latitude": s.event.latitude,
            "longitude": s.event.longitude, "kind": s.kind,
            "arrival": s.arrival.astimezone(zone).isoformat(),
            "start": s.start.astimezone(zone).isoformat(),
            "departure": s.departure.astimezone(zone).isoformat(),
            "pinned": s.pinned, "status": s.status,
        })
    return {
        "season": version.season.slug, "version": version.number, "locked": version.locked,
        "score": version.score, "parties_reached": version.parties_reached,
        "first_come_first_served_parties": version.fcfs_parties,
        "units": list(units.values()),
    }


def version_as_csv(version: PlanVersion) -> str:
    out = io.StringIO()
    rows = [
        [unit["unit"], unit["agency"], unit["kind"], s["order"], s["event_id"], s["event"],
         s["address"], s["latitude"], s["longitude"], s["arrival"], s["start"], s["departure"],
         s["pinned"], s["status"]]
        for unit in version_as_dict(version)["units"]
        for s in unit["stops"]
    ]
    write_csv(out, [CSV_COLUMNS, *rows], byte_order_mark=False)  # for the command line
    return out.getvalue()
