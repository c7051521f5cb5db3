"""Background work of the registry. Each task takes only ids and runs inline in tests."""

from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string

from nightout.mail import mail_send
from nightout.registry.links import link_expiry, manage_url
from nightout.registry.selectors import event_for_host

SUBJECTS = {
    "registered": "We received your National Night Out registration: {title}",
    "approved": "Approved: {title} on National Night Out",
    "rejected": "Your National Night Out registration was not approved: {title}",
    "change_accepted": "Your change is accepted: {title} on National Night Out",
    "change_declined": "Your change was not accepted: {title} on National Night Out",
}
LINKS_SUBJECT = "Your private link to your National Night Out registration"
LINKS_SUBJECT_MANY = "Your private links to your {count} National Night Out registrations"


@task
def host_email_send(*, event_id: int, template: str, reason: str = "") -> None:
    """Email the host about their event, with their private link. A mail that cannot be
    sent is logged as an error and the task fails (see `nightout.mail`)."""
    event = event_for_host(pk=event_id)
    if not event.host_contact.email:  # imported without one
        return
    context = {
        "event": event,
        "reason": reason,
        "manage_link": settings.SITE_URL.rstrip("/") + manage_url(event),
        "link_expires": link_expiry(event),
        "zone": event.season.jurisdiction.zone,
    }
    mail_send(
        subject=SUBJECTS[template].format(title=event.title),
        body=render_to_string(f"registry/email/{template}.txt", context),
        to=[event.host_contact.email],
        about=f"event {event.pk} ({template})",
    )


@task
def host_links_send(*, event_ids: list[int]) -> None:
    """Email a host who asked again the private links of their events, one mail to each
    address the events' host gave (`services.host_links_request` chose the events)."""
    events = [event_for_host(pk=pk) for pk in event_ids]
    by_address: dict[str, list] = {}
    for event in events:
        if event.host_contact.email:
            by_address.setdefault(event.host_contact.email, []).append(event)
    site = settings.SITE_URL.rstrip("/")
    for address, theirs in by_address.items():
        links = [{"event": event, "link": site + manage_url(event),
                  "expires": link_expiry(event), "zone": event.season.jurisdiction.zone}
                 for event in theirs]
        subject = (LINKS_SUBJECT if len(links) == 1
                   else LINKS_SUBJECT_MANY.format(count=len(links)))
        mail_send(subject=subject,
                  body=render_to_string("registry/email/links.txt", {"links": links}),
                  to=[address], about=f"events {', '.join(str(e.pk) for e in theirs)} (links)")
