"""The coordinator's fair share by district: a share of every district's visits comes first."""

import datetime as dt

import pytest
from django.urls import reverse

from nightout.registry.models import AuditEntry, EventStatus, VisitRequest
from nightout.visits.models import PlanVersion
from nightout.visits.services import unit_create, version_queue_replan
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(make_event, season, police):
    """One squad car from 17:00 to 19:00; five parties around its headquarters (North), two
    8 km south (South). It has time for the five, or for three and one in the south."""
    unit_create(actor=SYSTEM, season=season, agency=police, kind="police", name="Car 1",
                shift_start=dt.time(17), shift_end=dt.time(19),
                start_station=police.stations.get())
    spots = [("North", 42.071 + 0.001 * i, -72.615) for i in range(5)]
    spots += [("South", 41.998 - 0.001 * i, -72.615) for i in range(2)]
    for i, (district, lat, lon) in enumerate(spots):
        event = make_event(title=f"Party {i}", latitude=lat, longitude=lon, district=district,
                           status=EventStatus.APPROVED,
                           submitted_at=season.at(dt.date(2017, 7, 1), dt.time(9, i)))
        VisitRequest.objects.create(event=event, unit_kind="police",
                                    requested_at=event.submitted_at)


def _south(version) -> int:
    return version.stops.filter(event__district="South").count()


def test_a_fair_share_sends_the_car_to_the_far_district_and_the_version_page_shows_it(
        client, coordinator, season, town):
    client.force_login(coordinator)
    build = reverse("visits:plan", args=[season.slug])
    assert "Fair share by district (%)" in client.get(build).content.decode()
    client.post(build, {"seconds": 1, "seed": 1})
    client.post(build, {"seconds": 1, "seed": 1, "fair_share": 50})
    most, fair = PlanVersion.objects.order_by("number")
    assert (most.fair_share, fair.fair_share) == (0, 50)
    assert (most.visits_made, _south(most)) == (5, 0)  # the most visits: all five nearby
    assert _south(fair) >= 1 and fair.feasible
    audited = AuditEntry.objects.filter(action="plan_build").values_list("changes", flat=True)
    assert sorted(c["fair_share"] for c in audited) == [0, 50]

    page = client.get(reverse("visits:version", args=[season.slug, fair.number])).content.decode()
    assert "Built with a fair share of 50 % by district" in page
    south = _south(fair)
    assert "<th>District</th><th>In all</th><th>Police officers</th></tr>" in page
    assert (f"<tr><td>South</td><td>{south} / 2 ({round(50 * south)} %)</td>"
            f"<td>{south} / 2</td></tr>" in page)
    page = client.get(reverse("visits:version", args=[season.slug, most.number])).content.decode()
    assert "Built for the most parties overall" in page
    # Lowest share first: the district left out heads the table, marked.
    assert page.index('<tr><td>South</td><td>0 / 2 (0 %)</td><td class="state-uncovered">0 / 2'
                      '</td></tr>') < page.index(
        "<tr><td>North</td><td>5 / 5 (100 %)</td><td>5 / 5</td></tr>")
    plans = client.get(build).content.decode()
    assert "build, fair share 50 %" in plans


def test_a_re_plan_keeps_the_fair_share_of_the_version_it_comes_from(
        client, coordinator, season, town):
    client.force_login(coordinator)
    client.post(reverse("visits:plan", args=[season.slug]), {"seconds": 1, "fair_share": 50})
    fair = PlanVersion.objects.get()
    board = reverse("visits:board", args=[season.slug])
    assert "The re-plan keeps version 1's fair share of 50 % by district." in (
        client.get(board).content.decode())
    new = version_queue_replan(actor=SYSTEM, version=fair, seconds=1,
                               now=season.at(season.nno_date, dt.time(17)))
    assert new.fair_share == 50 and _south(new) >= 1


@pytest.mark.parametrize("value", ["-1", "101", "half"])
def test_a_fair_share_that_is_not_a_percent_is_refused_and_nothing_is_built(
        client, coordinator, season, town, value):
    client.force_login(coordinator)
    response = client.post(reverse("visits:plan", args=[season.slug]),
                           {"seconds": 1, "fair_share": value})
    assert response.status_code == 200
    assert "Fair share by district" in response.content.decode()
    assert 'class="errorlist' in response.content.decode()
    assert not PlanVersion.objects.exists()


def test_the_command_line_builds_with_a_fair_share_and_refuses_one_that_is_not_a_percent(
        season, town):
    from django.core.management import CommandError, call_command

    call_command("plan", "--season", season.slug, "--seconds", "1", "--fair-share", "50")
    version = PlanVersion.objects.get()
    assert version.fair_share == 50 and _south(version) >= 1
    with pytest.raises(CommandError, match="a percent: from 0 \\(off\\) to 100"):
        call_command("plan", "--season", season.slug, "--seconds", "1", "--fair-share", "150")
    assert PlanVersion.objects.count() == 1


def test_the_coverage_by_district_has_a_column_per_kind_of_visit(
        client, coordinator, season, units, parties):
    from nightout.visits.services import version_queue_build

    # A gear demonstration asked for, and no unit to make it; a State Police visit asked for,
    # and the only trooper rides along in a local car: both counted apart.
    for kind in ("gear_demo", "outside_agency"):
        VisitRequest.objects.create(event=parties[0], unit_kind=kind,
                                    requested_at=parties[0].submitted_at)
    unit_create(actor=SYSTEM, season=season, agency=units[0].agency, kind="outside_agency",
                name="Trooper", shift_start=dt.time(16, 30), shift_end=dt.time(21, 30),
                start_station=units[0].start_station, ride_along_with=units[0])
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    assert version.visits_made == 9  # every visit the units can make
    client.force_login(coordinator)
    page = client.get(reverse("visits:version", args=[season.slug, 1])).content.decode()
    assert ("<th>District</th><th>In all</th><th>Police officers</th><th>Fire engine</th>"
            "</tr>") in page
    assert "<tr><td>North</td><td>5 / 5 (100 %)</td><td>3 / 3</td><td>2 / 2</td></tr>" in page
    assert "<tr><td>South</td><td>4 / 4 (100 %)</td><td>3 / 3</td><td>1 / 1</td></tr>" in page
    assert ("Also asked for, with no unit of that kind this season: Gear demonstration (1), "
            "Outside agency (state, federal, military) (1).") in page
