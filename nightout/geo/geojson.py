"""Checks and lookups on RFC 7946 GeoJSON polygons (positions are [longitude, latitude])."""

from collections.abc import Iterable
from typing import Any

POLYGON_TYPES = ("Polygon", "MultiPolygon")


class GeoJSONError(ValueError):
    pass


def _check_ring(ring: object, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeoJSONError(f"{where}: a ring needs at least four positions.")
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(c, (int, float)) for c in position[:2])
        ):
            raise GeoJSONError(f"{where}: each position must be [longitude, latitude].")
        lon, lat = position[:2]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise GeoJSONError(f"{where}: position {position} is outside longitude/latitude range.")
    if ring[0][:2] != ring[-1][:2]:
        raise GeoJSONError(f"{where}: a ring must end where it starts.")


def check_polygon(geometry: object, where: str = "geometry") -> None:
    """Raise GeoJSONError unless `geometry` is a GeoJSON Polygon or MultiPolygon."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise GeoJSONError(f"{where}: expected a GeoJSON Polygon or MultiPolygon.")
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise GeoJSONError(f"{where}: coordinates are missing.")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeoJSONError(f"{where}: a polygon needs at least one ring.")
        for ring in polygon:
            _check_ring(ring, where)


def check_districts(collection: object) -> None:
    """Raise GeoJSONError unless `collection` is a FeatureCollection of named polygons."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GeoJSONError("districts: expected a GeoJSON FeatureCollection.")
    features = collection.get("features")
    if not isinstance(features, list):
        raise GeoJSONError("districts: 'features' must be a list.")
    names = set()
    for index, feature in enumerate(features):
        where = f"districts feature {index + 1}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise GeoJSONError(f"{where}: expected a Feature.")
        name = (feature.get("properties") or {}).get("name")
        if not name:
            raise GeoJSONError(f"{where}: properties.name is required.")
        if name in names:
            raise GeoJSONError(f"{where}: the name {name!r} is used twice.")
        names.add(name)
        check_polygon(feature.get("geometry"), where)


def _in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(geometry: dict[str, Any], lat: float, lon: float) -> bool:
    """Whether the point lies inside the Polygon or MultiPolygon (holes excluded)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for outer, *holes in polygons:
        if _in_ring(lon, lat, outer) and not any(_in_ring(lon, lat, h) for h in holes):
            return True
    return False


def district_of(collection: dict[str, Any] | None, lat: float, lon: float) -> str | None:
    """The name of the first district containing the point, or None."""
    features: Iterable[dict[str, Any]] = (collection or {}).get("features", [])
    for feature in features:
        if contains(feature["geometry"], lat, lon):
            name: str | None = feature["properties"]["name"]
            return name
    return None
