"""The season report says how many visits were planned and made, against first come first
served."""

import pytest
from django.urls import reverse

from nightout.visits.models import StopStatus
from nightout.visits.services import version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


def test_season_report_counts_visits_planned_and_made(client, coordinator, season, units,
                                                      parties):
    url = reverse("reports:season", args=[season.slug])
    client.force_login(coordinator)
    assert "No visit plan has been built" in client.get(url).content.decode()
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    stops = list(version.stops.order_by("pk"))
    stops[0].status = StopStatus.DONE
    stops[0].save()
    stops[1].status = StopStatus.SKIPPED
    stops[1].save()
    rows = client.get(url, {"format": "csv"}).content.decode().splitlines()
    assert f"Visits,planned,{version.visits_made}" in rows
    assert f"Visits,parties reached,{version.parties_reached}" in rows
    assert (f"Visits,more parties than first come, first served,"
            f"{version.more_parties_than_fcfs}") in [r.replace('"', "") for r in rows]
    assert "Visits,made,1" in rows and "Visits,skipped,1" in rows
    assert "More parties reached than first come, first served" in client.get(url).content.decode()


def test_after_a_re_plan_the_report_compares_the_plan_made_before_the_night_and_counts_every_tap(
        client, coordinator, season, units, parties):
    import datetime as dt

    from nightout.visits.services import stop_report, version_queue_replan

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    first = version.stops.order_by("unit_id", "order").first()
    stop_report(actor=SYSTEM, stop_id=first.pk, status="done")
    new = version_queue_replan(actor=SYSTEM, version=version, seconds=1,
                               now=season.at(season.nno_date, dt.time(23, 30)))  # little night left
    assert new.parties_reached < version.parties_reached
    url = reverse("reports:season", args=[season.slug])
    client.force_login(coordinator)
    rows = [r.replace('"', "") for r in
            client.get(url, {"format": "csv"}).content.decode().splitlines()]
    assert f"Visits,planned,{version.visits_made}" in rows
    assert f"Visits,parties reached,{version.parties_reached}" in rows
    assert (f"Visits,more parties than first come, first served,"
            f"{version.more_parties_than_fcfs}") in rows
    assert "Visits,made,1" in rows
    page = client.get(url).content.decode()
    assert "(version 1, re-planned on the night as version 2)" in page


def test_a_visit_tapped_done_on_the_old_plan_after_a_re_plan_dropped_it_still_counts_as_made(
        client, coordinator, season, units, parties):
    import datetime as dt

    from nightout.visits.services import stop_report, version_queue_replan

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    new = version_queue_replan(actor=SYSTEM, version=version, seconds=1,
                               now=season.at(season.nno_date, dt.time(23, 30)))
    kept = set(new.stops.values_list("event_id", "kind"))
    dropped = next(s for s in version.stops.all() if (s.event_id, s.kind) not in kept)
    stop_report(actor=SYSTEM, stop_id=dropped.pk, status="done")  # a phone still on version 1
    url = reverse("reports:season", args=[season.slug])
    client.force_login(coordinator)
    rows = client.get(url, {"format": "csv"}).content.decode().splitlines()
    assert "Visits,made,1" in rows


def test_coverage_says_visits_asked_for_planned_and_made_by_district_and_kind(
        client, coordinator, season, units, parties):
    """Not approved parties per district: every district's and kind's visits asked for, those
    the plan makes and those crews reported made, each counted once per party and kind."""
    from collections import Counter

    from nightout.registry.models import VisitRequest
    from nightout.reports.selectors import season_coverage

    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    done = version.stops.order_by("pk").first()
    done.status = StopStatus.DONE
    done.save()
    coverage = season_coverage(season=season)
    requests = list(VisitRequest.objects.filter(event__season=season,
                                                event__status="approved")
                    .values_list("event__district", "unit_kind"))
    asked = Counter(d or "No district" for d, _ in requests)
    assert {r.name: r.asked for r in coverage["districts"]} == dict(asked)
    assert sum(r.planned for r in coverage["kinds"]) == version.stops.count()
    assert sum(r.made for r in coverage["districts"]) == 1
    made = next(r for r in coverage["districts"] if r.made)
    assert made.name == (done.event.district or "No district")
    client.force_login(coordinator)
    url = reverse("reports:season", args=[season.slug])
    page = client.get(url).content.decode()
    assert "Visits by district" in page and "Made of asked" in page
    rows = client.get(url, {"format": "csv"}).content.decode().splitlines()
    assert f"Visits in district {made.name},made,1" in rows
