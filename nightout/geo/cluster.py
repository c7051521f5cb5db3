"""Grid clustering of map points, so a big season's map draws a few dozen markers, not 1,500.

Web-Mercator tiles of 2**zoom per side are cut into `cells` x `cells` squares; the points in a
square become one cluster at their mean position. Pure: points in, clusters out.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class Cluster:
    latitude: float
    longitude: float
    count: int
    members: list[tuple[float, float, object]] = field(default_factory=list)


def _tile_xy(lat: float, lon: float, scale: float) -> tuple[int, int]:
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = (lon + 180.0) / 360.0 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return int(x), int(y)


def grid_clusters(
    points: Iterable[tuple[float, float, object]], *, zoom: int, cells: int = 4, keep: int = 0
) -> list[Cluster]:
    """Group (lat, lon, item) points by grid square at `zoom`. A square's cluster keeps its
    points (lat, lon, item) in `members` when it holds at most `keep` of them, to draw them
    as single pins."""
    scale = (2 ** max(0, min(zoom, 22))) * cells
    squares: dict[tuple[int, int], list[tuple[float, float, object]]] = {}
    for lat, lon, item in points:
        squares.setdefault(_tile_xy(lat, lon, scale), []).append((lat, lon, item))
    clusters = []
    for key in sorted(squares):
        found = squares[key]
        n = len(found)
        clusters.append(Cluster(
            latitude=round(sum(p[0] for p in found) / n, 5),
            longitude=round(sum(p[1] for p in found) / n, 5),
            count=n,
            members=found if n <= keep else [],
        ))
    return clusters
