"""Reads of the API app: finding the token a request shows, and what its agency may read."""

from django.db.models import Count, QuerySet

from nightout.api.models import AgencyToken
from nightout.api.services import token_digest
from nightout.registry.models import Agency, Season
from nightout.visits.models import PlanVersion, Unit


def agency_token_find(*, raw: str) -> AgencyToken | None:
    """The active token whose digest matches `raw`, with its agency, or None."""
    if not raw or len(raw) > 200:
        return None
    return (AgencyToken.objects.select_related("agency")
            .filter(digest=token_digest(raw), revoked_at__isnull=True).first())


def agency_units(*, agency: Agency, season: str = "") -> QuerySet[Unit]:
    """The agency's units, newest season first, with what a listing shows joined."""
    units = (Unit.objects.filter(agency=agency)
             .select_related("season__jurisdiction", "start_station", "end_station",
                             "ride_along_with"))
    if season:
        units = units.filter(season__slug=season)
    return units.order_by("-season__year", "season__slug", "kind", "name")


def agency_seasons(*, agency: Agency) -> QuerySet[Season]:
    """The seasons in which the agency has units."""
    return Season.objects.filter(units__agency=agency).distinct()


def stops_per_unit(*, version: PlanVersion) -> dict[int, int]:
    """How many stops each unit has in a plan version, by unit id."""
    rows = version.stops.values("unit_id").annotate(n=Count("pk")).order_by()
    return {row["unit_id"]: row["n"] for row in rows}
