"""The registry's rules that the database itself enforces, and the model checks behind forms."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from nightout.registry.models import (
    Agency,
    AgencyKind,
    Closure,
    ClosureFeeTier,
    ClosureStatus,
    EventAgency,
    Jurisdiction,
    RainDateRule,
    Season,
    UnitKind,
    VisitRequest,
)
from nightout.registry.services import season_create

pytestmark = pytest.mark.django_db


def violates(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_season_without_date_takes_the_state_default(jurisdiction):
    season = season_create(jurisdiction=jurisdiction, year=2027, slug="agawam-2027")
    assert season.nno_date == dt.date(2027, 8, 3)


def test_texas_season_defaults_to_october(db):
    houston = Jurisdiction.objects.create(
        name="Houston", slug="houston", state="TX", time_zone="America/Chicago",
        center_latitude=29.76, center_longitude=-95.37,
    )
    assert season_create(jurisdiction=houston, year=2026, slug="h-2026").nno_date == dt.date(
        2026, 10, 6
    )


def test_a_town_may_pick_its_own_date(jurisdiction):
    season = season_create(
        jurisdiction=jurisdiction, year=2017, slug="c-2017", nno_date=dt.date(2017, 8, 7)
    )
    assert season.starts_at == dt.datetime(2017, 8, 7, 21, 0, tzinfo=dt.UTC)
    assert season.starts_at.tzinfo.key == "America/New_York"


def test_season_hours_are_aware_in_the_towns_zone(season):
    assert season.starts_at.isoformat() == "2017-08-01T17:00:00-04:00"
    assert season.ends_at.isoformat() == "2017-08-01T21:00:00-04:00"


def test_one_season_per_town_and_year(season):
    assert violates(lambda: Season.objects.create(
        jurisdiction=season.jurisdiction, year=2017, slug="again", nno_date=dt.date(2017, 8, 2)
    ))


def test_season_hours_must_end_after_they_start(jurisdiction):
    assert violates(lambda: Season.objects.create(
        jurisdiction=jurisdiction, year=2018, slug="x", nno_date=dt.date(2018, 8, 7),
        default_start=dt.time(21), default_end=dt.time(17),
    ))


def test_fixed_rain_date_rule_needs_a_date(jurisdiction):
    assert violates(lambda: Season.objects.create(
        jurisdiction=jurisdiction, year=2018, slug="x", nno_date=dt.date(2018, 8, 7),
        rain_date_rule=RainDateRule.FIXED,
    ))
    with pytest.raises(ValidationError, match="rain date"):
        season_create(jurisdiction=jurisdiction, year=2018, slug="y",
                      rain_date_rule=RainDateRule.FIXED)


def test_season_date_must_fall_in_its_year(jurisdiction):
    with pytest.raises(ValidationError, match="season's year"):
        season_create(jurisdiction=jurisdiction, year=2018, slug="y", nno_date=dt.date(2019, 8, 6))


def test_consent_percent_cannot_exceed_100(jurisdiction):
    assert violates(lambda: Season.objects.create(
        jurisdiction=jurisdiction, year=2018, slug="x", nno_date=dt.date(2018, 8, 7),
        neighbor_consent_percent=120,
    ))


def test_event_must_end_after_it_starts(make_event, season):
    assert violates(lambda: make_event(starts_at=season.ends_at, ends_at=season.starts_at))
    assert violates(lambda: make_event(ends_at=season.starts_at))


def test_event_coordinates_must_be_on_earth(make_event):
    assert violates(lambda: make_event(latitude=91))
    assert violates(lambda: make_event(longitude=-181))


def closure(event, **fields):
    return Closure.objects.create(
        event=event, street="Elm Street", requested_at=event.submitted_at, **fields
    )


def test_one_active_closure_per_event(event):
    first = closure(event)
    assert violates(lambda: closure(event))
    first.status = ClosureStatus.CANCELLED
    first.save()
    closure(event)  # a new request after the first was cancelled is fine
    assert event.closures.count() == 2


def test_approved_closure_needs_a_unique_permit_number(make_event, event):
    assert violates(lambda: closure(event, status=ClosureStatus.APPROVED))
    closure(event, status=ClosureStatus.APPROVED, permit_number="AG-2017-1")
    other = make_event(title="Oak Street")
    assert violates(lambda: closure(other, status=ClosureStatus.APPROVED,
                                    permit_number="AG-2017-1"))
    closure(other)  # requested closures have no permit number yet, and may share the blank


def test_closure_fee_cannot_be_negative(event):
    assert violates(lambda: closure(event, fee=Decimal("-1")))


def test_closure_fee_tiers_are_unique_per_moment(season):
    moment = season.at(dt.date(2017, 7, 15), dt.time(23, 59))
    ClosureFeeTier.objects.create(season=season, filed_by=moment, fee=0)
    assert violates(lambda: ClosureFeeTier.objects.create(season=season, filed_by=moment, fee=100))


def test_a_kind_of_visit_is_requested_once_per_event(event):
    asked = event.submitted_at
    VisitRequest.objects.create(event=event, unit_kind=UnitKind.POLICE, requested_at=asked)
    VisitRequest.objects.create(event=event, unit_kind=UnitKind.FIRE, requested_at=asked)
    assert violates(lambda: VisitRequest.objects.create(
        event=event, unit_kind=UnitKind.POLICE, requested_at=event.submitted_at
    ))


def test_an_agency_attends_an_event_once(event):
    marshals = Agency.objects.create(name="U.S. Marshals Service", slug="usms",
                                     kind=AgencyKind.FEDERAL)
    EventAgency.objects.create(event=event, agency=marshals)
    assert violates(lambda: EventAgency.objects.create(event=event, agency=marshals))
    assert list(event.agencies.all()) == [marshals]


def test_jurisdiction_rejects_an_unknown_time_zone(jurisdiction):
    jurisdiction.time_zone = "Massachusetts/Agawam"
    with pytest.raises(ValidationError, match="time zone"):
        jurisdiction.full_clean()


def test_jurisdiction_checks_its_geojson(jurisdiction):
    jurisdiction.boundary = {"type": "Point", "coordinates": [-72.6, 42.0]}
    jurisdiction.districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": None}
    ]}
    with pytest.raises(ValidationError) as caught:
        jurisdiction.full_clean()
    assert "Polygon" in str(caught.value.message_dict["boundary"])
    assert "properties.name" in str(caught.value.message_dict["districts"])


def test_jurisdiction_state_is_a_two_letter_code(jurisdiction):
    jurisdiction.state = "Mass."
    with pytest.raises(ValidationError, match="two-letter"):
        jurisdiction.full_clean()
