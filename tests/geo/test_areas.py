"""A town's area and districts read from the files towns bring: GeoJSON in every wrapping a GIS
exports, KML with namespaces and names, text in UTF-8 with a BOM or UTF-16; and what cannot be
read gets a message saying what to fix (never a server error, never an entity expanded)."""

import json

import pytest

from nightout.geo.areas import (
    NO_NAME,
    NO_POLYGON,
    AreaError,
    area_read,
    area_summary,
    districts_read,
)

# A square of about one mile by one mile in Agawam (0.0145 degrees of latitude is a mile).
SQUARE = [[-72.62, 42.06], [-72.60045, 42.06], [-72.60045, 42.0745], [-72.62, 42.0745],
          [-72.62, 42.06]]
EAST = [[-72.60045, 42.06], [-72.58, 42.06], [-72.58, 42.0745], [-72.60045, 42.0745],
        [-72.60045, 42.06]]


def feature(ring, **properties):
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Polygon", "coordinates": [[[*p, 61.0] for p in ring]]}}


def kml(*placemarks: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document>{''.join(placemarks)}</Document></kml>")


def placemark(ring, name=None, extra=""):
    coordinates = " ".join(f"{lon},{lat},0" for lon, lat in ring)
    named = f"<name>{name}</name>" if name else ""
    return (f"<Placemark>{named}{extra}<Polygon><outerBoundaryIs><LinearRing><coordinates>"
            f"\n  {coordinates}\n</coordinates></LinearRing></outerBoundaryIs></Polygon>"
            "</Placemark>")


@pytest.mark.parametrize("document", [
    {"type": "Polygon", "coordinates": [SQUARE]},
    feature(SQUARE, NAME="AGAWAM"),
    {"type": "FeatureCollection", "features": [feature(SQUARE)]},
    {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "coordinates": [SQUARE]},
                                                  {"type": "Point", "coordinates": [-72.6, 42]}]},
], ids=["geometry", "feature with altitude", "collection", "geometry collection"])
def test_a_geojson_area_in_any_wrapping_is_one_polygon_without_altitude(document):
    assert area_read(json.dumps(document).encode()) == {"type": "Polygon",
                                                        "coordinates": [SQUARE]}


def test_two_shapes_are_one_area_of_two_parts_and_its_size_is_about_right():
    area = area_read(json.dumps({"type": "FeatureCollection",
                                 "features": [feature(SQUARE), feature(EAST)]}))
    assert area["type"] == "MultiPolygon" and len(area["coordinates"]) == 2
    summary = area_summary(area)
    assert summary["parts"] == 2 and 2.0 <= summary["square_miles"] <= 2.3
    assert 42.06 < summary["latitude"] < 42.0745


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_kml_area_with_a_namespace_in_any_unicode_encoding_is_read(encoding):
    text = kml(placemark(SQUARE[:-1], name="Agawam – limits"))  # an open ring is closed
    assert area_read(text.replace('encoding="UTF-8"', "").encode(encoding)) == {
        "type": "Polygon", "coordinates": [SQUARE]}


def test_districts_take_their_names_from_the_property_towns_use_and_keep_one_per_name():
    collection = districts_read(json.dumps({"type": "FeatureCollection", "features": [
        feature(SQUARE, DISTRICT="West"), feature(EAST, District="East"),
        feature(EAST, district="West")]}))
    assert [f["properties"]["name"] for f in collection["features"]] == ["West", "East"]
    assert collection["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_kml_districts_take_a_placemark_name_or_its_data():
    data = ('<ExtendedData><SchemaData><SimpleData name="WARD">Ward 2</SimpleData>'
            "</SchemaData></ExtendedData>")
    collection = districts_read(kml(placemark(SQUARE, name="Ward 1"), placemark(EAST, extra=data)))
    assert [f["properties"]["name"] for f in collection["features"]] == ["Ward 1", "Ward 2"]


@pytest.mark.parametrize(("data", "says"), [
    (b"", "neither GeoJSON nor KML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\xfd", "not text"),
    (b'{"type": "Point", "coordinates": [-72.6, 42.0]}', NO_POLYGON),
    (b"<kml><Document><Placemark><Point><coordinates>1,2</coordinates></Point></Placemark>"
     b"</Document></kml>", NO_POLYGON),
    (b'{"type": "Polygon", "coordinates": [[[-72.6, 42.0], [-72.5, 42.0], [-72.6, 42.0]]]}',
     "at least four positions"),
    (b'{"type": "Polygon", "coordinates": [[[-272.6, 42.0], [-72.5, 42.0], [-72.5, 42.1], '
     b'[-272.6, 42.0]]]}', "outside longitude/latitude range"),
    (b"<kml><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>42.0 -72.6"
     b"</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>",
     "is not longitude,latitude"),
    (b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
     b"<kml><Placemark><name>&b;</name></Placemark></kml>", "neither GeoJSON nor KML"),
    (b"x" * 5_000_001, "fit in 5,000,000"),
], ids=["empty", "an image", "a point", "a KML point", "a ring too short", "out of range",
        "latitude first", "entities", "too big"])
def test_what_cannot_be_an_area_says_what_to_fix(data, says):
    with pytest.raises(AreaError, match=says):
        area_read(data)


def test_a_district_without_a_name_says_which_one():
    with pytest.raises(AreaError) as caught:
        districts_read(json.dumps({"type": "FeatureCollection",
                                   "features": [feature(SQUARE, name="A"), feature(EAST)]}))
    assert str(caught.value) == NO_NAME.format(n=2)
