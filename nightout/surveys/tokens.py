"""The survey link printed on an event's QR poster: signed, so answers come only for real,
approved events, and carrying nothing about who answers."""

from django.core import signing
from django.urls import reverse

from nightout.registry.models import Event

SALT = "nightout.surveys.event"


def survey_token(event: Event) -> str:
    return signing.dumps(event.pk, salt=SALT)


def survey_url(event: Event) -> str:
    return reverse("surveys:answer", args=[survey_token(event)])


def event_id_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
