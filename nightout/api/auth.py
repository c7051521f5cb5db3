"""The agency token: `Authorization: Bearer <token>` on the agency's operations."""

from ninja.security import HttpBearer

from nightout.api.models import AgencyToken
from nightout.api.selectors import agency_token_find
from nightout.api.services import agency_token_used


class AgencyTokenAuth(HttpBearer):
    """A valid, unrevoked agency token; the request then carries it as `request.auth`.
    Anything else (no header, an unknown or revoked token) is answered 401."""

    def authenticate(self, request, token: str) -> AgencyToken | None:
        found = agency_token_find(raw=token)
        if found is not None:
            agency_token_used(token=found)
        return found


agency_token = AgencyTokenAuth()
