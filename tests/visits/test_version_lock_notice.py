"""The notice that the plan is locked leaves the request: a background task sends it once the
lock is committed, and a mail server that fails undoes nothing and shows no error page."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import AuditEntry
from nightout.visits.models import PlanVersion
from nightout.visits.selectors import version_checks
from nightout.visits.services import check_accept, version_lock, version_queue_build
from tests.visits.conftest import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(season, units, parties, police):
    """A solved version with every finding accepted, and a liaison of the police to tell."""
    liaison = User.objects.create_user("lee", email="lee@police.example", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    version = version_queue_build(actor=SYSTEM, season=season, seconds=1)
    for finding in version_checks(version):
        check_accept(actor=SYSTEM, version=version, key=finding.key)
    return version


def test_the_lock_notice_is_sent_only_once_the_lock_is_committed(
        ready, django_capture_on_commit_callbacks):
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        version_lock(actor=SYSTEM, version=ready)
        assert mail.outbox == []  # nothing is sent while the lock may still be rolled back
    assert PlanVersion.objects.get(pk=ready.pk).locked and mail.outbox == []
    for callback in after_commit:
        callback()
    assert [m.to for m in mail.outbox] == [["lee@police.example"]]


def test_a_mail_server_that_fails_leaves_the_lock_and_the_success_page_and_is_logged(
        client, coordinator, season, police, ready, monkeypatch, caplog,
        django_capture_on_commit_callbacks):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    mail.outbox = []
    client.force_login(coordinator)
    url = reverse("visits:version", args=[season.slug, ready.number])
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "lock"}, follow=True)

    assert response.status_code == 200
    assert f"Version {ready.number} is locked; the agencies are told." in (
        response.content.decode())
    assert PlanVersion.objects.get(pk=ready.pk).locked
    assert AuditEntry.objects.filter(action="plan_lock").count() == 1
    assert mail.outbox == []
    [logged] = [r for r in caplog.records if r.name == "nightout.mail"]
    assert f"the locked plan of {season.slug} for {police.slug}" in logged.getMessage()
