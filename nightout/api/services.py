"""Writes of the API app: agency tokens are made and revoked here, and nowhere else."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from nightout.api.models import AgencyToken
from nightout.registry.models import Agency

PREFIX_LENGTH = 8
# How often a token's "last used" moment is written, at most.
LAST_USED_EVERY = dt.timedelta(minutes=5)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def agency_token_create(*, agency: Agency, name: str, created_by: str = ""
                        ) -> tuple[AgencyToken, str]:
    """A new token for `agency`. Returns the row and the token itself, which is not stored
    and must be handed over now."""
    raw = "nno_" + secrets.token_urlsafe(32)
    token = AgencyToken(agency=agency, name=name.strip(), prefix=raw[:PREFIX_LENGTH + 4],
                        digest=token_digest(raw), created_at=timezone.now(),
                        created_by=created_by)
    token.full_clean(exclude=["prefix", "digest"])
    token.save()
    return token, raw


@transaction.atomic
def agency_token_revoke(*, token: AgencyToken) -> AgencyToken:
    """Stop a token from working, at once. Revoking twice keeps the first moment."""
    AgencyToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def agency_token_used(*, token: AgencyToken) -> None:
    """Note that a token was shown (at most every few minutes, so reads stay cheap)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        AgencyToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
