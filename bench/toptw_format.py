"""Reading the TOPTW literature files (../shared/bench/toptw/README.md) into planner Problems.

Times are multiplied by 100 so that the truncated travel times (1 decimal for the
Solomon-based files, 2 for pr and the city) are exact integers; the planner sees them as
integer "seconds". Every customer asks for one visit of kind "vehicle", worth its profit.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from nightout.planner.problem import Problem, Site, TimeWindow, Unit
from nightout.planner.travel import Planar

SCALE = 100
KIND = "vehicle"


def _num(token: str) -> int:
    """A decimal time from a file, x SCALE, exactly (the files have at most 2 decimals)."""
    scaled = Decimal(token) * SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"time {token} has more than 2 decimals")
    return int(scaled)


def decimals_for(name: str) -> int:
    return 2 if name.startswith(("pr", "city")) else 1


def read(path: Path, vehicles: int, stations: Path | None = None) -> Problem:
    name = path.stem
    lines = [ln.split() for ln in path.read_text().splitlines() if ln.strip()]
    header = [tok for ln in lines[:2] for tok in ln]
    n = int(header[2])
    rows = lines[-(n + 1):]
    depot = rows[0]
    depot_point = (float(depot[1]), float(depot[2]))
    shift = TimeWindow(_num(depot[-2]), _num(depot[-1]))
    sites = []
    for row in rows[1:]:
        stay = _num(row[3])
        early, late = _num(row[-2]), _num(row[-1])
        sites.append(Site(id=row[0], point=(float(row[1]), float(row[2])),
                          hours=TimeWindow(early, late + stay), stay=stay,
                          priority=int(float(row[4])), requests=(KIND,), order=int(row[0])))
    starts = [depot_point] * vehicles
    if stations is not None:
        starts = []
        with stations.open() as fh:
            for rec in csv.DictReader(fh):
                starts += [(float(rec["x"]), float(rec["y"]))] * int(rec["units"])
        starts = starts[:vehicles] if len(starts) >= vehicles else starts
    units = tuple(Unit(id=f"u{i}", kind=KIND, shift=shift, start=p, end=p)
                  for i, p in enumerate(starts))
    return Problem(sites=tuple(sites), units=units,
                   travel=Planar(decimals=decimals_for(name), scale=SCALE))
