"""The block-level point of a private home, and the map's grid clusters (pure helpers)."""

from nightout.geo.cluster import grid_clusters
from nightout.geo.distance import haversine_m
from nightout.geo.fuzz import block_point


def test_block_point_is_the_same_every_time_for_the_same_seed():
    assert block_point(42.071234, -72.618765, "event:7") == block_point(
        42.071234, -72.618765, "event:7")


def test_block_point_is_near_the_house_but_not_on_it():
    lat, lon = block_point(42.071234, -72.618765, "event:7")
    metres = haversine_m(42.071234, -72.618765, lat, lon)
    assert 0 < metres <= 300


def test_block_point_does_not_move_with_the_house_inside_its_block():
    # Two houses in the same 250 m cell give the same point: the point tells the cell, not
    # the house.
    assert block_point(42.07100, -72.61880, "event:7") == block_point(42.07110, -72.61870,
                                                                      "event:7")


def test_block_points_of_different_events_differ():
    assert block_point(42.0712, -72.6187, "event:7") != block_point(42.0712, -72.6187, "event:8")


def test_grid_clusters_group_near_points_and_keep_far_ones_apart():
    near = [(45.0 + i * 1e-4, -93.5, i) for i in range(20)]
    far = [(44.0, -92.0, "far")]
    clusters = grid_clusters(near + far, zoom=10)
    assert sorted(c.count for c in clusters) == [1, 20]


def test_grid_clusters_keep_members_of_small_squares_only():
    points = [(45.0, -93.5, "a"), (45.00001, -93.50001, "b")]
    (cluster,) = grid_clusters(points, zoom=10, keep=2)
    assert [m[2] for m in cluster.members] == ["a", "b"]
    (cluster,) = grid_clusters(points, zoom=10, keep=1)
    assert cluster.members == [] and cluster.count == 2
