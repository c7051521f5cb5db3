"""Travel times and distances between points, as integer seconds and metres.

Every model answers the same question: given a list of points, the square matrices of
durations and distances between them (`TravelMatrix`). Three run offline:
- `Haversine`: great-circle distance x a circuity factor, at a set speed (the default);
- `Planar`: Euclidean distance in travel units, truncated to a number of decimals, as the
  TOPTW literature files require (their README: 1 decimal for Solomon, 2 for pr);
- `Table`: a matrix given explicitly.
`RoadService` asks an OSRM-compatible `/table` service and is off unless configured.
"""

from __future__ import annotations

import json
import math
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from nightout.geo.distance import EARTH_RADIUS_M

Point = tuple[float, float]


@dataclass(frozen=True)
class TravelMatrix:
    """durations[i][j] in seconds and distances[i][j] in metres, as int64 arrays."""

    durations: np.ndarray
    distances: np.ndarray

    def duration(self, i: int, j: int) -> int:
        return int(self.durations[i, j])

    def distance(self, i: int, j: int) -> int:
        return int(self.distances[i, j])


class TravelModel(Protocol):
    def matrix(self, points: Sequence[Point]) -> TravelMatrix: ...


def haversine_matrix_m(points: Sequence[Point]) -> np.ndarray:
    """Great-circle distances in whole metres, the vectorised twin of geo.distance.haversine_m."""
    lat = np.radians(np.array([p[0] for p in points], dtype=float))
    lon = np.radians(np.array([p[1] for p in points], dtype=float))
    dp = lat[None, :] - lat[:, None]
    dl = lon[None, :] - lon[:, None]
    a = np.sin(dp / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dl / 2) ** 2
    metres: np.ndarray = np.rint(2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a))))
    return metres.astype(np.int64)


@dataclass(frozen=True)
class Haversine:
    """Straight-line distance x circuity (percent), driven at `speed_kmh`."""

    speed_kmh: int = 30
    circuity_percent: int = 130

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        straight = haversine_matrix_m(points)
        distances = (straight * self.circuity_percent + 50) // 100
        # seconds = metres / (km/h * 1000 / 3600), rounded up so that travel is never optimistic
        durations = -((-distances * 3600) // (self.speed_kmh * 1000))
        return TravelMatrix(durations.astype(np.int64), distances.astype(np.int64))


def _floor_sqrt(values: np.ndarray) -> np.ndarray:
    """Exact integer square roots, floor, of non-negative int64 values."""
    root = np.floor(np.sqrt(values.astype(float))).astype(np.int64)
    root = np.where(root * root > values, root - 1, root)
    root = np.where((root + 1) * (root + 1) <= values, root + 1, root)
    return root


@dataclass(frozen=True)
class Planar:
    """Euclidean distance in coordinate units = time units, truncated to `decimals`, x `scale`.

    With scale 100 and decimals 1 or 2 the truncated times are exact integers. Coordinates
    are read to 3 decimals, which covers every literature file.
    """

    decimals: int = 2
    scale: int = 100

    def __post_init__(self) -> None:
        if self.scale % 10**self.decimals:
            raise ValueError("scale must be a multiple of 10**decimals")

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        xs = np.array([round(p[0] * 1000) for p in points], dtype=np.int64)
        ys = np.array([round(p[1] * 1000) for p in points], dtype=np.int64)
        d2 = (xs[None, :] - xs[:, None]) ** 2 + (ys[None, :] - ys[:, None]) ** 2
        # floor(sqrt(d2) / 1000 * 10**decimals) == isqrt(d2 * 10**(2 decimals) // 10**6)
        truncated = _floor_sqrt(d2 * 10 ** (2 * self.decimals) // 10**6)
        times = truncated * (self.scale // 10**self.decimals)
        return TravelMatrix(times, times.copy())


@dataclass(frozen=True)
class Table:
    """An explicit matrix over `points`; asked about other points, it fails loudly."""

    points: tuple[Point, ...]
    durations: tuple[tuple[int, ...], ...]
    distances: tuple[tuple[int, ...], ...]

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        index = {p: i for i, p in enumerate(self.points)}
        rows = [index[p] for p in points]
        dur = np.array(self.durations, dtype=np.int64)[np.ix_(rows, rows)]
        dist = np.array(self.distances, dtype=np.int64)[np.ix_(rows, rows)]
        return TravelMatrix(dur, dist)


def _http_get_json(url: str, timeout: float) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured URL)
        doc: dict[str, Any] = json.load(response)
    return doc


@dataclass(frozen=True)
class RoadService:
    """An OSRM-compatible table service (`/table/v1/{profile}/lon,lat;...`), points as (lat, lon).

    Off by default: nothing in the planner calls it unless a Problem is built with it.
    Missing entries (unreachable pairs) fall back to the haversine model.
    """

    base_url: str
    profile: str = "driving"
    timeout_s: int = 30
    fallback: Haversine = field(default_factory=Haversine)
    fetch: Callable[[str, float], dict[str, Any]] = field(default=_http_get_json, compare=False,
                                                          repr=False)

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        coords = ";".join(f"{lon:.6f},{lat:.6f}" for lat, lon in points)
        url = (f"{self.base_url.rstrip('/')}/table/v1/{self.profile}/{coords}"
               "?annotations=duration,distance")
        answer = self.fetch(url, self.timeout_s)
        base = self.fallback.matrix(points)
        dur = np.array([[math.nan if v is None else v for v in row] for row in answer["durations"]])
        dist = np.array([[math.nan if v is None else v for v in row]
                         for row in answer["distances"]])
        durations = np.where(np.isnan(dur), base.durations, np.ceil(np.nan_to_num(dur)))
        distances = np.where(np.isnan(dist), base.distances, np.rint(np.nan_to_num(dist)))
        return TravelMatrix(durations.astype(np.int64), distances.astype(np.int64))
