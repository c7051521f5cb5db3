"""Great-circle distances and small-area projections."""

import math

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance between two WGS 84 points, in whole metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """The point `north_m` metres north and `east_m` metres east of (lat, lon)."""
    dlat = math.degrees(north_m / EARTH_RADIUS_M)
    dlon = math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


def bounding_box(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    """(south, north, west, east): a box that holds every point within `metres` of (lat,
    lon), its width measured at its edge nearest a pole, where a degree of longitude is
    shortest."""
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    widest = min(abs(lat) + dlat, 89.0)
    dlon = math.degrees(metres / (EARTH_RADIUS_M * max(math.cos(math.radians(widest)), 0.01)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
