"""Background work of the registry. Each task takes only ids and runs inline in tests."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string

from nightout.registry.links import link_expiry, manage_url
from nightout.registry.selectors import event_for_host

SUBJECTS = {
    "registered": "We received your National Night Out registration: {title}",
    "approved": "Approved: {title} on National Night Out",
    "rejected": "Your National Night Out registration was not approved: {title}",
    "change_accepted": "Your change is accepted: {title} on National Night Out",
    "change_declined": "Your change was not accepted: {title} on National Night Out",
}


@task
def host_email_send(*, event_id: int, template: str, reason: str = "") -> None:
    """Email the host about their event, with their private link."""
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
    send_mail(
        SUBJECTS[template].format(title=event.title),
        render_to_string(f"registry/email/{template}.txt", context),
        None,
        [event.host_contact.email],
    )
