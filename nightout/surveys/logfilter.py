"""Django's own logs keep no line that ties an address and a time to a survey answer.

The development server's access line ("POST /survey/<token>/ 200", with the time) and the
request log's warnings ("Bad Request: /survey/<token>/") for the survey's address are left
out: with the time and the event of each answer, a log could be matched against the answers.
An error on the survey's address is still reported, but without its request, so the error
mail carries no address and no answers. The web server and the proxy have their own access
logs: docs/deploy.md says how to keep the survey out of them too.
"""

import logging

# The survey's address (nightout/surveys/urls.py), where residents send their answers.
SURVEY_PATH = "/survey/"


def _on_survey_path(record: logging.LogRecord) -> bool:
    path = getattr(getattr(record, "request", None), "path", None)
    if not isinstance(path, str):  # the development server's line: "POST /survey/... HTTP/1.1"
        args = record.args if isinstance(record.args, tuple) else ()
        path = args[0].split(" ")[1] if args and isinstance(args[0], str) and " " in args[0] \
            else ""
    return path.startswith(SURVEY_PATH)


class LeaveOutSurveyAnswers(logging.Filter):
    """For the `django.server` and `django.request` loggers (settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _on_survey_path(record):
            return True
        if record.name == "django.request" and record.levelno >= logging.ERROR:
            record.request = None  # reported, without the visitor's address or answers
            return True
        return False
