"""The demo reproduces the seed story exactly, builds Lakeport, and is safe to run twice."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import (
    Closure,
    ClosureStatus,
    Event,
    EventStatus,
    HostContact,
    Jurisdiction,
    Season,
    Station,
    VisitRequest,
)

pytestmark = pytest.mark.django_db
SEED_TOWNS = {"Agawam", "Springfield", "East Longmeadow", "Palmer", "North Adams", "Orange"}


@pytest.fixture
def demo():
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything the demo writes, as plain values."""
    models = [Jurisdiction, Season, Event, Closure, VisitRequest, HostContact, Station,
              User, Membership]
    return {
        model.__name__: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items()
                         if k not in ("updated_at", "last_login")))
            for row in model.objects.values()
        )
        for model in models
    }


def test_demo_is_idempotent(demo):
    first = snapshot()
    call_command("demo", stdout=StringIO())
    assert snapshot() == first


def test_seed_towns_hold_it_on_tuesday_1_august_2017(demo):
    seasons = Season.objects.filter(year=2017).select_related("jurisdiction")
    on_tuesday = {s.jurisdiction.name for s in seasons if s.nno_date == dt.date(2017, 8, 1)}
    assert on_tuesday == SEED_TOWNS
    assert all(s.jurisdiction.state == "MA" for s in seasons)


def test_chicopee_holds_it_on_monday_7_august_at_sherman_park(demo):
    event = Event.objects.get(season__slug="chicopee-2017")
    assert event.venue == "Sarah Jane Sherman Park"
    assert event.starts_at.astimezone(event.season.jurisdiction.zone).isoformat() == (
        "2017-08-07T17:00:00-04:00"
    )
    assert event.ends_at - event.starts_at == dt.timedelta(hours=4)
    assert event.starts_at.weekday() == 0


def test_seed_events_have_the_storys_agencies_and_activities(demo):
    agawam = Event.objects.get(season__slug="agawam-2017")
    assert set(agawam.agencies.values_list("name", flat=True)) == {
        "Agawam Police Department", "Massachusetts State Police", "U.S. Marshals Service",
        "U.S. military members",
    }
    for event in Event.objects.filter(season__year=2017):
        assert set(event.activities.values_list("slug", flat=True)) == {
            "free-food", "music", "safety-demonstrations"
        }
        assert event.status == EventStatus.APPROVED
        assert 41.9 < event.latitude < 42.8 and -73.2 < event.longitude < -72.2


def test_lakeport_is_a_big_clustered_city_for_next_season(demo):
    season = Season.objects.get(slug="lakeport-2027")
    assert season.nno_date == dt.date(2027, 8, 3)
    parties = season.events.filter(kind="block_party")
    assert 1400 <= parties.count() <= 1600
    lats = list(season.events.values_list("latitude", flat=True))
    lons = list(season.events.values_list("longitude", flat=True))
    assert 0.12 < max(lats) - min(lats) < 0.15  # about 15 km north to south
    assert 0.17 < max(lons) - min(lons) < 0.22  # about 15 km east to west at 45° N
    hours = season.events.values("starts_at", "ends_at").annotate(n=Count("id")).order_by("-n")
    zone = season.jurisdiction.zone
    top = [(h["starts_at"].astimezone(zone).time(), h["ends_at"].astimezone(zone).time())
           for h in hours[:2]]
    assert top == [(dt.time(17), dt.time(21)), (dt.time(18), dt.time(20, 30))]
    assert not season.events.filter(district="").exists()
    assert set(season.events.values_list("district", flat=True)) == set(
        season.jurisdiction.district_names
    )


def test_lakeport_has_closures_visit_requests_and_stations(demo):
    season = Season.objects.get(slug="lakeport-2027")
    events = season.events.count()
    closures = Closure.objects.filter(event__season=season)
    assert 0.2 * events < closures.count() < 0.5 * events
    assert not closures.filter(status=ClosureStatus.APPROVED, permit_number="").exists()
    requests = VisitRequest.objects.filter(event__season=season)
    assert requests.filter(unit_kind="police").count() > requests.filter(unit_kind="fire").count()
    assert HostContact.objects.filter(event__season=season).count() == events
    assert Station.objects.filter(agency__slug="lakeport-police-department").count() == 5
    assert Station.objects.filter(agency__slug="lakeport-fire-department").count() == 5


def test_there_is_a_login_per_role(demo):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.filter(is_superuser=True, username="admin").exists()
    for username in ("admin", "coordinator", "liaison", "crew", "organizer"):
        assert User.objects.get(username=username).check_password("nightout-demo")
        assert username in demo


def test_the_2017_trust_pulse_is_published_with_noise(demo, client):
    from django.urls import reverse

    from nightout.surveys.models import SurveySummary

    html = client.get(reverse("surveys:results", args=["agawam-2017"])).content.decode()
    assert "people answered" in html and "random noise" in html and "%" in html
    assert "K9 team" in html  # the published comment
    figures = SurveySummary.objects.get(season__slug="agawam-2017").figures
    assert figures["respondents"] is not None and figures["privacy"]["epsilon"] == 3.0
    # Orange's 6 answers stay withheld; on the regional page the next smallest town with it.
    orange = client.get(reverse("surveys:results", args=["orange-2017"]),
                        {"format": "json"}).json()
    assert orange["respondents"] is None
    page = client.get(reverse("reports:transparency", args=["western-massachusetts"]))
    # At least Orange and the next smallest town: the noisy counts may hold back one more.
    assert page.content.decode().count('class="withheld"') >= 2


def test_nothing_the_demo_writes_is_dated_after_it_was_loaded(demo, client):
    # A registration or a decision "made" in the coming months would be the feeds' last
    # change: Atom's <updated> and Last-Modified months ahead.
    from django.utils import timezone

    from nightout.registry.models import AuditEntry

    now = timezone.now()
    for field in ("submitted_at", "reviewed_at", "updated_at"):
        assert not Event.objects.filter(**{f"{field}__gt": now}).exists(), field
    assert not AuditEntry.objects.filter(at__gt=now).exists()
    assert not Closure.objects.filter(decided_at__gt=now).exists()
    assert not VisitRequest.objects.filter(requested_at__gt=now).exists()
    lakeport = Event.objects.filter(season__jurisdiction__slug="lakeport")
    assert lakeport.filter(status=EventStatus.APPROVED, reviewed_at__isnull=True).count() == 0
    response = client.get("/feeds/events.atom")
    updated = dt.datetime.strptime(response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert updated.replace(tzinfo=dt.UTC) <= timezone.now()
