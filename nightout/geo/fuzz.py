"""Block-level points for parties at private homes.

The public never sees a private home's exact pin. `block_point` snaps the pin to the centre of
a grid cell of about `cell_m` metres, then moves it by a fixed amount drawn from a keyed hash
(HMAC-SHA256) of a stable seed (the event's id and its block) under a server secret. The
result depends on the cell, not on where in the cell the house stands, so it cannot be turned
back into the house; it is the same every time for the same key, so maps, feeds and pages all
agree; and without the key nobody can compute the offset, so the public point cannot be moved
back to the cell's centre either. A point that would fall within `min_m` (30 m) of the house
is drawn again from the next part of the keyed hash, so the public point is never on the
house by chance (a "donut": all this tells is that the house is not within 30 m of it).

What this promises, in metres: the public point lies at least `min_m` (30 m) and at most
`max_offset_m()` (about 262 m) from the house, the cell is a square of `cell_m` (250 m) a
side, and nothing public tells where in its cell a house stands.
"""

import hashlib
import hmac
import math

from nightout.geo.distance import EARTH_RADIUS_M, haversine_m, offset

CELL_M = 250
JITTER_M = 60
MIN_M = 30
# Each round of the keyed hash gives four offsets; each is within MIN_M of the house with a
# chance of at most a fifth, so 16 rounds (64 offsets) never all are in practice.
ROUNDS = 16


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
    jitter_m: float = JITTER_M, min_m: float = MIN_M,
) -> tuple[float, float]:
    """A public point near (lat, lon), at block level, rounded to 5 decimals: the same for the
    same cell, seed and key (unless the house is within `min_m` of the first draw)."""
    if not key:
        raise ValueError("block_point needs a secret key")
    centre_lat, centre_lon = _cell_centre(lat, lon, cell_m)
    point = (centre_lat, centre_lon)
    for round_ in range(ROUNDS):
        digest = hmac.new(key, f"{seed}:{round_}".encode(), hashlib.sha256).digest()
        for start in range(0, 32, 8):
            fuzzed = offset(centre_lat, centre_lon, _unit(digest, start) * jitter_m,
                            _unit(digest, start + 4) * jitter_m)
            point = round(fuzzed[0], 5), round(fuzzed[1], 5)
            if haversine_m(lat, lon, *point) >= min_m:
                return point
    return point
