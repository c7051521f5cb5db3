"""The finder's search: by town, ZIP, address, near a point, date and activity; htmx; no-JS."""

import datetime as dt

import pytest
from django.urls import reverse

from nightout.finder.forms import SearchForm
from nightout.finder.selectors import (
    NOTHING_UPCOMING,
    Search,
    SearchQuery,
    search_page,
    search_results,
)
from nightout.registry.models import Season
from tests.finder import results

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return results.read(response).titles


def test_search_by_town_name_finds_its_events_and_only_approved_ones(client, publish):
    publish(title="Elm Street Block Party")
    publish(title="Waiting For Approval", address="300 Oak Street, Agawam, MA", approve=False)
    response = client.get(reverse("finder:search"), {"q": "Agawam"})
    assert titles(response) == ["Elm Street Block Party"]
    assert "Waiting For Approval" not in response.content.decode()


def test_search_falls_back_to_past_seasons_when_nothing_is_upcoming(client, publish):
    publish()
    response = client.get(reverse("finder:search"), {"q": "agawam"})
    assert "when=all" in results.read(response).points
    assert "past seasons are shown too" in response.content.decode()


def test_search_by_zip_code_uses_the_towns_own_events(client, publish, park_event):
    publish(title="Zip Party", postal_code="01001")
    response = client.get(reverse("finder:search"), {"q": "01001", "radius": "1", "when": "all"})
    assert results.read(response).place == "ZIP 01001"
    assert "Zip Party" in titles(response)


def test_search_by_zip_code_finds_zip_plus_four_codes_and_not_the_next_zip(client, publish):
    publish(title="Plus Four Party", postal_code="01001-2345")
    publish(title="Next Zip Party", postal_code="01002", address="500 Elm Street",
            latitude=42.09, longitude=-72.65)
    response = client.get(reverse("finder:search"), {"q": "01001", "radius": "1", "when": "all"})
    assert results.read(response).place == "ZIP 01001"
    assert titles(response) == ["Plus Four Party"]


def test_search_by_an_address_finds_the_parties_on_its_street(client, publish):
    publish(title="Maple Party", address="410 Maple Street, Agawam, MA",
            latitude=42.08, longitude=-72.60)
    publish(title="Far Away Party", address="10 Main Street, Agawam, MA",
            latitude=42.10, longitude=-72.64)
    response = client.get(reverse("finder:search"),
                          {"q": "455 Maple St", "radius": "1", "when": "all"})
    assert titles(response) == ["Maple Party"]


def test_search_near_a_point_orders_by_distance_and_respects_the_radius(client, publish):
    publish(title="Close", latitude=42.070, longitude=-72.610)
    publish(title="Closer", latitude=42.0701, longitude=-72.6101, address="5 Elm Street")
    publish(title="Outside", latitude=42.10, longitude=-72.58, address="9 Far Road")
    response = client.get(reverse("finder:search"),
                          {"near": "42.070,-72.610", "radius": "1", "when": "all"})
    found = titles(response)
    assert set(found) == {"Close", "Closer"}
    assert None not in results.read(response).distances


def test_search_by_date_counts_the_day_in_the_towns_zone(client, publish, season):
    publish(title="On the night")
    other = publish(title="Rain date party")
    other.starts_at += dt.timedelta(days=1)
    other.ends_at += dt.timedelta(days=1)
    other.save()
    response = client.get(reverse("finder:search"), {"date": "2017-08-01", "when": "all"})
    assert titles(response) == ["On the night"]


def test_search_by_activity(client, publish):
    publish(title="With music", activities=["music"])
    publish(title="With food", activities=["free-food"], address="77 Oak Street")
    response = client.get(reverse("finder:search"), {"activity": "music", "when": "all"})
    assert titles(response) == ["With music"]


def test_past_seasons_are_browsable_by_year(client, publish):
    publish(title="Back in 2017")
    response = client.get(reverse("finder:search"), {"when": "2017"})
    assert titles(response) == ["Back in 2017"]


def test_htmx_request_gets_only_the_results_partial(client, publish):
    publish(title="Partial Party")
    response = client.get(reverse("finder:search"), {"when": "all"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Partial Party" in html
    assert "<form" not in html


def test_the_full_page_works_without_javascript(client, publish):
    publish(title="Plain Party")
    html = client.get(reverse("finder:search"), {"when": "all"}).content.decode()
    assert '<form class="finder-filters" method="get" action="/"' in html
    assert 'href="/events/' in html and "Plain Party" in html


def test_results_are_paginated_with_plain_links(client, publish):
    for n in range(30):
        publish(title=f"Party {n:02d}", address=f"{100 + n * 100} Elm Street")
    response = client.get(reverse("finder:search"), {"when": "all"})
    assert len(titles(response)) == 25
    assert 'href="?when=all&amp;page=2"' in response.content.decode()


def test_search_page_costs_the_same_queries_however_many_results(
        client, publish, django_assert_max_num_queries):
    for n in range(40):
        publish(title=f"Party {n:02d}", address=f"{100 + n * 100} Elm Street",
                activities=["music", "free-food"])
    # The first search of the data's version reads its index and kept lists too (among them
    # the seasons' towns and the activities its cards name); the second, only what it shows.
    with django_assert_max_num_queries(11):
        client.get(reverse("finder:search"), {"q": "Agawam", "when": "all"})
    with django_assert_max_num_queries(9):
        client.get(reverse("finder:search"), {"near": "42.07,-72.61", "when": "all"})


def test_search_page_selector_near_me_returns_distances(publish):
    publish(title="Here", latitude=42.07, longitude=-72.61)
    page = search_page(search=Search(centre=(42.07, -72.61), radius_m=1000, when="all"))
    (event,) = page.object_list
    assert event.distance_m < 300


def test_map_points_cluster_when_zoomed_out_and_split_when_zoomed_in(client, publish):
    for n in range(12):
        publish(title=f"Party {n}", address=f"{100 + n * 100} Elm Street",
                latitude=42.07 + n * 0.001, longitude=-72.61)
    out = client.get(reverse("finder:map_points"), {"when": "all", "zoom": "8"}).json()
    assert [f["properties"]["count"] for f in out["features"]] == [12]
    close = client.get(reverse("finder:map_points"), {"when": "all", "zoom": "17"}).json()
    assert len(close["features"]) == 12
    assert all(f["properties"]["url"].startswith("/events/") for f in close["features"])


def test_unknown_season_year_is_a_form_error_not_a_crash(client):
    assert client.get(reverse("finder:search"), {"when": "1900"}).status_code == 200


def test_the_season_fixture_is_in_the_past(season):
    assert isinstance(season, Season) and season.year == 2017


@pytest.mark.parametrize(("query", "says"), [
    ({"when": "all"}, "2 events."),
    ({"q": "Agawam", "when": "all"}, "2 events near <strong>Agawam"),
])
def test_the_count_line_reads_as_a_sentence(client, publish, query, says):
    import re

    publish(title="Elm Street Block Party")
    publish(title="Oak Street Cookout", address="300 Oak Street, Agawam, MA")
    page = client.get(reverse("finder:search"), query).content.decode()
    line = re.search(r'<p class="count">(.*?)</p>', page, re.S).group(1)
    assert " ".join(line.split()).startswith(says), line


CHOICES = {"town": [("", "Any town"), ("agawam", "Agawam, MA")],
           "activity": [("", "Any activity"), ("music", "Music")],
           "when": [("upcoming", "Upcoming"), ("all", "All seasons"), ("2017", "2017")]}


@pytest.mark.parametrize(("data", "query"), [
    ({"q": " 455  Maple St ", "town": "agawam", "radius": "5", "when": "all"},
     SearchQuery(words="455  Maple St", town="agawam", radius_m=8047, when="all")),
    ({"near": "42.07012,-72.61009", "q": "Agawam", "date": "2017-08-01", "activity": "music"},
     SearchQuery(near=(42.07, -72.61), day=dt.date(2017, 8, 1), activity="music")),
    ({"near": "95,200", "q": "Agawam"}, SearchQuery()),  # off the globe: neither is searched
    ({"when": "1900", "q": "Agawam"}, SearchQuery()),  # not valid: an empty query
    ({}, SearchQuery()),
])
def test_the_search_form_only_parses_the_query_string(data, query):
    """No database here (no django_db mark): the form reads nothing."""
    assert SearchForm(data or None, choices=CHOICES).query() == query


@pytest.mark.django_db
def test_the_search_finds_every_season_when_nothing_is_upcoming_and_says_so(publish):
    publish(title="Back in 2017")
    found = search_results(query=SearchQuery(words="Agawam"))
    assert (found.page.paginator.count, found.search.when, found.note) == (1, "all",
                                                                          NOTHING_UPCOMING)
    assert found.search.town == "agawam" and found.place.town == "agawam"
    kept = search_results(query=SearchQuery(words="Agawam"), widen=False)
    assert (kept.page.paginator.count, kept.search.when, kept.note) == (0, "upcoming", "")


@pytest.mark.django_db
def test_the_search_says_nothing_when_no_season_has_a_match_either(publish):
    publish(title="Back in 2017")
    found = search_results(query=SearchQuery(words="no such party"))
    assert (found.page.paginator.count, found.search.when, found.note) == (0, "all", "")
    assert found.place is None and found.search.text == "no such party"


@pytest.mark.django_db
def test_the_search_around_a_point_gives_pairs_or_cards_nearest_first(publish):
    publish(title="Far", latitude=42.085, longitude=-72.61, address="5 Elm Street")
    publish(title="Near", latitude=42.0701, longitude=-72.6101, address="9 Far Road")
    query = SearchQuery(near=(42.07, -72.61), when="all")
    pairs = search_results(query=query).page.object_list
    cards = search_results(query=query, cards=True).page.object_list
    assert [e.title for e in cards] == ["Near", "Far"]
    assert [pk for pk, _ in pairs] == [e.pk for e in cards]
    assert [round(m) for _, m in pairs] == [round(e.distance_m) for e in cards]


@pytest.mark.parametrize("params", [
    {"q": "150 Elm Street"}, {"q": "9950 Elm St, Agawam, MA"}, {"q": "01001-1234"},
    {"q": "01013"}, {"near": "42.071,-72.611"}, {"town": "agawam", "activity": "music"},
    {"q": "Agawam", "date": "2017-08-01"}, {"q": "no such words"},
])
def test_a_search_nobody_made_before_reads_the_place_and_the_page_in_a_few_queries(
        client, publish, params, django_assert_max_num_queries):
    """The place through an index (one read for a block and its street, one for a ZIP
    code), the page's events in one or two, the cards not drawn before in two."""
    for n in range(40):
        publish(title=f"Party {n:02d}", address=f"{100 + n * 100} Elm Street, Agawam, MA",
                postal_code="01001", latitude=42.07 + n * 0.0005,
                activities=["music", "free-food"])
    client.get(reverse("finder:search"), {"when": "all"})  # the menus, kept
    with django_assert_max_num_queries(6):
        response = client.get(reverse("finder:search"), {**params, "when": "all"})
    assert response.status_code == 200


def test_a_shared_link_without_a_radius_shows_and_searches_the_default_radius(client, publish):
    publish(title="Chicopee Party")
    html = client.get(reverse("finder:search"), {"q": "Agawam"}).content.decode()
    # The menu shows what was searched, so the next search from the form keeps it.
    assert '<option value="2" selected>' in html and '<option value="1" selected>' not in html
    form = SearchForm({"q": "Agawam"}, choices={"town": [("", "Any town")],
                                                "activity": [("", "Any activity")],
                                                "when": [("upcoming", "Upcoming")]})
    assert form.query().radius_m == round(2 * 1609.344)
    assert form.query().when == "upcoming"


@pytest.mark.parametrize(("query", "in_use"), [
    ({"q": "Agawam"}, ""),
    ({"radius": "2", "when": "upcoming"}, ""),
    ({"radius": "5"}, "(1 in use)"),
    ({"town": "agawam", "activity": "music", "when": "all"}, "(3 in use)"),
])
def test_the_folded_filters_say_how_many_narrow_the_search(client, publish, query, in_use):
    publish(title="Filtered Party", activities=["music"])
    html = client.get(reverse("finder:search"), query).content.decode()
    assert f'<span class="in-use" id="finder-more-in-use">{in_use}</span>' in html
    partial = client.get(reverse("finder:search"), query,
                         headers={"HX-Request": "true"}).content.decode()
    assert f'data-filters-in-use="{in_use}"' in partial


@pytest.mark.parametrize("url", ["finder:search", "finder:search_ics", "finder:events_geojson",
                                 "finder:map_points"])
def test_the_last_day_a_date_can_name_finds_nothing_rather_than_failing(client, publish, url):
    publish()
    response = client.get(reverse(url), {"date": "9999-12-31", "when": "all"})
    assert response.status_code == 200


def test_a_geojson_page_past_any_offset_is_an_empty_page(client, publish):
    publish()
    response = client.get(reverse("finder:events_geojson"),
                          {"page": "999999999999999999999", "when": "all"})
    assert response.status_code == 200 and response.json()["features"] == []


@pytest.mark.parametrize("data", [
    None, {"q": 'a "b" <c> & é', "near": "42.1,-72.5"}, {"q": "", "near": "bad"},
    {"q": "x" * 200, "town": "nowhere"},
])
def test_the_page_draws_the_search_box_as_the_forms_widget_does(data):
    """The page draws its two inputs without the template engine (`views._input`): the same
    HTML as Django's widget templates, value, errors and all."""
    from nightout.finder.views import _input

    form = SearchForm(data, choices={"town": [("", "Any town")],
                                     "activity": [("", "Any activity")],
                                     "when": [("upcoming", "Upcoming")]})
    for name in ("q", "near"):
        assert _input(form[name]) == str(form[name])


def test_words_shaped_like_the_pages_slots_are_shown_as_typed(client, publish):
    """The kept frame is cut at its slots once; what a resident types is put in afterwards
    and never read for slots, so it cannot draw a second results list."""
    publish(title="Slot Party")
    typed = "a\x1eresults_html\x1e<b>b</b>"
    html = client.get(reverse("finder:search"), {"q": typed, "when": "all"}).content.decode()
    assert html.count('<section id="results"') == 1
    assert 'value="a\x1eresults_html\x1e&lt;b&gt;b&lt;/b&gt;"' in html
    assert "<b>b</b>" not in html
