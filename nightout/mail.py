"""Every email nightout sends goes through `mail_send`.

The subject is made one line and the body and addresses are cleaned with `writable`, so text
stored before the door refused such characters (a line break in an event's title) cannot
stop a mail: Django refuses a subject with a line break, and no half of a surrogate pair
can be encoded. A mail that still fails (the mail server is down) is logged as an error,
naming what it was about, and raised for the background task to record as failed; the page
that asked for it has long been answered.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail

from nightout.text import writable

logger = logging.getLogger("nightout.mail")

MAIL_FAILED = "The email about %s (“%s”) to %d recipient(s) could not be sent."


def mail_send(*, subject: str, body: str, to: list[str], about: str,
              from_email: str | None = None) -> None:
    """Send one email; `about` names it in the log if it fails ("event 12, approved")."""
    subject = writable(subject, single_line=True)
    recipients = [writable(address, single_line=True).strip() for address in to]
    try:
        send_mail(subject, writable(body), from_email or settings.DEFAULT_FROM_EMAIL,
                  recipients)
    except Exception:
        logger.exception(MAIL_FAILED, about, subject, len(recipients))
        raise
