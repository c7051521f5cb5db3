"""Block-level points for parties at private homes.

The public never sees a private home's exact pin. `block_point` snaps the pin to the centre of
a grid cell of about `cell_m` metres, then moves it by a fixed amount drawn from a hash of a
stable seed (the event's id and its block). The result depends on the cell, not on where in
the cell the house stands, so it cannot be turned back into the house; and it is the same
every time (no SECRET_KEY, no randomness), so maps, feeds and pages all agree.
"""

import hashlib
import math

from nightout.geo.distance import EARTH_RADIUS_M, offset

CELL_M = 250
JITTER_M = 60


def _cell_centre(lat: float, lon: float, cell_m: float) -> tuple[float, float]:
    dlat = math.degrees(cell_m / EARTH_RADIUS_M)
    row = math.floor(lat / dlat)
    centre_lat = (row + 0.5) * dlat
    dlon = math.degrees(cell_m / (EARTH_RADIUS_M * math.cos(math.radians(centre_lat))))
    column = math.floor(lon / dlon)
    return centre_lat, (column + 0.5) * dlon


def _unit(digest: bytes, start: int) -> float:
    """A number in [-1, 1) from four bytes of the digest."""
    return int.from_bytes(digest[start:start + 4], "big") / 2**31 - 1


def block_point(
    lat: float, lon: float, seed: str, *, cell_m: float = CELL_M, jitter_m: float = JITTER_M
) -> tuple[float, float]:
    """A deterministic public point near (lat, lon), at block level, rounded to 5 decimals."""
    centre_lat, centre_lon = _cell_centre(lat, lon, cell_m)
    digest = hashlib.sha256(seed.encode()).digest()
    fuzzed = offset(centre_lat, centre_lon, _unit(digest, 0) * jitter_m, _unit(digest, 4) * jitter_m)
    return round(fuzzed[0], 5), round(fuzzed[1], 5)
