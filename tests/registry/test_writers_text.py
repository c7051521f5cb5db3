"""The registry's writers survive any stored text: the official lists' CSV (read back with the
csv module) and the emails to hosts; and a mail that cannot be sent is logged, not lost
silently, while the page still works."""

import csv
import email
import io
import logging
import smtplib
from email import policy

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightout.mail import mail_send
from nightout.registry.exports import write_csv
from nightout.registry.models import Event, HostContact
from nightout.registry.services import Actor, event_approve, event_register, season_create
from nightout.registry.tasks import host_email_send
from tests.unicode_text import expected, texts

pytestmark = pytest.mark.django_db
EXAMPLES = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """What a CSV cell holds for `text`: the text a CSV can carry, kept from formulas."""
    text = expected(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@pytest.fixture
def approved(season, event_input, coordinator):
    event = event_register(season=season, data=event_input(), deadlines=False,
                           actor=Actor.system("test"))
    return event_approve(event=event, user=coordinator)


@EXAMPLES
@given(title=texts(storable=True), address=texts(storable=True),
       host=texts(storable=True, max_size=20))
def test_the_official_list_csv_reads_back_with_the_text(client, coordinator, approved, title,
                                                        address, host):
    Event.objects.filter(pk=approved.pk).update(title=title, address=address)
    HostContact.objects.filter(event=approved).update(name=host)
    client.force_login(coordinator)
    response = client.get(reverse("registry:official_list",
                                  args=[approved.season.slug, "police"]), {"format": "csv"})
    assert response.status_code == 200
    header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8"), newline="")))
    assert row[header.index("Event")] == cell(title)
    assert row[header.index("Address")] == cell(address)
    assert row[header.index("Host")] == cell(host)


@EXAMPLES
@given(cells=st.lists(st.one_of(texts(), st.integers()), min_size=1, max_size=5))
def test_write_csv_takes_any_text_even_what_no_database_holds(cells):
    out = io.StringIO(newline="")
    write_csv(out, [cells])
    out.getvalue().encode("utf-8")  # raises on half of a surrogate pair
    assert out.getvalue().startswith("\ufeff")  # so that Excel reads it as UTF-8
    [row] = list(csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff"), newline="")))
    assert row == [cell(c) if isinstance(c, str) else str(c) for c in cells]


@EXAMPLES
@given(title=texts(storable=True), reason=texts(storable=True),
       street=texts(storable=True, max_size=20))
def test_every_email_to_a_host_is_sent_whatever_the_stored_text(approved, title, reason,
                                                                street):
    Event.objects.filter(pk=approved.pk).update(title=title)
    approved.closures.update(street=street)
    mail.outbox = []
    for template in ("registered", "approved", "rejected"):
        host_email_send.call(event_id=approved.pk, template=template, reason=reason)
    assert len(mail.outbox) == 3
    registered, accepted, rejected = mail.outbox
    assert accepted.subject == expected(f"Approved: {title} on National Night Out",
                                        one_line=True)
    assert f'"{expected(title)}"' in accepted.body
    assert f"The coordinator's reason: {expected(reason)}" in rejected.body
    for message in mail.outbox:
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert "\n" not in str(parsed["subject"]) and parsed.get_content()


@EXAMPLES
@given(subject=texts(), body=texts())
def test_mail_send_takes_any_text_even_what_no_database_holds(subject, body):
    mail.outbox = []
    mail_send(subject=subject, body=body, to=["pat@example.org"], about="a test")
    [sent] = mail.outbox
    assert sent.subject == expected(subject, one_line=True)
    assert sent.body == expected(body)
    sent.message().as_bytes()


def test_a_mail_that_fails_is_logged_as_an_error_and_the_registration_still_lands(
        client, jurisdiction, monkeypatch, caplog, django_capture_on_commit_callbacks):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr("nightout.mail.send_mail", refuse)
    upcoming = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:register", args=[upcoming.slug]), {
            "title": "Elm Street Block Party", "kind": "block_party",
            "address": "120 Elm Street", "latitude": "42.0702", "longitude": "-72.6155",
            "starts": "17:00", "ends": "20:30", "host_name": "Pat Host",
            "host_email": "pat@example.org"})
    event = Event.objects.get()
    assert response.status_code == 302
    errors = [r for r in caplog.records if r.name == "nightout.mail"]
    assert [r.levelno for r in errors] == [logging.ERROR]
    assert f"event {event.pk} (registered)" in errors[0].getMessage()
    assert "the mail server went away" in errors[0].exc_text
