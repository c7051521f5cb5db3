"""A unit's calendar across plan versions: the same visit keeps its UID (unit, party, night),
so a new version changes the entry a calendar holds instead of adding the night again; a
visit whose time moved has a higher SEQUENCE, read alike by every reader."""

import pytest
from django.urls import reverse

from nightout.visits.services import stop_move, version_queue_build
from tests.calendar_readers import READERS
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(params=sorted(READERS))
def reader(request):
    return READERS[request.param]


def unit_file(client, season, unit) -> bytes:
    return client.get(reverse("visits:calendar", args=[season.slug, unit.pk])).content


def test_a_new_plan_version_keeps_every_visits_uid_and_raises_the_moved_ones_sequence(
        client, coordinator, season, units, parties, reader):
    client.force_login(coordinator)
    first = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    car = next(u for u in units[:2] if first.stops.filter(unit=u).count() >= 2)
    stops = list(first.stops.filter(unit=car).order_by("order"))
    before = {e["uid"]: e for e in reader(unit_file(client, season, car))}
    assert len(before) == len(stops)
    assert all(e["sequence"] == 0 for e in before.values())
    last = stops[-1]
    stop_move(actor=SYSTEM, stop=last, unit=car, position=1)  # a new version, last goes first
    after = {e["uid"]: e for e in reader(unit_file(client, season, car))}
    assert set(after) == set(before)  # re-imported, the night is not doubled
    moved_uid = f"visit-{car.pk}-event-{last.event_id}-{season.nno_date:%Y%m%d}@"
    [moved] = [uid for uid in after if uid.startswith(moved_uid)]
    assert after[moved]["start"] < before[moved]["start"]
    assert after[moved]["sequence"] == 1
    for uid in after:  # a visit is one more change only when its time changed
        changed = (after[uid]["start"], after[uid]["end"]) != (before[uid]["start"],
                                                               before[uid]["end"])
        assert after[uid]["sequence"] == (1 if changed else 0)
