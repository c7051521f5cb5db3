"""The survey link printed on an event's QR poster: signed, so answers come only for real,
approved events, and carrying nothing about who answers.

The link is the same every time it is made (no timestamp in the signature), so a poster
printed twice carries the same code. Links signed with a timestamp, as made before, are
still accepted."""

from django.core import signing
from django.urls import reverse

from nightout.registry.models import Event

SALT = "nightout.surveys.event"


def survey_token(event: Event) -> str:
    return signing.Signer(salt=SALT).sign_object(event.pk)


def survey_url(event: Event) -> str:
    return reverse("surveys:answer", args=[survey_token(event)])


def event_id_from_token(token: str) -> int | None:
    for unsign in (signing.Signer(salt=SALT).unsign_object, lambda t: signing.loads(t, salt=SALT)):
        try:
            return int(unsign(token))
        except (signing.BadSignature, TypeError, ValueError):
            continue
    return None
