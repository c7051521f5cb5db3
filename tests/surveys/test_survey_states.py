"""When an event's survey takes answers, said before anyone fills it in: on the survey's page,
on the event's public page, and in the visitor's language."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nightout.registry.models import EventStatus
from nightout.surveys.models import SurveyResponse
from nightout.surveys.selectors import OPEN_FOR
from nightout.surveys.services import response_submit
from nightout.surveys.tokens import survey_url

pytestmark = pytest.mark.django_db
FORM = {"respect": "4", "listen": "4", "safe": "5", "changed": "same", "come_again": "yes"}


@pytest.fixture
def party(make_event):
    """An approved party; `party(hours=...)` starts that many hours from now."""
    def make(hours: float):
        start = timezone.now() + dt.timedelta(hours=hours)
        return make_event(status=EventStatus.APPROVED, starts_at=start,
                          ends_at=start + dt.timedelta(hours=3))

    return make


def page(client, event, **query):
    response = client.get(survey_url(event), query)
    return response.status_code, response.content.decode()


def test_a_survey_not_open_yet_says_so_instead_of_the_form(client, party):
    status, html = page(client, party(hours=5))
    assert status == 200 and "This survey opens when the event starts." in html
    assert "Send my answers" not in html and "treat people with respect" not in html


def test_an_answer_sent_before_the_start_is_refused_by_the_same_words(client, party):
    response = client.post(survey_url(party(hours=5)), FORM)
    assert response.status_code == 400
    assert "This survey opens when the event starts." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_says_it_is_closed_not_that_it_opens(client, party):
    closed = party(hours=-3 - OPEN_FOR.total_seconds() / 3600 - 1)
    status, html = page(client, closed)
    assert "This survey has closed." in html and "opens when" not in html
    assert "Send my answers" not in html
    assert reverse("surveys:results", args=[closed.season.slug]) in html
    with pytest.raises(ValidationError, match="has closed"):
        response_submit(event=closed, answers={}, language="en")
    response = client.post(survey_url(closed), FORM)
    assert response.status_code == 400 and "This survey has closed." in (
        response.content.decode())
    assert not SurveyResponse.objects.exists()


def test_an_open_survey_shows_its_form(client, party):
    status, html = page(client, party(hours=-1))
    assert status == 200 and "Send my answers" in html and "opens when" not in html


def test_the_event_page_says_when_the_survey_opens_links_it_while_open_and_says_closed(
        client, party):
    def event_page(event):
        return client.get(reverse("finder:event", args=[event.pk])).content.decode()

    later = party(hours=24)
    html = event_page(later)
    assert "survey opens here when the event starts" in html
    assert timezone.localtime(later.starts_at, later.season.jurisdiction.zone).strftime(
        "%A %-d %B, %-I:%M %p") in html
    assert survey_url(later) not in html
    assert survey_url(now := party(hours=-1)) in event_page(now)
    closed = party(hours=-3 - OPEN_FOR.total_seconds() / 3600 - 1)
    html = event_page(closed)
    assert "survey has closed" in html and survey_url(closed) not in html


def test_the_spanish_page_is_spanish_header_messages_and_errors(client, party):
    status, html = page(client, party(hours=5), lang="es")
    assert "Esta encuesta se abre cuando empieza el evento." in html
    assert "Buscar una fiesta" in html and "Registrar una fiesta" in html
    assert "Find a party" not in html and "Register a party" not in html
    assert "Skip to content" not in html and "Ir al contenido" in html
    open_now = party(hours=-1)
    response = client.post(survey_url(open_now), {**FORM, "respect": "9", "lang": "es",
                                                  "comment": "Gracias\x0b a todos"})
    html = response.content.decode()
    assert response.status_code == 400 and 'lang="es"' in html
    assert "Escoja una opción válida" in html  # Django's own words, in Spanish
    assert "carácter de control (U+000B) en la posición 8" in html
    assert "control character" not in html and "Select a valid choice" not in html
    assert "Buscar una fiesta" in html and "Find a party" not in html
    assert not SurveyResponse.objects.exists()


def test_the_english_page_keeps_the_english_header(client, party):
    status, html = page(client, party(hours=-1))
    assert "Find a party" in html and "Buscar una fiesta" not in html
