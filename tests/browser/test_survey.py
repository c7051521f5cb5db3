"""A resident scans the QR poster of an event and answers the survey on a phone."""

import datetime as dt
import re

import pytest
import segno
from django.utils import timezone

from nightout.registry.models import EventStatus
from nightout.surveys.models import SurveyResponse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answer_the_survey_from_the_events_qr_poster(page, make_event, live_server, settings):
    settings.SITE_URL = live_server.url
    now = timezone.now()
    event = make_event(status=EventStatus.APPROVED, starts_at=now - dt.timedelta(hours=1),
                       ends_at=now + dt.timedelta(hours=1))
    page.goto(f"/events/{event.pk}/poster/")
    url = page.locator(".poster-url").inner_text()
    # The QR code on the poster encodes exactly that link.
    expected = segno.make(url, error="m").svg_inline(scale=8, dark="#0f2a4a", omitsize=True)
    drawn = page.locator(".qr svg path").get_attribute("d")
    assert drawn and f'd="{drawn}"' in expected
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url + "?lang=es")
    assert page.get_by_role("heading", name="¿Qué tal esta noche?").is_visible()
    page.get_by_role("link", name="English").click()
    page.get_by_role("group", name=re.compile("treat people with respect")).get_by_label(
        "Strongly agree").check()
    page.get_by_role("group", name=re.compile("I feel safe")).get_by_label("Agree",
                                                                          exact=True).check()
    page.get_by_role("group", name=re.compile("come again")).get_by_label("Yes").check()
    page.get_by_label("Anything else? (optional)").fill("Loved the fire truck. 413-555-0100")
    page.get_by_role("button", name="Send my answers").click()
    assert page.get_by_role("heading", name="Thank you!").is_visible()
    answer = SurveyResponse.objects.get()
    assert (answer.respect, answer.safe, answer.come_again) == (5, 4, "yes")
    assert answer.comment == "Loved the fire truck. [removed]" and answer.listen is None
