"""A unit's calendar file and the plan-locked email survive any text: the unit's name, the
event's title and address are written minus what iCalendar and email cannot carry."""

import datetime as dt
import logging
import smtplib

import icalendar
import pytest
import vobject
from django.core import mail
from hypothesis import HealthCheck, given, settings

from nightout.accounts.models import Membership, Role, User
from nightout.finder.places import public_point_refresh
from nightout.registry.actors import Actor
from nightout.registry.models import Event, EventStatus, Jurisdiction
from nightout.visits.calendar import unit_calendar
from nightout.visits.models import Stop, Unit
from nightout.visits.selectors import version_checks
from nightout.visits.services import (
    check_accept,
    unit_create,
    version_locked_notify,
    version_queue_build,
)
from tests.unicode_text import calendar_expected, texts

EXAMPLES = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
@EXAMPLES
@given(name=texts(), title=texts(), address=texts())
def test_a_units_calendar_reads_back_with_the_text(season, name, title, address):
    """In memory, so that text no database holds (half of a surrogate pair) is tried too."""
    start = season.starts_at
    event = Event(pk=7, title=title, address=address, latitude=42.07, longitude=-72.61)
    stop = Stop(version_id=1, event=event, kind="police", order=1, arrival=start, start=start,
                departure=start + dt.timedelta(minutes=20))
    body = unit_calendar(season, Unit(name=name), [stop])
    first, second = icalendar.Calendar.from_ical(body), vobject.readOne(body.decode())
    [vevent], [vevent_b] = first.walk("VEVENT"), second.vevent_list
    summary = calendar_expected(f"1. {title}", one_line=True)
    assert str(vevent["summary"]) == vevent_b.summary.value == summary
    assert str(vevent["location"]) == vevent_b.location.value == calendar_expected(
        address, one_line=True)
    assert second.x_wr_calname.value == calendar_expected(f"{name} — {season}",
                                                          one_line=True)


SYSTEM = Actor.system("test")


@pytest.fixture
def planned(season, police, settings):
    """A version with a stop of Agawam Police's unit, its checks accepted, and a liaison."""
    settings.PLANNER_WORKERS = 1
    liaison = User.objects.create_user("lee", email="lee@police.example")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    party = Event(season=season, title="Elm Party", address="12 Elm Street",
                  latitude=42.07, longitude=-72.61, starts_at=season.starts_at,
                  ends_at=season.ends_at, submitted_at=season.starts_at,
                  status=EventStatus.APPROVED)
    public_point_refresh(party)
    party.save()
    party.visit_requests.create(unit_kind="police", requested_at=season.starts_at)
    unit_create(actor=SYSTEM, season=season, agency=police, kind="police", name="Car 1",
                shift_start=dt.time(16, 30), shift_end=dt.time(21, 30),
                start_station=police.stations.get())
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    for finding in version_checks(version):
        check_accept(actor=SYSTEM, version=version, key=finding.key)
    return version


@pytest.mark.django_db
def test_the_plan_locked_email_is_sent_with_a_town_name_on_two_lines(planned):
    Jurisdiction.objects.filter(pk=planned.season.jurisdiction_id).update(name="Aga\nwam\x0b")
    mail.outbox = []
    version_locked_notify(version_id=planned.pk)
    [sent] = mail.outbox
    assert sent.to == ["lee@police.example"]
    assert sent.subject == "Aga wam 2017: the visit plan is locked"


@pytest.mark.django_db
def test_a_plan_locked_email_that_fails_is_logged_and_the_task_fails(planned, monkeypatch,
                                                                      caplog):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr("nightout.mail.send_mail", refuse)
    with caplog.at_level(logging.ERROR), pytest.raises(smtplib.SMTPServerDisconnected):
        version_locked_notify(version_id=planned.pk)
    [record] = [r for r in caplog.records if r.name == "nightout.mail"]
    assert "the locked plan of agawam-2017 for agawam-police" in record.getMessage()
