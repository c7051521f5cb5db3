"""Block-level points for parties at private homes.

The public never sees a private home's exact pin. `block_point` snaps the pin to the centre of
a grid cell of about `cell_m` metres, then moves it by a fixed amount drawn from a keyed hash
(HMAC-SHA256 under a server secret) of a stable seed: the home's block, so every party on that
block in that cell, this year or any other, gets the same point, and a home registered again
gives nothing new to average. The result depends on the cell, not on where in the cell the
house stands, so it cannot be turned back into the house.

What this promises, in metres: the public point lies at most `max_offset_m()` (about 262 m)
from the house; the cell, a square of `cell_m` (250 m) a side, can be told from the point (the
grid is fixed and the offset is less than half a cell), as the block can from the label; and
nothing public tells where in its cell the house stands. The key keeps the offset from being
worked out from the block alone, before a point is published.
"""

import hashlib
import hmac
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


def max_offset_m(*, cell_m: float = CELL_M, jitter_m: float = JITTER_M) -> float:
    """The furthest a public point can be from the house: half the cell's diagonal plus the
    jitter's, plus a metre for rounding."""
    return (cell_m / 2 + jitter_m) * math.sqrt(2) + 1


def block_point(
    lat: float, lon: float, seed: str, *, key: bytes, cell_m: float = CELL_M,
    jitter_m: float = JITTER_M,
) -> tuple[float, float]:
    """A public point near (lat, lon), at block level, rounded to 5 decimals: the same for the
    same cell, seed and key."""
    if not key:
        raise ValueError("block_point needs a secret key")
    centre_lat, centre_lon = _cell_centre(lat, lon, cell_m)
    digest = hmac.new(key, seed.encode(), hashlib.sha256).digest()
    fuzzed = offset(centre_lat, centre_lon, _unit(digest, 0) * jitter_m,
                    _unit(digest, 4) * jitter_m)
    return round(fuzzed[0], 5), round(fuzzed[1], 5)
