"""Travel matrices: integer seconds and metres, offline by default."""

import pytest

from nightout.geo.distance import haversine_m
from nightout.planner.travel import Haversine, Planar, RoadService, haversine_matrix_m

POINTS = [(42.1015, -72.5898), (42.0870, -72.6170), (42.1500, -72.5000), (42.1015, -72.5898)]


def test_haversine_matrix_agrees_with_the_geo_helper():
    matrix = haversine_matrix_m(POINTS)
    for i, a in enumerate(POINTS):
        for j, b in enumerate(POINTS):
            assert abs(int(matrix[i, j]) - haversine_m(*a, *b)) <= 1


@pytest.mark.parametrize("speed,circuity", [(30, 130), (50, 100), (20, 150)])
def test_haversine_times_are_distance_times_circuity_at_the_speed(speed, circuity):
    m = Haversine(speed_kmh=speed, circuity_percent=circuity).matrix(POINTS)
    straight = haversine_m(*POINTS[0], *POINTS[2])
    assert abs(m.distance(0, 2) - straight * circuity / 100) <= 1
    assert m.duration(0, 2) == pytest.approx(m.distance(0, 2) * 3.6 / speed, abs=1)
    assert m.durations.dtype.kind == "i" and m.duration(0, 3) == 0


@pytest.mark.parametrize("a,b,decimals,expected", [
    ((0, 0), (3, 4), 1, 500),              # exactly 5
    ((0, 0), (1, 1), 1, 140),              # 1.414.. -> 1.4
    ((0, 0), (1, 1), 2, 141),              # 1.414.. -> 1.41
    ((40.0, 50.0), (45.0, 68.0), 1, 1860),  # 18.68.. -> 18.6 (c101, depot to customer 1)
])
def test_planar_travel_truncates_like_the_literature_files(a, b, decimals, expected):
    assert Planar(decimals=decimals, scale=100).matrix([a, b]).duration(0, 1) == expected


def test_road_service_reads_a_table_answer_and_falls_back_on_gaps():
    answer = {"durations": [[0, 100.2], [None, 0]], "distances": [[0, 1500.4], [None, 0]]}
    asked = []
    service = RoadService(base_url="http://router.invalid",
                          fetch=lambda url, t: asked.append(url) or answer)
    m = service.matrix(POINTS[:2])
    assert (m.duration(0, 1), m.distance(0, 1)) == (101, 1500)
    assert m.duration(1, 0) == Haversine().matrix(POINTS[:2]).duration(1, 0)
    assert asked[0].startswith("http://router.invalid/table/v1/driving/-72.589800,42.101500;")
