"""A tap made without signal waits on the phone and is sent later, perhaps more than once: the
server keeps it once (by the phone's id for it) and at the phone's time, when that time is
plausible."""

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.registry.actors import Actor
from nightout.visits.models import Stop, StopReport, StopStatus
from nightout.visits.services import TAP_CLOCK_SKEW, stop_report, version_queue_build
from tests.visits.conftest import SYSTEM


@pytest.fixture
def version(season, units, parties):
    return version_queue_build(actor=SYSTEM, season=season, seconds=1)


@pytest.fixture
def stop(version, units):
    return version.stops.filter(unit=units[0]).order_by("order").first()


@pytest.fixture
def crew(police):
    user = User.objects.create_user("carmen", password="pw")
    Membership.objects.create(user=user, role=Role.CREW, agency=police)
    return user


@pytest.fixture
def received(at):
    """The server receives the queued taps at 20:10 on the night, when the signal is back."""
    return at(8, 1, 20, 10)


@pytest.mark.django_db
def test_a_tap_sent_twice_is_kept_once(stop, at, received):
    tap = uuid.uuid4()
    for _ in range(2):
        stop_report(actor=SYSTEM, stop_id=stop.pk, status="done", tap=tap,
                    tapped_at=at(8, 1, 18, 42), now=received)
    report = StopReport.objects.get(stop=stop)
    assert (report.tap, report.status) == (tap, "done")
    stop.refresh_from_db()
    assert stop.status == StopStatus.DONE and stop.reported_at == at(8, 1, 18, 42)


@pytest.mark.django_db
def test_a_tap_sent_again_after_a_later_tap_changes_nothing(stop, at, received):
    arrived, done = uuid.uuid4(), uuid.uuid4()
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="arrived", tap=arrived,
                tapped_at=at(8, 1, 18, 30), now=received)
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="done", tap=done,
                tapped_at=at(8, 1, 18, 45), now=received)
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="arrived", tap=arrived,
                tapped_at=at(8, 1, 18, 30), now=received)
    assert list(StopReport.objects.filter(stop=stop).values_list("tap", "status")) == [
        (arrived, "arrived"), (done, "done")]
    assert Stop.objects.get(pk=stop.pk).status == StopStatus.DONE


@pytest.mark.django_db
def test_the_same_tap_id_on_two_stops_is_two_taps(version, units, at, received):
    first, second = version.stops.filter(unit=units[0]).order_by("order")[:2]
    tap = uuid.uuid4()
    for stop in (first, second):
        stop_report(actor=SYSTEM, stop_id=stop.pk, status="done", tap=tap, now=received)
    assert StopReport.objects.filter(tap=tap).count() == 2


@pytest.mark.django_db
def test_taps_without_an_id_are_each_kept(stop, received):
    for _ in range(2):
        stop_report(actor=SYSTEM, stop_id=stop.pk, status="done", now=received)
    assert StopReport.objects.filter(stop=stop).count() == 2


# (the phone's time, as an offset from the time the server receives the tap, or a time of the
# night; the report's time): the phone's time when plausible, else the server's.
PHONE_TIMES = [
    pytest.param("18:42", "18:42", id="earlier on the night: the phone's time"),
    pytest.param("15:00", "15:00", id="when the night opens (earliest start 15:00)"),
    pytest.param("14:59", "received", id="before the night opens: the server's time"),
    pytest.param(dt.timedelta(0), "received", id="the moment it is received"),
    pytest.param(TAP_CLOCK_SKEW, "received",
                 id="a phone a little ahead: no later than the server's time"),
    pytest.param(TAP_CLOCK_SKEW + dt.timedelta(seconds=1), "received",
                 id="further in the future: the server's time"),
    pytest.param(-dt.timedelta(days=400), "received", id="last year: the server's time"),
    pytest.param(None, "received", id="no time sent: the server's time"),
    pytest.param("naive", "received", id="a time without a zone: the server's time"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("phone", "expected"), PHONE_TIMES)
def test_a_report_keeps_the_phones_time_when_it_is_plausible(stop, at, received, phone,
                                                             expected):
    if isinstance(phone, str) and ":" in phone:
        tapped_at = at(8, 1, *map(int, phone.split(":")))
    elif phone == "naive":
        tapped_at = dt.datetime(2017, 8, 1, 18, 42)
    elif phone is None:
        tapped_at = None
    else:
        tapped_at = received + phone
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="done", tap=uuid.uuid4(),
                tapped_at=tapped_at, now=received)
    want = received if expected == "received" else at(8, 1, *map(int, expected.split(":")))
    report = StopReport.objects.get(stop=stop)
    assert report.at == want
    assert Stop.objects.get(pk=stop.pk).reported_at == want
    # What the phone said and when it arrived are kept beside it.
    kept = None if phone == "naive" else tapped_at
    assert (report.tapped_at, report.received_at) == (kept, received)


@pytest.mark.django_db
def test_the_night_opens_at_the_units_shift_when_that_is_earlier(stop, at, received):
    stop.unit.shift_start = dt.time(14, 0)
    stop.unit.save(update_fields=["shift_start"])
    stop_report(actor=SYSTEM, stop_id=stop.pk, status="arrived", tapped_at=at(8, 1, 14, 30),
                now=received)
    assert StopReport.objects.get(stop=stop).at == at(8, 1, 14, 30)


@pytest.mark.django_db
def test_a_phone_replays_its_queue_through_the_tap_form(client, crew, stop):
    client.force_login(crew)
    tap = str(uuid.uuid4())
    url = reverse("visits:report", args=[stop.pk])
    data = {"status": "done", "unit": stop.unit_id, "tap": tap,
            "tapped_at": "2017-08-01T22:42:00.000Z"}  # 18:42 in Agawam
    for _ in range(2):
        response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200 and "<html" not in response.content.decode()
    report = StopReport.objects.get(stop=stop)
    assert str(report.tap) == tap
    assert report.at == dt.datetime(2017, 8, 1, 22, 42, tzinfo=dt.UTC)
    assert Stop.objects.get(pk=stop.pk).status == StopStatus.DONE


@pytest.mark.django_db
def test_a_tap_whose_id_or_time_does_not_parse_still_lands(client, crew, stop):
    client.force_login(crew)
    response = client.post(reverse("visits:report", args=[stop.pk]),
                           {"status": "done", "unit": stop.unit_id, "tap": "not-an-id",
                            "tapped_at": "yesterday"})
    assert response.status_code == 302
    report = StopReport.objects.get(stop=stop)
    assert report.tap is None and report.tapped_at is None
    assert Stop.objects.get(pk=stop.pk).status == StopStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_the_same_tap_sent_from_two_connections_at_once_is_kept_once(
        on_postgresql, season, units, parties):
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    stops = list(version.stops.all())
    taps = [(s.pk, uuid.uuid4()) for s in stops]
    barrier = threading.Barrier(4)
    errors = []

    def phone():
        try:
            barrier.wait()
            for stop_id, tap in taps:
                stop_report(actor=Actor.system("crew"), stop_id=stop_id, status="done", tap=tap)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=phone) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert StopReport.objects.count() == len(taps)
    assert set(Stop.objects.filter(version=version).values_list("status", flat=True)) == {"done"}
