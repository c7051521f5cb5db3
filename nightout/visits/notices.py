"""The notice to agencies that the visit plan is locked, sent by a background task
(`tasks.version_locked_notify_task`) once the lock is committed, never inside the request."""

from __future__ import annotations

from django.conf import settings

from nightout.accounts.models import Membership, Role
from nightout.mail import mail_send
from nightout.registry.models import Agency
from nightout.visits.models import PlanVersion


def version_locked_notify(*, version_id: int) -> None:
    """Email the liaisons and crews of every agency with stops in the locked version. Each
    agency's mail is tried; one that fails is logged, and the task fails after the rest."""
    version = PlanVersion.objects.select_related("plan__season__jurisdiction").get(pk=version_id)
    season = version.season
    agencies = Agency.objects.filter(units__stops__version=version).distinct()
    failure = None
    for agency in agencies:
        emails = sorted({m.user.email for m in Membership.objects.filter(
            agency=agency, role__in=[Role.AGENCY_LIAISON, Role.CREW]).select_related("user")
            if m.user.email})
        if not emails:
            continue
        try:
            mail_send(
                subject=f"{season}: the visit plan is locked",
                body=f"The visit plan for {season} is locked (version {version.number}). Your "
                     f"units' itineraries: {settings.SITE_URL}/plan/{season.slug}/units/\n",
                to=emails, about=f"the locked plan of {season.slug} for {agency.slug}",
            )
        except Exception as exc:  # logged by mail_send; the other agencies still hear
            failure = failure or exc
    if failure is not None:
        raise failure
