"""The one look-up of a place (`place_find`): the search box's words, and the registration
map's address and ZIP code, from public data only."""

import pytest
from django.urls import reverse

from nightout.finder.lookup import FoundPlace, place_find
from nightout.finder.places import public_place
from nightout.finder.selectors import SearchQuery, search_resolve
from nightout.registry.models import Event, Jurisdiction
from tests.finder import results

pytestmark = pytest.mark.django_db
AGAWAM_LISTED = (42.0695, -72.6148)  # places.json


def public_point(event) -> tuple[float, float]:
    place = public_place(Event.objects.select_related("season__jurisdiction").get(pk=event.pk))
    return place.latitude, place.longitude


@pytest.fixture
def lakeport(db):
    """A town far from Agawam, with no event."""
    return Jurisdiction.objects.create(name="Lakeport", slug="lakeport", state="MN",
                                       time_zone="America/Chicago", center_latitude=45.0474,
                                       center_longitude=-93.5646)


def test_the_search_box_and_the_registration_map_put_a_zip_code_at_the_same_point(
        client, publish, season):
    party = publish(title="Zip Party", postal_code="01001-2345")
    search = client.get(reverse("finder:search"), {"q": "01001", "when": "all"})
    registration = client.get(reverse("registry:postal_code_place", args=[season.slug]),
                              {"code": "01001"}).json()
    found = results.read(search)
    assert found.place == "ZIP 01001" and found.centre == list(public_point(party))
    assert (registration["latitude"], registration["longitude"]) == public_point(party)


@pytest.mark.parametrize("words", ["Agawam", "agawam", "  AGAWAM ", "Agawam, MA"])
def test_words_naming_a_town_of_the_site_find_the_town(jurisdiction, words):
    assert place_find(text=words) == FoundPlace("Agawam, MA", 42.0695, -72.6148, town="agawam")


def test_an_address_and_a_zip_code_never_name_a_town(jurisdiction):
    assert place_find(address="Agawam", jurisdiction=jurisdiction) is None
    assert place_find(address="Agawam") is None


def test_an_address_is_found_on_its_block_else_on_its_street(publish, jurisdiction):
    party = publish(title="Maple Party", address="410 Maple Street, Agawam, MA",
                    latitude=42.08, longitude=-72.60)
    publish(title="Oak Party", address="10 Oak Street, Agawam, MA",
            latitude=42.10, longitude=-72.64)
    on_block = place_find(text="455 Maple St")
    assert on_block == FoundPlace("455 Maple St", *public_point(party))
    assert place_find(address="1900 maple street", jurisdiction=jurisdiction).point == \
        public_point(party)
    assert place_find(address="455 Birch Road", jurisdiction=jurisdiction) is None


def test_a_zip_code_with_no_published_event_is_the_offline_lists_place_near_the_town(
        publish, jurisdiction, lakeport):
    publish(title="Waiting", postal_code="01030", approve=False)
    assert place_find(postal_code="01030", jurisdiction=jurisdiction).point == AGAWAM_LISTED
    # Agawam is a town of this site: its ZIP code finds the town, as its name does.
    assert place_find(text="01030") == FoundPlace("Agawam, MA", *AGAWAM_LISTED, town="agawam")
    # Chicopee's ZIP code is a few miles from Agawam; North Adams's is not near it.
    assert place_find(postal_code="01013", jurisdiction=jurisdiction).name == "Chicopee, MA"
    assert place_find(postal_code="01247", jurisdiction=jurisdiction) is None
    assert place_find(text="01247") == FoundPlace("North Adams, MA", 42.7009, -73.1087)
    assert place_find(postal_code="01030", jurisdiction=lakeport) is None


def test_the_offline_list_is_searched_by_name_in_the_search_box_only(jurisdiction):
    assert place_find(text="chicopee").name == "Chicopee, MA"
    assert place_find(address="chicopee", jurisdiction=jurisdiction) is None


def test_one_towns_events_place_no_zip_code_or_address_in_another_town(publish, lakeport):
    publish(title="Zip Party", postal_code="01001", address="410 Maple Street, Agawam, MA")
    assert place_find(postal_code="01001", jurisdiction=lakeport) is None
    assert place_find(address="410 Maple Street", jurisdiction=lakeport) is None
    assert place_find(address="410 Maple Street") is not None


def test_an_unpublished_event_places_nothing(publish):
    publish(title="Waiting", postal_code="01002", address="410 Maple Street", approve=False)
    assert place_find(text="01002") is None
    assert place_find(postal_code="01002") is None
    assert place_find(address="410 Maple Street") is None


def test_no_words_find_nothing(jurisdiction):
    assert place_find(text="   ") is None
    assert place_find() is None


def test_a_towns_own_zip_code_finds_its_events_as_its_name_does(client):
    """The demo's towns of 2017: their parties carry no ZIP code, and Chicopee's is at a park
    miles from the town's centre."""
    from nightout.demo.seed import load_seed
    from nightout.registry.services import activities_ensure_standard

    activities_ensure_standard()
    load_seed()
    for name, codes in [("Chicopee", ["01013", "01020", "01021-1234"]), ("Agawam", ["01001"]),
                        ("North Adams", ["01247"]), ("Palmer", ["01069"])]:
        by_name = client.get(reverse("finder:search"), {"q": name, "when": "all"})
        titles = results.read(by_name).titles
        assert titles == [f"{name} National Night Out"]
        town = search_resolve(query=SearchQuery(words=name, when="all"))[1].town
        for code in codes:
            by_zip = client.get(reverse("finder:search"), {"q": code, "when": "all"})
            assert results.read(by_zip).titles == titles, code
            assert search_resolve(query=SearchQuery(words=code, when="all"))[1].town == town


def test_an_address_in_a_town_of_the_site_is_looked_up_in_that_town(publish, lakeport):
    """Every town has a Maple Street: the words' town says whose."""
    agawam = publish(title="Maple Party", address="410 Maple Street, Agawam, MA",
                     latitude=42.08, longitude=-72.60)
    assert place_find(text="455 Maple St, Agawam, MA").point == public_point(agawam)
    assert place_find(text="455 Maple St, Lakeport") == FoundPlace(
        "Lakeport, MN", 45.0474, -93.5646, town="lakeport")
