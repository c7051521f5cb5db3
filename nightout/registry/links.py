"""The host's private link: signed, tied to the event's secret, expiring after the season.

The link carries the event's id and its `manage_secret`, signed with the site's SECRET_KEY,
so it cannot be guessed or altered; resetting the secret revokes every link sent before.
"""

import datetime as dt

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from nightout.registry.models import Event

SALT = "nightout.registry.manage"
# The link keeps working this long after the night, for the host's report and renewal.
VALID_AFTER_NIGHT = dt.timedelta(days=120)
LINK_INVALID = "This link is not valid. Use the link in your most recent email from us."
LINK_EXPIRED = "This link has expired: it worked until {until}."


class LinkError(Exception):
    """The link does not name an event, or names it with a secret no longer its own."""


class LinkExpired(LinkError):
    """The link was good, but its season is long over."""


def link_expiry(event: Event) -> dt.datetime:
    return event.season.at(event.season.nno_date, dt.time(23, 59)) + VALID_AFTER_NIGHT


def manage_token(event: Event) -> str:
    return signing.dumps({"e": event.pk, "s": event.manage_secret}, salt=SALT, compress=True)


def manage_url(event: Event) -> str:
    return reverse("registry:manage", args=[manage_token(event)])


def event_from_token(token: str, *, now: dt.datetime | None = None) -> Event:
    try:
        payload = signing.loads(token, salt=SALT)
        event = Event.objects.select_related("season__jurisdiction", "host_contact").get(
            pk=payload["e"]
        )
    except (signing.BadSignature, Event.DoesNotExist, KeyError, TypeError):
        raise LinkError(LINK_INVALID) from None
    if not event.manage_secret or payload.get("s") != event.manage_secret:
        raise LinkError(LINK_INVALID)
    until = link_expiry(event)
    if (now or timezone.now()) > until:
        raise LinkExpired(LINK_EXPIRED.format(until=until.date().isoformat()))
    return event
