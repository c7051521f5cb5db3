"""The trust pulse's privacy rules, table-driven (pure functions)."""

import itertools

import pytest

from nightout.surveys.privacy import publishable, scrub


@pytest.mark.parametrize(("text", "expected"), [
    ("Call me at 413-555-0199!", "Call me at [removed]!"),
    ("write to pat.host+nno@example.org please", "write to [removed] please"),
    ("see www.example.com/x or https://t.co/abc", "see [removed] or [removed]"),
    ("(413) 555 0199 or +1 413 555 0199", "[removed] or [removed]"),
    ("Officer Burke was great, 10 out of 10", "Officer Burke was great, 10 out of 10"),
])
def test_scrub_removes_contact_details(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize(("groups", "expected"), [
    ({"North": 30, "South": 12}, {"North", "South"}),
    ({"North": 30, "South": 3}, set()),              # South alone: total − North = South
    ({"North": 30, "South": 20, "East": 3}, {"North"}),  # East plus the next smallest
    ({"North": 30, "South": 4, "East": 7}, {"North"}),   # 4 + 7 ≥ 10: North may stay
    ({"North": 9}, set()),
    ({}, set()),
])
def test_publishable_withholds_small_groups_and_their_complements(groups, expected):
    assert publishable(groups, threshold=10) == expected


def test_without_a_published_total_only_small_groups_are_withheld():
    assert publishable({"North": 30, "South": 3}, threshold=10,
                       total_published=False) == {"North"}


@pytest.mark.parametrize("sizes", list(itertools.product([0, 2, 5, 9, 10, 15, 40], repeat=3)))
def test_no_published_combination_reveals_a_group_under_the_threshold(sizes):
    """Whatever is shown, total minus shown groups is either zero or at least the threshold."""
    groups = dict(zip("ABC", sizes))
    shown = publishable(groups, threshold=10)
    assert all(groups[k] >= 10 for k in shown)
    hidden_total = sum(n for k, n in groups.items() if k not in shown)
    assert hidden_total == 0 or hidden_total >= 10 or not shown
