"""What the site's header offers a signed-in person: the links their roles lead somewhere
useful from (a crew member has no season to coordinate; an organizer has a region)."""

from django.utils.functional import SimpleLazyObject

from nightout.accounts.models import Role
from nightout.accounts.permissions import memberships_of


def roles(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def offers():
        # The roles the page's own permission checks read already (no query of its own).
        held = sorted(memberships_of(user), key=lambda m: m.pk)
        kinds = {m.role for m in held}
        staff = user.is_superuser
        return {
            "coordinate": staff or bool(kinds & {Role.COORDINATOR, Role.AGENCY_LIAISON}),
            "visits": staff or bool(kinds & {Role.COORDINATOR, Role.AGENCY_LIAISON, Role.CREW}),
            "region": next((m.region for m in held if m.role == Role.REGIONAL_ORGANIZER), None),
            # An organizer adds their region's towns (others reach Towns from Coordinate).
            "towns": Role.REGIONAL_ORGANIZER in kinds,
        }

    return {"nav": SimpleLazyObject(offers)}  # read once, and only by a page that asks
