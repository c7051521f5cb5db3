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
    # Spelled out, or split by odd separators.
    ("my cell is five five five one two three four", "my cell is [removed]"),
    ("Five Five Five - One Two Three - Four Five Six Seven", "[removed]"),
    ("five five five, one two three four", "[removed]"),
    ("call 5 5 5 1 2 3 4 after six", "call [removed] after six"),
    ("555 123 4567", "[removed]"),
    ("555/123/4567 or 555_123_4567", "[removed] or [removed]"),
    ("text 555 * 123 * 4567.", "text [removed]."),
    ("555.123.4567, 555 -- 123 -- 4567", "[removed], [removed]"),
    ("(555)123-4567 or +1 (413) 555-0199", "[removed] or [removed]"),
    ("413 five five five 0199", "[removed]"),
    ("four one three dash five five five dash zero one nine nine", "[removed]"),
    ("email jane at example dot com", "email [removed]"),
    ("JANE AT GMAIL DOT COM!", "[removed]!"),
    ("jane(at)gmail(dot)com or jane [at] gmail [dot] com", "[removed] or [removed]"),
    ("jane@gmail dot com", "[removed]"),
    ("j a n e @ g m a i l . c o m", "[removed]"),
    ("mail me: j.a.n.e @ g m a i l . c o m", "mail me: [removed]"),
    # Bare domains.
    ("visit phish.example now", "visit [removed] now"),
    ("see example.com/x for photos", "see [removed] for photos"),
    ("agawam-nno.org has pictures", "[removed] has pictures"),
    # Two numbers in a row, or one after a long badge number: never kept whole.
    ("Call 413 555 0123 413 555 9876", "Call [removed]"),
    ("413 555 0123 / 413 555 9876", "[removed]"),
    ("Badge 12345678901234 call 4135550123", "Badge [removed] call [removed]"),
    ("jane dot doe at gmail dot com", "[removed]"),
])
def test_scrub_removes_contact_details(text, expected):
    assert scrub(text) == expected


@pytest.mark.parametrize("text", [
    "We had 25 people",
    "the 2017 party was the best yet",
    "Main St. was closed from 5 to 9pm",
    "Thank you Officer Burke and the U.S. Marshals!",
    "St. Mary's church choir sang, then K-9 demo",
    "Aug 1, 2017, 17 people came",
    "On 08/01/2017 we ate, and on 2017-08-02 we cleaned up",
    "Best night of the 2016-2017 seasons",
    "From 17:00 - 21:00, 300 hot dogs, 1,000,000 thanks",
    "One of the best nights, two thumbs up, see you at nine next year",
    "It was great.Live music and a fire truck (engine 5).",
    "I a m so happy",
    "Rated 10 out of 10, 5 stars",
])
def test_scrub_leaves_ordinary_sentences_alone(text):
    assert scrub(text) == text


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
    groups = dict(zip("ABC", sizes, strict=True))
    shown = publishable(groups, threshold=10)
    assert all(groups[k] >= 10 for k in shown)
    hidden_total = sum(n for k, n in groups.items() if k not in shown)
    assert hidden_total == 0 or hidden_total >= 10 or not shown
