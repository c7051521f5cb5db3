"""The search's tuning: one frozen set of parameters, and bad values named with what to fix."""

import dataclasses

import pytest

from nightout.planner.params import SearchParams


def test_search_params_are_frozen():
    params = SearchParams()
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.round_seconds = 1.0  # type: ignore[misc]


@pytest.mark.parametrize("field,value,message", [
    ("race_share", 1.5, "SearchParams.race_share is a share: give a number from 0 to 1, not 1.5."),
    ("stretch", -0.1, "SearchParams.stretch is a share: give a number from 0 to 1, not -0.1."),
    ("race_chains", 0, "SearchParams.race_chains counts something: give 1 or more, not 0."),
    ("region_kmeans_rounds", 0, "SearchParams.region_kmeans_rounds counts something"),
    ("round_seconds", 0.0, "SearchParams.round_seconds is a length of time: give more than 0"),
])
def test_search_params_name_the_field_to_fix(field, value, message):
    with pytest.raises(ValueError) as caught:
        SearchParams(**{field: value})
    assert str(caught.value).startswith(message)


def test_search_params_keep_the_measured_defaults():
    # The values BENCHMARKS.md measured; changing one is a change of the search's behaviour.
    params = SearchParams()
    assert (params.round_seconds, params.max_rounds, params.race_chains, params.race_share) == (
        2.5, 4, 4, 0.5)
    assert (params.stretch, params.one_unit_stretch) == (0.2, 0.35)
    assert (params.refill_neighbours, params.refill_min_visits) == (30, 200)
    assert (params.split_min_visits, params.split_min_units, params.visits_per_region) == (
        600, 8, 75)
    assert params.fair_first_share == 0.6
