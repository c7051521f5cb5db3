"""A survey comment keeps line breaks and refuses what no writer can carry."""

import datetime as dt

import pytest
from django.utils import timezone

from nightout.registry.models import EventStatus
from nightout.surveys.forms import SurveyForm
from nightout.surveys.models import SurveyResponse
from nightout.surveys.tokens import survey_url
from tests.unicode_text import ORDINARY


@pytest.mark.parametrize(("char", "code"), [("\x0b", "U+000B"), ("\x00", "U+0000"),
                                            ("\ud800", "U+D800"), ("\x85", "U+0085"),
                                            ("\uffff", "U+FFFF")])
def test_a_comment_with_a_control_character_is_refused_with_a_message(char, code):
    form = SurveyForm({"comment": f"Good{char} night"})
    assert not form.is_valid()
    assert any(f"({code})" in e and "at position 5;" in e for e in form.errors["comment"])


@pytest.mark.parametrize("text", ORDINARY)
def test_a_comment_in_any_script_with_line_breaks_is_taken(text):
    form = SurveyForm({"comment": f"{text}\r\n\t{text}"})
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_the_survey_page_shows_the_message_and_counts_nothing(client, event):
    event.status = EventStatus.APPROVED
    event.starts_at = timezone.now() - dt.timedelta(hours=1)
    event.ends_at = timezone.now() + dt.timedelta(hours=1)
    event.save()
    response = client.post(survey_url(event), {"respect": "4", "comment": "Thanks\x0b all"})
    assert "contains a control character (U+000B) at position 7" in response.content.decode()
    assert not SurveyResponse.objects.exists()
    client.post(survey_url(event), {"respect": "4", "comment": "Thanks all 🎉"})
    assert SurveyResponse.objects.get().comment == "Thanks all 🎉"
