"""People: invitations to a role, sent by email and accepted through their signed link, and
the roles (memberships) a coordinator or an organizer sees and takes back.

Who may invite (and take back) whom:
- a liaison or a crew member of an agency: whoever manages the agency (its town's
  coordinators, its liaisons, site admins: `can_manage_agency`);
- a coordinator of a town: the organizers of one of the town's regions, and site admins.
Each is refused (`NotAllowed`) to anyone else, and recorded in the season's audit trail when
made from a season's pages.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from nightout.accounts.models import Invitation, Membership, Role, User
from nightout.accounts.permissions import can_manage_agency, can_view_region, is_site_admin
from nightout.errors import Invalid, NotAllowed
from nightout.mail import mail_send
from nightout.plaintext import in_sentence

INVITATION_DAYS = 7
SALT = "nightout.accounts.invitation"
NOT_YOURS_TO_INVITE = "You may not give the role of {role} in {scope}."
ALREADY_THERE = "{email} already has this role in {scope}."
LINK_GONE = {
    "expired": "This invitation has expired. Ask {inviter} to invite you again.",
    "revoked": "This invitation was withdrawn. Ask {inviter} if you should have one.",
    "used": "This invitation was used already: sign in with the account it made.",
    "unknown": "This link is not an invitation we sent. Ask whoever invited you to send it again.",
}


def may_give(user, role: str, scope) -> bool:
    """Whether `user` may invite to (and take back) `role` in `scope` (an agency for a
    liaison or crew member, a town for a coordinator)."""
    if is_site_admin(user):
        return True
    if role in (Role.AGENCY_LIAISON, Role.CREW):
        return can_manage_agency(user, scope)
    if role == Role.COORDINATOR:
        return any(can_view_region(user, region) for region in scope.regions.all())
    return False


def role_label(role: str, scope) -> str:
    """A role where it is held, as a sentence says it: "Crew member of Agawam Police"."""
    return {Role.COORDINATOR: "Coordinator of {}", Role.AGENCY_LIAISON: "Liaison of {}",
            Role.CREW: "Crew member of {}",
            Role.REGIONAL_ORGANIZER: "Organizer of {}"}[role].format(scope)


def _zone(scope):
    town = getattr(scope, "jurisdiction", None) if not hasattr(scope, "zone") else scope
    return town.zone if town is not None else timezone.get_default_timezone()


def _scope_fields(role: str, scope) -> dict:
    return {Role.COORDINATOR: {"jurisdiction": scope},
            Role.AGENCY_LIAISON: {"agency": scope}, Role.CREW: {"agency": scope},
            Role.REGIONAL_ORGANIZER: {"region": scope}}[role]


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation",
                                                   args=[invitation_token(invitation)])


@transaction.atomic
def invitation_send(*, user, email: str, role: str, scope,
                    now: dt.datetime | None = None) -> Invitation:
    """Invite `email` to `role` in `scope` and email the link (on commit)."""
    if not may_give(user, role, scope):
        raise NotAllowed(NOT_YOURS_TO_INVITE.format(role=Role(role).label.lower(), scope=scope))
    email = email.strip()
    fields = _scope_fields(role, scope)
    if Membership.objects.filter(user__email__iexact=email, role=role, **fields).exists():
        raise Invalid({"email": ALREADY_THERE.format(email=email, scope=scope)})
    now = now or timezone.now()
    invitation = Invitation(email=email, role=role, invited_by=user, expires_at=now
                            + dt.timedelta(days=INVITATION_DAYS), **fields)
    invitation.full_clean()
    invitation.save()
    link, inviter, label = invitation_url(invitation), str(user), role_label(role, scope)
    expires = invitation.expires_at.astimezone(_zone(scope)).strftime("%-d %B %Y, %-I:%M %p")
    transaction.on_commit(lambda: mail_send(
        subject=f"You are invited to nightout: {label}",
        body=(f"Hello,\n\n{inviter} invites you to nightout, the site {scope} uses for National "
              f"Night Out, as {in_sentence(label)}.\n\nTo accept, open this "
              f"link and choose a password (or sign in, if you have an account):\n{link}\n\n"
              f"The link works until {expires}. If you were not expecting it, ignore this "
              f"email.\n"),
        to=[email], about=f"invitation {invitation.pk}"))
    return invitation


def invitation_from_token(token: str, *, now: dt.datetime | None = None
                          ) -> tuple[Invitation | None, str | None]:
    """The invitation a link names, and why it no longer works (a key of LINK_GONE), if so."""
    try:
        pk = signing.loads(token, salt=SALT)["i"]
        invitation = Invitation.objects.select_related(
            "jurisdiction", "agency", "region", "invited_by").get(pk=pk)
    except (signing.BadSignature, KeyError, TypeError, Invitation.DoesNotExist):
        return None, "unknown"
    return invitation, _gone(invitation, now or timezone.now())


def _gone(invitation: Invitation, now: dt.datetime) -> str | None:
    if invitation.revoked_at:
        return "revoked"
    if invitation.accepted_at:
        return "used"
    if now >= invitation.expires_at:
        return "expired"
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person (signed in, or just made their account) takes the role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    gone = _gone(invitation, timezone.now())
    if gone:
        raise Invalid(LINK_GONE[gone].format(inviter=invitation.invited_by or "your coordinator"))
    fields = _scope_fields(invitation.role, invitation.scope)
    membership, _ = Membership.objects.get_or_create(user=user, role=invitation.role, **fields)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_revoke(*, user, invitation: Invitation) -> None:
    if not may_give(user, invitation.role, invitation.scope):
        raise NotAllowed(NOT_YOURS_TO_INVITE.format(role=invitation.get_role_display().lower(),
                                                    scope=invitation.scope))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def membership_revoke(*, user, membership: Membership) -> None:
    """Take a role back (the account stays, with its other roles)."""
    scope = membership.jurisdiction or membership.agency or membership.region
    if not may_give(user, membership.role, scope):
        raise NotAllowed(NOT_YOURS_TO_INVITE.format(role=membership.get_role_display().lower(),
                                                    scope=scope))
    membership.delete()
