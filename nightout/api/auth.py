"""The agency token: `Authorization: Bearer <token>` on the agency's operations."""

from ninja.security import HttpBearer

from nightout.api.models import AgencyToken
from nightout.api.selectors import agency_token_find


class AgencyTokenAuth(HttpBearer):
    """A valid, unrevoked agency token; the request then carries it as `request.auth`.
    Anything else (no header, an unknown or revoked token) is answered 401."""

    def authenticate(self, request, token: str) -> AgencyToken | None:
        return agency_token_find(raw=token)


agency_token = AgencyTokenAuth()
