"""Each season rule at its boundaries, in the jurisdiction's zone (Agawam: America/New_York)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nightout.registry.forms import RegistrationForm
from nightout.registry.models import ClosureFeeTier, RainDateRule
from nightout.registry.rules import block_key
from nightout.registry.services import ClosureInput, event_register

pytestmark = pytest.mark.django_db


def register(season, event_input, when, **fields):
    return event_register(season=season, data=event_input(**fields), submitted_at=when)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.fixture
def minneapolis(season, at):
    """Closures free until 13 July 23:59, then a $100 late fee until 20 July 23:59, then
    closed; 75 % of neighbours must agree."""
    season.neighbor_consent_percent = 75
    season.save()
    ClosureFeeTier.objects.create(season=season, filed_by=at(7, 13, 23, 59), fee=0,
                                  label="On time")
    ClosureFeeTier.objects.create(season=season, filed_by=at(7, 20, 23, 59), fee=100,
                                  label="Late fee")
    return season


CLOSURE = ClosureInput(street="Elm Street", consent_attested=True)


@pytest.mark.parametrize(("month", "day", "hour", "minute", "fee"), [
    (7, 13, 23, 58, Decimal("0")),    # a minute before the free deadline
    (7, 13, 23, 59, Decimal("0")),    # at it
    (7, 14, 0, 0, Decimal("100")),    # a minute after: the late fee
    (7, 20, 23, 58, Decimal("100")),  # a minute before the last deadline
])
def test_closure_fee_follows_the_tiers_in_the_towns_zone(minneapolis, event_input, at,
                                                        month, day, hour, minute, fee):
    event = register(minneapolis, event_input, at(month, day, hour, minute), closure=CLOSURE)
    assert event.closures.get().fee == fee


def test_closure_is_refused_a_minute_after_the_last_deadline(minneapolis, event_input, at):
    errors = errors_of(lambda: register(minneapolis, event_input, at(7, 21, 0, 0),
                                        closure=CLOSURE))
    assert "closed on Thursday 20 July 2017 at 11:59 PM" in errors["closure"][0]


def test_deadline_is_read_in_the_towns_zone_not_utc(minneapolis, event_input):
    # 14 July 03:30 UTC is still 13 July 23:30 in Agawam: free.
    utc = dt.datetime(2017, 7, 14, 3, 30, tzinfo=dt.UTC)
    assert register(minneapolis, event_input, utc, closure=CLOSURE).closures.get().fee == 0


def test_closure_needs_the_neighbors_consent(minneapolis, event_input, at):
    errors = errors_of(lambda: register(minneapolis, event_input, at(7, 1),
                                        closure=ClosureInput(street="Elm Street")))
    assert "75%" in errors["closure_consent"][0]


@pytest.fixture
def saint_paul(season, at):
    """Free only for one residential block filed 30 days ahead; otherwise a paid permit."""
    ClosureFeeTier.objects.create(season=season, filed_by=at(7, 2, 23, 59), fee=0,
                                  max_blocks=1, residential_only=True, label="Free")
    ClosureFeeTier.objects.create(season=season, filed_by=at(7, 25, 23, 59), fee=50,
                                  label="Permit")
    return season


@pytest.mark.parametrize(("closure", "when", "fee"), [
    (ClosureInput(street="Elm St", blocks=1, residential=True), (7, 2, 23, 59), 0),
    (ClosureInput(street="Elm St", blocks=1, residential=True), (7, 3, 0, 0), 50),
    (ClosureInput(street="Elm St", blocks=2, residential=True), (6, 1, 12, 0), 50),
    (ClosureInput(street="Main St", blocks=1, residential=False), (6, 1, 12, 0), 50),
])
def test_saint_paul_free_closure_needs_one_residential_block_30_days_ahead(
        saint_paul, event_input, at, closure, when, fee):
    event = register(saint_paul, event_input, at(*when), closure=closure)
    assert event.closures.get().fee == fee


def test_oakdale_visits_must_be_asked_for_10_days_ahead(season, event_input, at):
    season.visit_request_lead_days = 10
    season.save()
    assert register(season, event_input, at(7, 22, 23, 58), visits=["police"])
    errors = errors_of(lambda: register(season, event_input, at(7, 23, 0, 0), visits=["fire"],
                                        title="Later party"))
    assert "at least 10 days before" in errors["visits"][0]
    # A party without visit requests may still register then.
    assert register(season, event_input, at(7, 23, 0, 0), title="No visits")


def test_university_place_takes_no_time_specific_requests(season, event_input, at):
    season.visit_times_allowed = False
    season.save()
    errors = errors_of(lambda: register(season, event_input, at(7, 1), visits=["police"],
                                        visit_times={"police": dt.time(18)}))
    assert "schedules visits itself" in errors["visits"][0]


def test_only_the_kinds_of_visit_a_town_offers(season, event_input, at):
    season.visit_kinds = ["police", "fire"]
    season.save()
    errors = errors_of(lambda: register(season, event_input, at(7, 1), visits=["mcgruff"]))
    assert "McGruff" in errors["visits"][0]


def test_registration_deadline_boundary(season, event_input, at):
    season.registration_deadline = at(7, 20, 23, 59)
    season.save()
    assert register(season, event_input, at(7, 20, 23, 59))
    errors = errors_of(lambda: register(season, event_input, at(7, 21, 0, 0), title="Late"))
    assert "Registration for Agawam 2017 closed" in errors["__all__"][0]


@pytest.mark.parametrize(("starts", "ends", "ok"), [
    (dt.time(15), dt.time(22), True),     # the whole window
    (dt.time(14, 59), dt.time(20), False),
    (dt.time(17), dt.time(22, 1), False),
    (dt.time(20), dt.time(19), False),
])
def test_hours_must_fall_within_the_night(season, event_input, at, starts, ends, ok):
    call = lambda: register(season, event_input, at(7, 1), starts=starts, ends=ends)  # noqa: E731
    if ok:
        assert call().starts_at == season.at(season.nno_date, starts)
    else:
        assert "ends" in errors_of(call)


def test_a_pin_outside_the_town_is_refused(season, event_input, at):
    errors = errors_of(lambda: register(season, event_input, at(7, 1), latitude=42.36,
                                        longitude=-71.06))  # Boston
    assert "outside Agawam" in errors["location"][0]


def test_a_pin_outside_the_towns_boundary_is_refused(season, event_input, at):
    square = [[-72.65, 42.05], [-72.60, 42.05], [-72.60, 42.09], [-72.65, 42.09], [-72.65, 42.05]]
    season.jurisdiction.boundary = {"type": "Polygon", "coordinates": [square]}
    season.jurisdiction.save()
    assert register(season, event_input, at(7, 1), latitude=42.07, longitude=-72.62)
    errors = errors_of(lambda: register(season, event_input, at(7, 1), latitude=42.10,
                                        longitude=-72.62, title="North of the line"))
    assert "location" in errors


@pytest.mark.parametrize(("rule", "declined", "chosen", "expected"), [
    (RainDateRule.NEXT_DAY, False, None, dt.date(2017, 8, 2)),
    (RainDateRule.NEXT_DAY, True, None, None),
    (RainDateRule.NONE, False, None, None),
    (RainDateRule.HOST_CHOOSES, False, dt.date(2017, 8, 8), dt.date(2017, 8, 8)),
])
def test_rain_date_rules(season, event_input, at, rule, declined, chosen, expected):
    season.rain_date_rule = rule
    season.save()
    event = register(season, event_input, at(7, 1), rain_date_declined=declined, rain_date=chosen)
    assert event.rain_date == expected


@pytest.mark.parametrize("rule", [RainDateRule.NONE, RainDateRule.NEXT_DAY, RainDateRule.FIXED])
def test_a_rain_date_picked_where_the_town_does_not_let_hosts_pick_is_refused(
        season, event_input, at, rule):
    season.rain_date_rule, season.rain_date = rule, dt.date(2017, 8, 3)
    season.save()
    errors = errors_of(lambda: register(season, event_input, at(7, 1),
                                        rain_date=dt.date(2017, 8, 8)))
    assert errors["rain_date"] == ["Agawam does not let hosts pick a rain date."]


def test_the_form_names_the_next_day_the_rule_gives(season):
    season.rain_date_rule = RainDateRule.NEXT_DAY
    season.save()
    form = RegistrationForm(season=season)
    assert "(Wednesday 2 August)" in form.fields["rain_date_declined"].help_text
    assert "rain_date" not in form.fields


def test_a_host_picked_rain_date_must_follow_the_night(season, event_input, at):
    season.rain_date_rule = RainDateRule.HOST_CHOOSES
    season.save()
    errors = errors_of(lambda: register(season, event_input, at(7, 1),
                                        rain_date=dt.date(2017, 7, 31)))
    assert "after the night" in errors["rain_date"][0]


def test_no_closures_where_the_town_takes_none(season, event_input, at):
    season.closures_enabled = False
    season.save()
    errors = errors_of(lambda: register(season, event_input, at(7, 1), closure=CLOSURE))
    assert "does not take street-closure" in errors["closure"][0]


@pytest.mark.parametrize(("address", "key"), [
    ("1234 Elm Street, Lakeport, MN", "1200 elm st"),
    ("1260 elm st.", "1200 elm st"),
    ("12 N. Main Avenue", "0 n main ave"),
    ("Sarah Jane Sherman Park", ""),
])
def test_block_key(address, key):
    assert block_key(address) == key
