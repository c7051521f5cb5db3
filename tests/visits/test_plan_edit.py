import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from nightout.accounts.models import Membership, Role, User
from nightout.visits.models import PlanVersion, Stop
from nightout.visits.selectors import version_checks
from nightout.visits.services import (
    check_accept,
    stop_move,
    stop_pin,
    version_lock,
    version_queue_build,
)
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(season, units, parties):
    return version_queue_build(actor=SYSTEM, season=season, seconds=1)


def test_moving_a_stop_makes_a_new_valid_version_with_the_stop_pinned(version, units):
    car1, car2 = units[0], units[1]
    stop = version.stops.filter(kind="police").first()
    target = car2 if stop.unit_id == car1.pk else car1
    moved = stop_move(actor=SYSTEM, stop=stop, unit=target, position=1)
    assert moved.number == version.number + 1 and moved.origin == "move"
    new_stop = moved.stops.get(event=stop.event, kind="police")
    assert new_stop.unit == target and new_stop.order == 1 and new_stop.pinned
    assert moved.feasible, moved.problems
    assert version.stops.get(pk=stop.pk).unit_id == stop.unit_id  # the old version is kept


def test_moving_a_police_stop_to_an_engine_is_refused(version, units):
    stop = version.stops.filter(kind="police").first()
    with pytest.raises(ValidationError):
        stop_move(actor=SYSTEM, stop=stop, unit=units[2])


def test_a_pinned_stop_stays_with_its_unit_in_the_next_build(season, version, units):
    stop = version.stops.filter(kind="police").first()
    target = units[1] if stop.unit_id == units[0].pk else units[0]
    moved = stop_move(actor=SYSTEM, stop=stop, unit=target)
    rebuilt = version_queue_build(actor=SYSTEM, season=season, seconds=1, seed=7)
    again = rebuilt.stops.get(event=stop.event, kind="police")
    assert again.unit == target and again.pinned
    assert rebuilt.parent == moved


def test_unpinning_a_stop_clears_the_flag(version):
    stop = version.stops.first()
    stop_pin(actor=SYSTEM, stop=stop, pinned=True)
    assert Stop.objects.get(pk=stop.pk).pinned
    stop_pin(actor=SYSTEM, stop=stop, pinned=False)
    assert not Stop.objects.get(pk=stop.pk).pinned


def test_the_lock_check_lists_uncovered_parties_approximate_pins_overlaps_and_districts(
        version, parties, units):
    # Party 5 has a ZIP-code pin; Car 2 is kept to North. Drop one stop and squeeze another.
    dropped = version.stops.filter(kind="fire").first()
    dropped.delete()
    car = version.stops.filter(unit=units[0]).order_by("order")
    if car.count() >= 2:
        first, second = car[0], car[1]
        Stop.objects.filter(pk=second.pk).update(start=first.start, arrival=first.start)
    Stop.objects.filter(version=version, kind="police", event=parties[5]).update(unit=units[1],
                                                                                  order=99)
    kinds = {f.kind for f in version_checks(version)}
    assert {"uncovered", "approximate", "overlap", "district"} <= kinds
    assert any(f.key == f"uncovered:{dropped.event_id}:fire" for f in version_checks(version))


def test_locking_needs_every_finding_fixed_or_accepted_and_then_tells_the_agencies(
        version, police, django_capture_on_commit_callbacks):
    liaison = User.objects.create_user("lee", email="lee@police.example", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    findings = version_checks(version)
    assert findings  # party 5's approximate pin at least
    with pytest.raises(ValidationError):
        version_lock(actor=SYSTEM, version=version)
    for f in findings:
        check_accept(actor=SYSTEM, version=version, key=f.key)
    with django_capture_on_commit_callbacks(execute=True):
        locked = version_lock(actor=SYSTEM, version=version)
    assert locked.locked and PlanVersion.objects.filter(locked=True).count() == 1
    assert [m.to for m in mail.outbox] == [["lee@police.example"]]
    assert "locked" in mail.outbox[0].subject


def test_a_locked_version_cannot_be_edited(version):
    for f in version_checks(version):
        check_accept(actor=SYSTEM, version=version, key=f.key)
    version_lock(actor=SYSTEM, version=version)
    with pytest.raises(ValidationError):
        stop_pin(actor=SYSTEM, stop=version.stops.first())


def test_every_finding_of_a_kind_can_be_accepted_at_once(version):
    version = check_accept(actor=SYSTEM, version=version, kind="approximate")
    findings = version_checks(version)
    assert all(f.accepted for f in findings if f.kind == "approximate")
    assert any(f.kind == "approximate" for f in findings)
