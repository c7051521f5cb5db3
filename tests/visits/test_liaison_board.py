"""An agency's liaison on the night: signing in leads to the night-of board on the night, which
shows their agency's units (not the other agencies', not the parties' list) and re-plans
nothing for them."""

import datetime as dt

import pytest
from django.urls import reverse

from nightout.visits.models import PlanVersion
from nightout.visits.services import version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_a_liaison_sees_their_agencys_units_and_re_plans_nothing(client, season, units, parties,
                                                                  liaison):
    version_queue_build(actor=SYSTEM, season=season, seconds=1)
    client.force_login(liaison)
    url = reverse("visits:board", args=[season.slug])
    page = client.get(url, {"at": "18:00"}).content.decode()
    assert "Car 1" in page and "Car 2" in page and "Engine 1" not in page
    assert "Party 0" not in page and "Re-plan the rest of the night" not in page
    assert client.post(url, {"drop": str(units[0].pk), "seconds": "1"}).status_code == 403
    assert PlanVersion.objects.count() == 1
    units_page = client.get(reverse("visits:units", args=[season.slug])).content.decode()
    assert f'href="{url}"' in units_page


def test_on_the_night_a_liaison_lands_on_the_board(client, season, units, liaison, settings):
    from django.utils import timezone

    season.nno_date = timezone.localdate(timezone=season.jurisdiction.zone)
    season.year = season.nno_date.year
    season.save()
    client.force_login(liaison)
    landing = client.get(reverse("accounts:landing"))
    assert landing["Location"] == reverse("visits:board", args=[season.slug])
    season.nno_date += dt.timedelta(days=2)
    season.save()
    assert client.get(reverse("accounts:landing"))["Location"] == reverse(
        "visits:units", args=[season.slug])
