"""The Coordinate page leads each role to the screens it may open, and to no other."""

import pytest
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import Region

pytestmark = pytest.mark.django_db


def season_screens(slug):
    return [reverse("visits:units", args=[slug]), reverse("visits:plan", args=[slug]),
            reverse("visits:board", args=[slug]), reverse("surveys:moderate", args=[slug]),
            reverse("reports:season", args=[slug]), reverse("registry:queue", args=[slug])]


def test_a_coordinator_finds_every_screen_of_the_season(client, coordinator, season):
    client.force_login(coordinator)
    page = client.get(reverse("registry:review_seasons")).content.decode()
    for url in season_screens(season.slug):
        assert url in page
        assert client.get(url).status_code == 200, url


def test_a_regional_organizer_finds_the_roll_up_and_no_season_screens(client, season):
    region = Region.objects.create(name="Western Massachusetts", slug="wm")
    season.jurisdiction.regions.add(region)
    organizer = User.objects.create_user("olga", password="pw")
    Membership.objects.create(user=organizer, role=Role.REGIONAL_ORGANIZER, region=region)
    client.force_login(organizer)
    page = client.get(reverse("registry:review_seasons")).content.decode()
    assert reverse("reports:region", args=["wm"]) in page
    assert "You do not coordinate any season" not in page
    for url in season_screens(season.slug):
        assert url not in page


def test_someone_without_a_role_is_told_whom_to_ask(client):
    client.force_login(User.objects.create_user("nobody", password="pw"))
    page = client.get(reverse("registry:review_seasons")).content.decode()
    assert "You do not coordinate any season" in page
