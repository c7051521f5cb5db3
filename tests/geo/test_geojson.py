import pytest

from nightout.geo.distance import haversine_m, offset
from nightout.geo.geojson import GeoJSONError, check_districts, check_polygon, contains, district_of

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
WITH_HOLE = {"type": "Polygon", "coordinates": [
    [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
    [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
]}


@pytest.mark.parametrize(("geometry", "lat", "lon", "inside"), [
    (SQUARE, 0.5, 0.5, True),
    (SQUARE, 1.5, 0.5, False),
    (WITH_HOLE, 0.5, 0.5, True),
    (WITH_HOLE, 2, 2, False),
    ({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}, 0.2, 0.7, True),
])
def test_contains(geometry, lat, lon, inside):
    assert contains(geometry, lat, lon) is inside


def test_district_of_names_the_first_district_containing_the_point():
    districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "North"}, "geometry": SQUARE},
    ]}
    check_districts(districts)
    assert district_of(districts, 0.5, 0.5) == "North"
    assert district_of(districts, 5, 5) is None
    assert district_of(None, 0.5, 0.5) is None


@pytest.mark.parametrize(("geometry", "message"), [
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "four positions"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 2]]]}, "end where it starts"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]}, "outside"),
    ({"type": "LineString", "coordinates": []}, "Polygon or MultiPolygon"),
])
def test_check_polygon_says_what_is_wrong(geometry, message):
    with pytest.raises(GeoJSONError, match=message):
        check_polygon(geometry)


def test_district_names_must_be_unique():
    feature = {"type": "Feature", "properties": {"name": "A"}, "geometry": SQUARE}
    with pytest.raises(GeoJSONError, match="used twice"):
        check_districts({"type": "FeatureCollection", "features": [feature, feature]})


def test_haversine_and_offset_agree():
    lat, lon = offset(42.1, -72.6, 3000, 4000)
    assert abs(haversine_m(42.1, -72.6, lat, lon) - 5000) <= 2
    # Agawam to Springfield town centres, about 3.3 km.
    assert 3000 < haversine_m(42.0695, -72.6148, 42.1015, -72.5898) < 4500
