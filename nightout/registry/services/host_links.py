"""A host who lost the private link asks for it again, by the email they registered with."""

import datetime as dt

from django.db import transaction

from nightout.registry.selectors import events_of_host_email


def host_links_request(*, email: str, now: dt.datetime | None = None) -> None:
    """Mail the private links of the events whose host gave `email` (whose links still
    work) to the address the host gave, after the request's commit. It writes nothing and
    answers nothing: whether any event matched is told only to that mailbox, so the one who
    asks cannot learn whether an address hosts a party. The caller limits how often it is
    asked (`throttle`)."""
    events = events_of_host_email(email=email, now=now)
    if not events:
        return
    from nightout.registry.tasks import host_links_send

    ids = [event.pk for event in events]
    transaction.on_commit(lambda: host_links_send.enqueue(event_ids=ids))
