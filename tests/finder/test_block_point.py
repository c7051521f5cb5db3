"""The block-level point of a private home, and the map's grid clusters (pure helpers)."""

import hashlib
import random

import pytest

from nightout.geo.cluster import grid_clusters
from nightout.geo.distance import haversine_m, offset
from nightout.geo.fuzz import CELL_M, _cell_centre, block_point, max_offset_m

KEY = b"a server secret"


def test_block_point_is_the_same_every_time_for_the_same_seed_and_key():
    assert block_point(42.071234, -72.618765, "event:7", key=KEY) == block_point(
        42.071234, -72.618765, "event:7", key=KEY)


def test_block_point_is_near_the_house_but_not_on_it():
    lat, lon = block_point(42.071234, -72.618765, "event:7", key=KEY)
    metres = haversine_m(42.071234, -72.618765, lat, lon)
    assert 0 < metres <= max_offset_m() < 300


def test_block_point_does_not_move_with_the_house_inside_its_block():
    # Two houses in the same 250 m cell give the same point: the point tells the cell, not
    # the house.
    assert block_point(42.07100, -72.61880, "event:7", key=KEY) == block_point(
        42.07110, -72.61870, "event:7", key=KEY)


def test_block_points_of_different_events_differ():
    assert block_point(42.0712, -72.6187, "event:7", key=KEY) != block_point(
        42.0712, -72.6187, "event:8", key=KEY)


def test_block_point_needs_a_key():
    with pytest.raises(ValueError, match="secret key"):
        block_point(42.0712, -72.6187, "event:7", key=b"")


def test_without_the_key_the_offset_cannot_be_worked_out_from_the_block():
    # The attacker knows the code, the seed (the block) and the grid; the old unkeyed offset
    # (a plain hash of the seed) and a guessed key do not give the point.
    lat, lon = 42.071234, -72.618765
    public = block_point(lat, lon, "event:7", key=KEY)
    centre = _cell_centre(lat, lon, CELL_M)
    digest = hashlib.sha256(b"event:7").digest()

    def unit(start):
        return int.from_bytes(digest[start:start + 4], "big") / 2**31 - 1

    unkeyed = offset(*centre, unit(0) * 60, unit(4) * 60)
    assert haversine_m(*public, *unkeyed) > 1
    assert block_point(lat, lon, "event:7", key=b"guessed") != public


def test_public_points_spread_over_their_cells_whatever_the_house():
    # Over many houses, the public point lands within 10 m of the house only by chance (the
    # share of a 250 m cell within 10 m of a point, about 0.5 %), never for 1 % of them, and
    # is within max_offset_m of it always.
    rng = random.Random(7)
    close = 0
    for n in range(3000):
        lat, lon = 44.98 + rng.random() * 0.1, -93.66 + rng.random() * 0.1
        public = block_point(lat, lon, f"event:{n}", key=KEY)
        metres = haversine_m(lat, lon, *public)
        assert metres <= max_offset_m()
        close += metres <= 10
    assert close <= 30


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


def test_every_party_on_a_block_gets_its_blocks_point_every_year(settings):
    # Registered again, or by a neighbour, a home gives nothing new to average.
    from nightout.finder.places import public_point

    def point(lat, lon):
        return public_point(latitude=lat, longitude=lon, is_private_home=True,
                            show_exact_location=False, block_key="1200 elm st")

    assert point(42.07100, -72.61880) == point(42.07110, -72.61870)
    settings.SECRET_KEY = "another secret"
    assert point(42.07100, -72.61880) != public_point(
        latitude=42.07100, longitude=-72.61880, is_private_home=True, show_exact_location=True,
        block_key="1200 elm st")
