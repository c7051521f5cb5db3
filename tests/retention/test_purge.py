"""Personal data is purged after the retention period; a dry run changes nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from nightout.registry.links import LinkError, event_from_token, manage_token
from nightout.registry.models import EventStatus, HostContact
from nightout.retention.services import personal_data_purge
from nightout.surveys.models import SurveyResponse, SurveySummary
from nightout.surveys.services import response_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def past(make_event, settings):
    settings.RETENTION_DAYS = 365
    event = make_event(status=EventStatus.APPROVED, manage_secret="link-secret")
    HostContact.objects.create(event=event, name="Pat Host", email="pat@example.org",
                               phone="413-555-0100")
    for _ in range(12):
        response_submit(event=event, answers={"respect": 4, "comment": "Call 413-555-0100"},
                        language="en", now=event.starts_at + dt.timedelta(hours=1))
    return event


def table(html: str) -> str:
    return html[html.index("<table"):html.index("</table>")]


def test_nothing_is_purged_before_the_retention_period_ends(past):
    night = past.season.nno_date
    report = personal_data_purge(apply=True, today=night + dt.timedelta(days=365))
    assert report.seasons == [] and HostContact.objects.get().email == "pat@example.org"
    report = personal_data_purge(apply=False, today=night + dt.timedelta(days=366))
    assert (report.host_contacts, report.links, report.survey_answers) == (1, 1, 12)
    assert SurveyResponse.objects.count() == 12  # a dry run changes nothing


def test_purge_removes_contacts_links_and_answers_but_keeps_the_published_figures(client, past):
    token = manage_token(past)
    results = reverse("surveys:results", args=[past.season.slug])
    before = client.get(results).content.decode()
    assert "withheld" in before and "people answered" in before
    personal_data_purge(apply=True, today=past.season.nno_date + dt.timedelta(days=400))
    contact = HostContact.objects.get()
    assert (contact.name, contact.email, contact.phone) == ("", "", "")
    assert not SurveyResponse.objects.exists()
    with pytest.raises(LinkError):
        event_from_token(token, now=past.starts_at)
    # The figures published when the survey closed (with their noise) are the ones kept.
    after = client.get(results).content.decode()
    assert table(after) == table(before) and client.get(results, {"format": "json"}).json()[
        "respondents"] == SurveySummary.objects.get().figures["respondents"] is not None
    # Purging again finds nothing more to do.
    assert personal_data_purge(apply=True, today=past.season.nno_date
                               + dt.timedelta(days=400)).seasons == []


def test_the_command_is_a_dry_run_unless_told_otherwise(past, settings):
    settings.RETENTION_DAYS = 0
    out = StringIO()
    call_command("purge", stdout=out)
    assert "Dry run" in out.getvalue() and SurveyResponse.objects.count() == 12
    call_command("purge", "--apply", stdout=out)
    assert "Purged 1 host contacts" in out.getvalue() and not SurveyResponse.objects.exists()
