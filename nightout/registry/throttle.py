"""How many registrations one connection may send (settings.REGISTRATION_RATE), and how
often a lost private link may be asked for again.

A library's registration drive sends every form from one Wi-Fi, and people mistype: a form
refused for its errors stores nothing and is not counted against the limit, only a
registration that was accepted (and a form the honeypot caught, which no person sends). So
that refused forms cannot be sent without end either, every attempt counts against a cap
`ATTEMPTS_PER_REGISTRATION` times as large, in the same window. Counters are
django-ratelimit's, in the shared cache (`CACHE_URL`)."""

from django.conf import settings
from django_ratelimit.core import get_usage

# One counter for the form and the API, by the name it has always had.
GROUP = "nightout.registry.views.register"
ATTEMPTS_GROUP = "nightout.registry.register.attempts"
# Refused forms a connection may send for each registration it may make, in the window.
ATTEMPTS_PER_REGISTRATION = 10


def _attempts_rate() -> str:
    count, period = settings.REGISTRATION_RATE.split("/", 1)
    return f"{int(count) * ATTEMPTS_PER_REGISTRATION}/{period}"


def registration_refused(request) -> bool:
    """Whether this connection must wait: its accepted registrations are at the limit, or it
    has sent too many forms in all. The attempt is counted."""
    attempts = get_usage(request, group=ATTEMPTS_GROUP, key="ip", rate=_attempts_rate(),
                         method="POST", increment=True)
    accepted = get_usage(request, group=GROUP, key="ip", rate=settings.REGISTRATION_RATE,
                         method="POST")
    return bool(attempts and attempts["should_limit"]) or bool(
        accepted and accepted["count"] >= accepted["limit"])


def registration_counted(request) -> None:
    """Count an accepted registration (or a honeypot's catch) against the limit."""
    get_usage(request, group=GROUP, key="ip", rate=settings.REGISTRATION_RATE, method="POST",
              increment=True)


# A lost private link may be asked for this often from one connection, and for one address
# (from any connection, so that no one fills a host's mailbox).
LINK_REQUEST_RATE = "5/h"
LINK_REQUEST_GROUP = "nightout.registry.link_request"


def link_request_refused(request, email: str) -> bool:
    """Whether this request for a lost link must wait; counted whether or not it is."""
    usages = [
        get_usage(request, group=f"{LINK_REQUEST_GROUP}.ip", key="ip", rate=LINK_REQUEST_RATE,
                  method="POST", increment=True),
        get_usage(request, group=f"{LINK_REQUEST_GROUP}.email",
                  key=lambda group, request: email.strip().lower(), rate=LINK_REQUEST_RATE,
                  method="POST", increment=True),
    ]
    return any(usage and usage["should_limit"] for usage in usages)
