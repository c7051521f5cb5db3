"""A town's area and its districts as people bring them: a GeoJSON or KML file exported from a
county GIS site, Google My Maps or QGIS, or a shape drawn on our own map. Read into the GeoJSON
the jurisdiction keeps (`check_polygon`, `check_districts`), with a message that says what to fix
when the file cannot be read. KML is parsed with defusedxml (a file from anywhere may carry
entity bombs or external references)."""

import itertools
import json
import math
from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405 (types only; parsing is defusedxml's)

from defusedxml import ElementTree as SafeTree

from nightout.geo.geojson import GeoJSONError, check_districts, check_polygon

MAX_BYTES = 5_000_000
# What a district's name is called in the files towns export, in the order they are tried.
NAME_PROPERTIES = ("name", "district", "district_name", "label", "title", "ward", "beat",
                   "sector", "zone", "id")

TOO_BIG = "The file is {size:,} bytes; an area or its districts fit in {limit:,}."
NOT_TEXT = "The file is not text: export the area as GeoJSON (.geojson) or KML (.kml)."
NOT_READ = ("The file is neither GeoJSON nor KML{why}. Export the area as GeoJSON (.geojson) "
            "or KML (.kml); a .kmz or a shapefile must be unpacked or converted first.")
NO_POLYGON = "The file holds no polygon: draw or export the town's limits as a closed shape."
NO_NAME = ("District {n} has no name: give each shape a property called “name” (or "
           "“district”), or a <name> in KML.")


class AreaError(ValueError):
    """The file or drawing cannot be read as an area or districts: the message says why."""


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise AreaError(TOO_BIG.format(size=len(data), limit=MAX_BYTES))
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AreaError(NOT_TEXT)


Shape = dict[str, Any]  # a GeoJSON object
Ring = list[list[float]]


def _document(data: bytes | str) -> tuple[str, Any]:
    """("geojson", the parsed object) or ("kml", its root element)."""
    text = _text(data).strip()
    if text.startswith("<"):
        try:
            return "kml", SafeTree.fromstring(text.encode())
        except Exception as exc:  # defusedxml's refusals and ParseError alike
            raise AreaError(NOT_READ.format(why=f" (its XML breaks off: {exc})")) from None
    try:
        return "geojson", json.loads(text)
    except ValueError:
        raise AreaError(NOT_READ.format(why="")) from None


# ------------------------------------------------------------------ GeoJSON

def _geojson_features(document: Any) -> list[tuple[Shape, Shape]]:
    """(properties, geometry) of every polygon the document holds, whatever wraps it."""
    if not isinstance(document, dict):
        raise AreaError(NOT_READ.format(why=" (it is not a GeoJSON object)"))
    kind = document.get("type")
    if kind == "FeatureCollection":
        found = []
        for feature in document.get("features") or []:
            found += _geojson_features(feature)
        return found
    if kind == "Feature":
        geometry = document.get("geometry") or {}
        return [(document.get("properties") or {}, g) for g in _polygons_of(geometry)]
    return [({}, g) for g in _polygons_of(document)]


def _polygons_of(geometry: Any) -> list[Shape]:
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind in ("Polygon", "MultiPolygon"):
        return [{"type": kind, "coordinates": _rounded(geometry.get("coordinates"))}]
    if kind == "GeometryCollection":
        return [p for g in geometry.get("geometries") or [] for p in _polygons_of(g)]
    return []  # points and lines are not areas


def _rounded(coordinates: Any) -> Any:
    """Positions to six decimals (about 10 cm), without altitude."""
    if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], int | float):
        return [round(float(c), 6) for c in coordinates[:2]]
    if isinstance(coordinates, list):
        return [_rounded(c) for c in coordinates]
    return coordinates


# ------------------------------------------------------------------ KML

def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [e for e in element.iter() if _local(e) == name]


def _ring(element: Element | None) -> Ring:
    if element is None:
        return []
    coordinates = next((e for e in element.iter() if _local(e) == "coordinates"), None)
    ring = []
    for tuple_ in (coordinates.text or "").split() if coordinates is not None else []:
        parts = tuple_.split(",")
        try:
            ring.append([round(float(parts[0]), 6), round(float(parts[1]), 6)])
        except (ValueError, IndexError):
            raise AreaError(NOT_READ.format(why=f" (the KML position {tuple_!r} is not "
                                            "longitude,latitude)")) from None
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    return ring


def _kml_polygon(polygon: Element) -> list[Ring]:
    outer = next((e for e in polygon if _local(e) == "outerBoundaryIs"), None)
    holes = [e for e in polygon if _local(e) == "innerBoundaryIs"]
    return [_ring(outer), *(_ring(h) for h in holes)]


def _kml_features(root: Element) -> list[tuple[Shape, Shape]]:
    found = []
    for placemark in _children(root, "Placemark"):
        polygons = [_kml_polygon(p) for p in _children(placemark, "Polygon")]
        if not polygons:
            continue
        name = next((e.text for e in placemark if _local(e) == "name"), None)
        properties = {"name": name.strip()} if name and name.strip() else {}
        for data in _children(placemark, "SimpleData") + _children(placemark, "Data"):
            key = data.get("name")
            value = data.text if _local(data) == "SimpleData" else next(
                (e.text for e in data if _local(e) == "value"), None)
            if key and value and key not in properties:
                properties[key] = value.strip()
        geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                    else {"type": "MultiPolygon", "coordinates": polygons})
        found.append((properties, geometry))
    return found


# ------------------------------------------------------------------ what we keep

def _features(data: bytes | str) -> list[tuple[Shape, Shape]]:
    kind, document = _document(data)
    features = _geojson_features(document) if kind == "geojson" else _kml_features(document)
    if not features:
        raise AreaError(NO_POLYGON)
    return features


def _checked(geometry: Shape, where: str) -> Shape:
    try:
        check_polygon(geometry, where)
    except GeoJSONError as exc:
        raise AreaError(str(exc)) from None
    return geometry


def area_read(data: bytes | str) -> Shape:
    """The town's limits: every polygon of the file (or drawing) as one Polygon or
    MultiPolygon."""
    polygons: list[list[Ring]] = []
    for _, geometry in _features(data):
        _checked(geometry, "The area")
        polygons += ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                     else geometry["coordinates"])
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _name(properties: Shape) -> str | None:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in NAME_PROPERTIES:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return None


def districts_read(data: bytes | str) -> Shape:
    """The town's districts: a FeatureCollection of named polygons (the name read from the
    first of NAME_PROPERTIES a shape has; shapes of one name kept as one district)."""
    named: dict[str, list[list[Ring]]] = {}
    for n, (properties, geometry) in enumerate(_features(data), start=1):
        name = _name(properties)
        if not name:
            raise AreaError(NO_NAME.format(n=n))
        _checked(geometry, f"District {name!r}")
        named.setdefault(name, []).extend(
            [geometry["coordinates"]] if geometry["type"] == "Polygon"
            else geometry["coordinates"])
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name},
         "geometry": ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                      else {"type": "MultiPolygon", "coordinates": polygons})}
        for name, polygons in named.items()]}
    try:
        check_districts(collection)
    except GeoJSONError as exc:
        raise AreaError(str(exc)) from None
    return collection


def _outer_rings(geometry: Shape) -> list[Ring]:
    polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                else geometry["coordinates"])
    return [polygon[0] for polygon in polygons]


def area_summary(geometry: Shape) -> dict[str, Any]:
    """What a preview says of an area: its centre (of its largest part), its size in square
    miles and its extent, and how many parts and points it has."""
    rings = _outer_rings(geometry)
    sizes = [_square_miles(ring) for ring in rings]
    largest = rings[sizes.index(max(sizes))]
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    latitude, longitude = _centroid(largest)
    return {"latitude": round(latitude, 6), "longitude": round(longitude, 6),
            "square_miles": round(sum(sizes), 1), "parts": len(rings),
            "points": sum(len(r) for r in rings),
            "bounds": [[min(lats), min(lons)], [max(lats), max(lons)]]}


MILES_PER_DEGREE = 69.05


def _planar(ring: Ring) -> list[tuple[float, float]]:
    """The ring in miles on a plane tangent at its first point (a town is small)."""
    lat0 = ring[0][1]
    scale = math.cos(math.radians(lat0)) * MILES_PER_DEGREE
    return [((lon - ring[0][0]) * scale, (lat - lat0) * MILES_PER_DEGREE) for lon, lat in ring]


def _square_miles(ring: Ring) -> float:
    points = _planar(ring)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(points))) / 2


def _centroid(ring: Ring) -> tuple[float, float]:
    """The ring's centroid (latitude, longitude); its vertices' mean if it has no area."""
    twice_area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        cross = x1 * y2 - x2 * y1
        twice_area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(twice_area) < 1e-12:
        return (sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring))
    return cy / (3 * twice_area), cx / (3 * twice_area)
