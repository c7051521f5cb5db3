"""An event moved to its rain date: same hours on the town's clock, its first start kept."""

import datetime as dt

import pytest

from nightout.errors import Invalid, NotAllowed
from nightout.registry.actors import Actor
from nightout.registry.models import AuditEntry
from nightout.registry.services import (
    ALREADY_ON_RAIN_DATE,
    NO_RAIN_DATE,
    NOT_MOVABLE,
    event_cancel,
    event_move_to_rain_date,
    event_register,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rainy(season):
    season.rain_date_rule = "next_day"
    season.save(update_fields=["rain_date_rule"])
    return season


def test_moving_to_the_rain_date_keeps_the_hours_on_the_towns_clock(rainy, publish,
                                                                    coordinator):
    # 7 PM to 10 PM EDT ends after midnight in UTC: the move is counted in Agawam.
    event = publish(starts=dt.time(19), ends=dt.time(22))
    first_start, sequence = event.starts_at, event.sequence
    moved = event_move_to_rain_date(event=event, actor=Actor.of(coordinator))
    moved.refresh_from_db()
    assert moved.sequence == sequence + 1  # calendars holding it take the new day
    zone = rainy.jurisdiction.zone
    assert moved.starts_at.astimezone(zone) == dt.datetime(2017, 8, 2, 19, tzinfo=zone)
    assert moved.ends_at.astimezone(zone) == dt.datetime(2017, 8, 2, 22, tzinfo=zone)
    assert moved.rescheduled_from == first_start
    entry = AuditEntry.objects.get(event=event, action="moved to rain date")
    assert entry.changes["starts_at"] == ["2017-08-01 19:00 EDT", "2017-08-02 19:00 EDT"]


def test_the_host_may_move_their_party_and_nobody_else(rainy, publish, event_input):
    event = publish()
    other = publish(address="300 Elm Street, Agawam, MA")
    with pytest.raises(NotAllowed):
        event_move_to_rain_date(event=event, actor=Actor.host(other))
    assert event_move_to_rain_date(event=event, actor=Actor.host(event)).rescheduled_from


def test_an_event_moves_only_once_and_only_with_a_rain_date(rainy, publish, season,
                                                           event_input, at):
    event = publish()
    event_move_to_rain_date(event=event, actor=Actor.host(event))
    with pytest.raises(Invalid, match=ALREADY_ON_RAIN_DATE):
        event_move_to_rain_date(event=event, actor=Actor.host(event))
    dry = event_register(season=season, data=event_input(rain_date_declined=True,
                                                         address="500 Elm Street, Agawam, MA"),
                         submitted_at=at(7, 2))
    with pytest.raises(Invalid, match=NO_RAIN_DATE):
        event_move_to_rain_date(event=dry, actor=Actor.host(dry))


def test_a_cancelled_event_does_not_move(rainy, publish):
    event = publish()
    event_cancel(event=event, actor=Actor.host(event))
    with pytest.raises(Invalid, match=NOT_MOVABLE):
        event_move_to_rain_date(event=event, actor=Actor.host(event))
    event.refresh_from_db()
    assert event.rescheduled_from is None


def test_a_moved_party_stays_on_its_rain_date_when_something_else_changes(rainy, publish,
                                                                         coordinator):
    import dataclasses

    from nightout.registry.services import event_as_input, event_update

    event = publish(starts=dt.time(19), ends=dt.time(22))
    moved = event_move_to_rain_date(event=event, actor=Actor.of(coordinator))
    data = dataclasses.replace(event_as_input(moved), title="Renamed after the rain")
    changed = event_update(event=moved, data=data, actor=Actor.of(coordinator))
    zone = rainy.jurisdiction.zone
    assert changed.title == "Renamed after the rain"
    assert changed.starts_at.astimezone(zone) == dt.datetime(2017, 8, 2, 19, tzinfo=zone)
    assert changed.ends_at.astimezone(zone) == dt.datetime(2017, 8, 2, 22, tzinfo=zone)
