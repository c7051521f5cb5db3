"""Django's own logs keep no line that ties an address and a time to a survey answer."""

import logging

import pytest
from django.urls import reverse

from nightout.registry.models import EventStatus
from nightout.surveys.logfilter import SURVEY_PATH
from nightout.surveys.tokens import survey_url

pytestmark = pytest.mark.django_db


class Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def kept():
    """What the `django.server` logger and the `django` logger (where `django.request`'s
    records go) pass to their handlers."""
    handler = Kept()
    loggers = [logging.getLogger("django.server"), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


def test_the_survey_path_is_the_one_left_out(event):
    assert survey_url(event).startswith(SURVEY_PATH)


def test_the_development_servers_access_line_of_an_answer_is_left_out(kept, event):
    server = logging.getLogger("django.server")
    # As django.core.servers.basehttp.WSGIRequestHandler.log_message writes it.
    server.info('"%s" %s %s', f"POST {survey_url(event)} HTTP/1.1", "200", "812",
                extra={"server_time": "07/Dec/2026 03:40:00", "request": object()})
    server.info('"%s" %s %s', "GET /events/ HTTP/1.1", "200", "4096",
                extra={"server_time": "07/Dec/2026 03:40:01", "request": object()})
    assert [r.getMessage() for r in kept] == ['"GET /events/ HTTP/1.1" 200 4096']


def test_a_refused_answer_leaves_no_warning_and_other_pages_still_do(client, kept, event):
    event.status = EventStatus.APPROVED
    event.save()
    # Before the event starts: the answer is refused with a 400.
    assert client.post(survey_url(event), {"respect": "9"}).status_code == 400
    assert client.get(reverse("finder:event", args=[987654])).status_code == 404
    messages = [r.getMessage() for r in kept]
    assert not [m for m in messages if SURVEY_PATH in m]
    assert any("Not Found: /events/987654/" in m for m in messages)


def test_an_error_on_the_survey_path_is_reported_without_its_request(kept, rf, event):
    request = rf.post(survey_url(event), {"respect": "4"}, REMOTE_ADDR="203.0.113.9")
    logging.getLogger("django.request").error("Internal Server Error: %s", request.path,
                                              extra={"status_code": 500, "request": request})
    (record,) = kept
    assert record.request is None and "Internal Server Error" in record.getMessage()
