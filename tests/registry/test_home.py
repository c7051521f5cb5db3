
import pytest
from django.urls import reverse

from nightout.registry.models import EventStatus

pytestmark = pytest.mark.django_db


def test_home_lists_seasons_with_their_towns_dates_and_approved_events(client, make_event, season):
    make_event(status=EventStatus.APPROVED)
    make_event(status=EventStatus.APPROVED, title="Oak Street")
    make_event(status=EventStatus.SUBMITTED, title="Not yet approved")
    response = client.get(reverse("registry:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Agawam, MA" in html
    assert "Tuesday 1 August 2017" in html
    assert '<td class="num">2</td>' in html


def test_home_costs_one_query_however_many_seasons(client, jurisdiction, django_assert_num_queries):
    from nightout.registry.services import season_create

    for year in range(2015, 2025):
        season_create(jurisdiction=jurisdiction, year=year, slug=f"agawam-{year}")
    with django_assert_num_queries(1):
        response = client.get(reverse("registry:home"))
    assert response.content.decode().count("Agawam, MA") == 10


def test_home_says_what_to_do_when_there_is_no_season(client):
    assert "No season has been set up yet" in client.get("/seasons/").content.decode()


def test_home_links_each_town_with_events_to_them_in_the_finder(client, make_event, season,
                                                               jurisdiction):
    from nightout.registry.services import season_create

    make_event(status=EventStatus.APPROVED)
    season_create(jurisdiction=jurisdiction, year=2018, slug="agawam-2018")
    html = client.get(reverse("registry:home")).content.decode()
    assert f'href="/?town={jurisdiction.slug}&amp;when=2017">Agawam, MA</a>' in html
    assert "when=2018" not in html  # no approved event: nothing to find
