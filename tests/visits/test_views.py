import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nightout.accounts.models import Membership, Role, User
from nightout.visits.models import PlanVersion, Stop, StopStatus, Unit
from nightout.visits.services import unit_create, version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(season, units, parties):
    return version_queue_build(actor=SYSTEM, season=season, seconds=1)


@pytest.fixture
def crew(police):
    user = User.objects.create_user("carmen", password="pw")
    Membership.objects.create(user=user, role=Role.CREW, agency=police)
    return user


def test_the_coordinator_builds_a_plan_from_the_web_and_sees_the_comparison(
        client, coordinator, season, units, parties):
    client.force_login(coordinator)
    response = client.post(reverse("visits:plan", args=[season.slug]), {"seconds": 1, "seed": 1})
    version = PlanVersion.objects.get()
    assert response.url == reverse("visits:version", args=[season.slug, version.number])
    page = client.get(response.url).content.decode()
    assert "more parties reached" in page and "Before locking" in page
    assert "Version 1" in client.get(reverse("visits:plan", args=[season.slug])).content.decode()


def test_a_running_version_polls_its_progress_and_offers_a_refresh_link(
        client, coordinator, season, units):
    from nightout.visits.models import Plan

    plan = Plan.objects.create(season=season)
    version = PlanVersion.objects.create(
        plan=plan, number=1, status="running", progress=20, progress_note="Solving",
        time_budget=30, started_at=timezone.now() - dt.timedelta(seconds=15))
    client.force_login(coordinator)
    url = reverse("visits:version", args=[season.slug, 1])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Refresh" in page
    assert "of a time budget of 30 s" in page
    shown = int(re.search(r'<progress max="100" value="(\d+)">', page).group(1))
    assert 50 <= shown < 90  # about half the budget used, between solving (20) and saving (90)
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.strip().startswith('<section id="progress"') and "<html" not in partial
    version.status = "done"
    version.save()
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


def test_the_coordinator_moves_a_stop_from_the_version_page(client, coordinator, version, units):
    client.force_login(coordinator)
    stop = version.stops.filter(kind="police").first()
    target = units[1] if stop.unit_id == units[0].pk else units[0]
    page = client.get(reverse("visits:version", args=[version.season.slug, 1]),
                      {"move": stop.pk}).content.decode()
    assert page.count("Move to") == 1 and f'value="{target.pk}"' in page
    response = client.post(reverse("visits:version", args=[version.season.slug, 1]),
                           {"action": "move", "stop": stop.pk, "unit": target.pk, "position": 1})
    assert response.url == reverse("visits:version", args=[version.season.slug, 2])
    assert Stop.objects.get(version__number=2, event=stop.event, kind="police").unit == target


def test_two_parties_with_the_same_title_are_told_apart_by_address_on_the_version_page_and_board(
        client, coordinator, season, units, parties):
    from nightout.registry.models import Event

    Event.objects.filter(pk__in=[parties[0].pk, parties[1].pk]).update(title="Block Party")
    Event.objects.filter(pk=parties[0].pk).update(address="12 Elm St")
    Event.objects.filter(pk=parties[1].pk).update(address="40 Oak Ave")
    version_queue_build(actor=SYSTEM, season=season, seconds=1)
    client.force_login(coordinator)
    page = client.get(reverse("visits:version", args=[season.slug, 1])).content.decode()
    assert "Block Party, 12 Elm St" in page and "Block Party, 40 Oak Ave" in page
    board = client.get(reverse("visits:board", args=[season.slug]) + "?at=17:00").content.decode()
    assert "Block Party, 12 Elm St (North)" in board and "Block Party, 40 Oak Ave (North)" in board


def test_a_crew_member_sees_the_run_sheet_phone_view_and_calendar_of_its_units_only(
        client, crew, version, units, season):
    client.force_login(crew)
    car = units[0]
    for name in ("itinerary", "run_sheet", "phone"):
        assert client.get(reverse(f"visits:{name}", args=[season.slug, car.pk])).status_code == 200
    sheet = client.get(reverse("visits:run_sheet", args=[season.slug, car.pk])).content.decode()
    first = version.stops.filter(unit=car).order_by("order").first()
    if first:
        assert first.event.title in sheet
    ics = client.get(reverse("visits:calendar", args=[season.slug, car.pk]))
    assert ics["Content-Type"] == "text/calendar"
    assert ics.content.count(b"BEGIN:VEVENT") == version.stops.filter(unit=car).count()
    engine = units[2]
    assert client.get(reverse("visits:phone", args=[season.slug, engine.pk])).status_code == 403
    assert client.get(reverse("visits:plan", args=[season.slug])).status_code == 403


def test_a_crew_marks_a_stop_done_with_one_tap(client, crew, version, units, season):
    client.force_login(crew)
    stop = version.stops.filter(unit__agency__slug="agawam-police").first()
    response = client.post(reverse("visits:report", args=[stop.pk]),
                           {"status": "done", "unit": stop.unit_id},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert Stop.objects.get(pk=stop.pk).status == StopStatus.DONE


def test_the_service_worker_may_cover_the_plan_pages(client):
    response = client.get(reverse("visits:service_worker"))
    assert response["Service-Worker-Allowed"] == "/plan/"
    assert "caches.match" in response.content.decode()


def test_the_board_shows_units_and_districts_and_replans_when_a_unit_drops_out(
        client, coordinator, version, units, season):
    client.force_login(coordinator)
    url = reverse("visits:board", args=[season.slug])
    page = client.get(url + "?at=18:00").content.decode()
    assert "Coverage by district" in page and "Car 1" in page
    response = client.post(url, {"drop": units[0].pk, "seconds": 1, "now": "18:00"})
    assert response.status_code == 302
    assert not Unit.objects.get(pk=units[0].pk).active
    new = PlanVersion.objects.get(number=2)
    assert new.origin == "replan"
    assert not new.stops.filter(unit=units[0], status=StopStatus.PLANNED).exists()
    # A re-plan covers the rest of the night: no comparison with a whole night's first come,
    # first served, which would count the visits of the hours already gone as lost.
    plans = client.get(reverse("visits:plan", args=[season.slug])).content.decode()
    assert "the rest of the night from 18:00" in plans
    assert plans.count("more parties reached") == 1  # version 1's only
    page = client.get(reverse("visits:version", args=[season.slug, 2])).content.decode()
    assert "the rest of the night from 18:00, with the visits already made" in page
    assert "more parties reached" not in page


def test_a_visit_another_unit_made_is_not_counted_as_done_by_the_unit_the_re_plan_gave_it_to(
        client, coordinator, crew, version, units, season):
    from nightout.visits.services import stop_report, version_queue_replan

    new = version_queue_replan(actor=SYSTEM, version=version, seconds=1,
                               now=season.at(season.nno_date, dt.time(16, 30)))
    PlanVersion.objects.filter(pk=version.pk).update(locked=False)
    PlanVersion.objects.filter(pk=new.pk).update(locked=True)
    # The re-plan gave a squad car a visit the other car had; that car's phone still showed
    # it, and its crew made the visit and tapped done.
    later = new.stops.filter(kind="police").order_by("unit_id", "order").first()
    given, tapper = (units[0], units[1]) if later.unit_id == units[0].pk else (units[1], units[0])
    old = version.stops.get(event=later.event, kind=later.kind)
    Stop.objects.filter(pk=old.pk).update(unit=tapper, order=99)
    stop_report(actor=SYSTEM, stop_id=old.pk, status="done")
    client.force_login(coordinator)
    page = client.get(reverse("visits:board", args=[season.slug]) + "?at=17:00").content.decode()
    row = re.search(rf'<tr><th scope="row">{given.name}</th>\s*<td data-label="Done">(.*?)</td>',
                    page, re.S).group(1)
    n = new.stops.filter(unit=given).count()
    assert row.startswith(f"0 / {n} ") and "(and 1 made by another unit)" in row
    row = re.search(rf'<tr><th scope="row">{tapper.name}</th>\s*<td data-label="Done">(.*?)</td>',
                    page, re.S).group(1)
    assert "made by another unit" not in row
    # The crew of the car it was given to sees that nobody needs to go there, and who went.
    client.force_login(crew)
    page = client.get(reverse("visits:phone", args=[season.slug, given.pk])).content.decode()
    assert f'<span class="status">Done by {tapper.name}</span>' in page


def test_the_board_says_a_re_plan_is_being_solved_and_when_it_failed_offers_a_retry(
        client, coordinator, version, units, season, monkeypatch):
    from nightout.visits import services
    from nightout.visits.services import versions

    monkeypatch.setattr(versions, "_enqueue", lambda v: None)  # the worker has not run yet
    client.force_login(coordinator)
    url = reverse("visits:board", args=[season.slug])
    client.post(url, {"late": units[0].pk, "minutes": 20, "seconds": 1, "now": "17:00"})
    new = PlanVersion.objects.get(number=2)
    page = client.get(url + "?at=17:00", headers={"HX-Request": "true"}).content.decode()
    assert "Re-planning: " in page and "version 2</a> is queued" in page
    assert "Version 1 ·" in page  # the board still shows the plan the crews have
    # A worker picked it up, then went silent: the board finds it out, as the version page does.
    long_ago = timezone.now() - services.STALE_AFTER - dt.timedelta(seconds=1)
    PlanVersion.objects.filter(pk=new.pk).update(status="running", worker="w1",
                                                 started_at=long_ago, heartbeat_at=long_ago)
    page = client.get(url + "?at=17:00").content.decode()
    assert "version 2</a>, failed: " in page and "Retry the re-plan" in page
    PlanVersion.objects.filter(pk=new.pk).update(error="RuntimeError: no worker")
    page = client.get(url + "?at=17:00").content.decode()
    assert "version 2</a>, failed: RuntimeError: no worker" in page
    monkeypatch.undo()
    retry = client.post(reverse("visits:version", args=[season.slug, 2]),
                        {"action": "retry", "next": "board"})
    assert retry.url == url
    page = client.get(url + "?at=17:00").content.decode()
    assert "Version 2 ·" in page and "Re-planning" not in page and "failed:" not in page


def test_units_are_added_by_an_agency_liaison(client, police, season):
    liaison = User.objects.create_user("lee", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    client.force_login(liaison)
    url = reverse("visits:units", args=[season.slug])
    response = client.post(url, {"agency": police.pk, "kind": "police", "name": "Car 9",
                                 "shift_start": "16:30", "shift_end": "21:00",
                                 "start_station": police.stations.get().pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(name="Car 9")
    assert unit.end_station == unit.start_station and unit.shift_end == dt.time(21)


def test_the_visits_index_lists_the_seasons_a_crew_member_follows(client, crew, units, season):
    client.force_login(crew)
    page = client.get(reverse("visits:index")).content.decode()
    assert reverse("visits:units", args=[season.slug]) in page
    assert reverse("visits:board", args=[season.slug]) not in page


@pytest.mark.parametrize("name, args, most", [
    ("visits:version", lambda s: [s.slug, 1], 14),
    ("visits:board", lambda s: [s.slug], 14),
])
def test_listing_pages_make_a_fixed_number_of_queries(
        client, coordinator, version, season, name, args, most, django_assert_max_num_queries):
    # Nine stops, six parties, three units: a query per stop would break these bounds.
    client.force_login(coordinator)
    with django_assert_max_num_queries(most):
        assert client.get(reverse(name, args=args(season))).status_code == 200


# (each reads the districts a unit may be kept to once)
@pytest.mark.parametrize("who, queries", [("coordinator", 12), ("liaison", 12), ("crew", 8)])
@pytest.mark.parametrize("how_many", [1, 6])
def test_the_units_page_makes_the_same_number_of_queries_however_many_units(
        client, coordinator, police, fire, season, units, who, queries, how_many,
        django_assert_num_queries):
    # Each unit's agency, its town (who may see and edit it), stations and the unit it rides
    # with come with the units: the count is the same for one unit and for six.
    Unit.objects.filter(pk__in=[u.pk for u in units[1:]]).delete()
    for i in range(1, how_many):
        agency, kind = ((police, "police"), (fire, "fire"))[i % 2]
        unit_create(actor=SYSTEM, season=season, agency=agency, kind=kind, name=f"Unit {i}",
                    shift_start=dt.time(17), shift_end=dt.time(21),
                    start_station=agency.stations.get(),
                    ride_along_with=units[0] if i == how_many - 1 else None)
    user = coordinator
    if who != "coordinator":
        user = User.objects.create_user(who, password="pw")
        role = Role.AGENCY_LIAISON if who == "liaison" else Role.CREW
        Membership.objects.create(user=user, role=role, agency=police)
    shown = Unit.objects.filter(season=season)
    if who != "coordinator":
        shown = shown.filter(agency=police)
    client.force_login(user)
    with django_assert_num_queries(queries):
        page = client.get(reverse("visits:units", args=[season.slug]))
    assert page.status_code == 200
    assert page.content.decode().count("Run sheet</a>") == shown.count() >= how_many // 2


def test_the_phone_view_makes_a_fixed_number_of_queries(
        client, crew, version, season, units, django_assert_max_num_queries):
    client.force_login(crew)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("visits:phone", args=[season.slug, units[0].pk]))
        assert page.status_code == 200


def test_the_visits_index_offers_a_new_season_without_units_to_its_coordinator(
        client, coordinator, crew, season):
    # No unit yet: the coordinator still finds the season, to add its first unit.
    client.force_login(coordinator)
    page = client.get(reverse("visits:index")).content.decode()
    assert reverse("visits:units", args=[season.slug]) in page
    assert reverse("visits:plan", args=[season.slug]) in page
    client.force_login(crew)
    page = client.get(reverse("visits:index")).content.decode()
    assert reverse("visits:units", args=[season.slug]) not in page
