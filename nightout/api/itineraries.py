"""For an agency's own software, with an agency token: its units, each unit's itinerary, and
the locked plan of a season where it has units. An agency sees only its own units, as its
crews do on the site; no host's name, email or phone is in any of it."""

import datetime as dt

from ninja import Path, Query, Router, Schema
from pydantic import Field

from nightout.api.auth import agency_token
from nightout.api.errors import MAX_ID
from nightout.api.schemas import SLUG, Problem, local
from nightout.api.selectors import agency_seasons, agency_units, stops_per_unit
from nightout.errors import NotFound
from nightout.visits.selectors import plan_versions, unit_stops, version_current

router = Router(tags=["agencies"], auth=agency_token)

NO_UNIT = "No such unit of your agency."
NO_LOCKED_PLAN = "This season has no locked plan your agency is part of."


class Unit(Schema):
    id: int
    name: str
    kind: str
    season: str
    shift_start: dt.datetime = Field(description="In the town's zone, with its offset.")
    shift_end: dt.datetime
    start_station: str
    end_station: str
    district: str
    rides_along_with: str | None = Field(description="The local unit it follows, if any.")
    active: bool


class UnitFilter(Schema):
    season: str = Field("", max_length=140, pattern=f"{SLUG}|^$",
                        description="A season's slug.")


class StopEvent(Schema):
    id: int
    title: str
    address: str = Field(description="Where to go, as on the crew's run sheet.")
    latitude: float
    longitude: float
    approximate: bool = Field(description="The pin comes from a ZIP code or the town, "
                                          "not the address.")
    district: str


class Stop(Schema):
    order: int
    kind: str
    arrival: dt.datetime
    start: dt.datetime
    departure: dt.datetime
    status: str
    done_by: str | None = Field(None, description="The unit that made the visit when it is "
                                "not this one (its crew tapped done on the plan before a "
                                "re-plan): nobody needs to go there.")
    event: StopEvent


class Itinerary(Schema):
    unit: Unit
    version: int | None = Field(description="The plan version the stops come from: the "
                                             "locked one, else the newest finished one.")
    locked: bool
    stops: list[Stop]


class AgencyUnitStops(Schema):
    unit: str
    stops: int


class PlanSummary(Schema):
    season: str
    version: int
    locked_at: dt.datetime
    visits_made: int | None
    parties_reached: int | None
    first_come_first_served_parties: int | None
    your_units: list[AgencyUnitStops] = Field(description="Your agency's units and their "
                                                          "number of stops.")


def _unit(unit) -> dict:
    season, town = unit.season, unit.season.jurisdiction
    return {
        "id": unit.pk, "name": unit.name, "kind": unit.kind, "season": season.slug,
        "shift_start": local(season.at(season.nno_date, unit.shift_start), town),
        "shift_end": local(season.at(season.nno_date, unit.shift_end), town),
        "start_station": unit.start_station.name, "end_station": unit.end_station.name,
        "district": unit.district,
        "rides_along_with": unit.ride_along_with.name if unit.ride_along_with else None,
        "active": unit.active,
    }


@router.get("/agency/units", response={200: list[Unit], 401: Problem, 422: Problem},
            summary="Your agency's units")
def unit_list(request, filters: Query[UnitFilter]):
    """The units of the token's agency, newest season first."""
    return [_unit(u) for u in agency_units(agency=request.auth.agency, season=filters.season)]


@router.get("/agency/units/{unit_id}/itinerary",
            response={200: Itinerary, 401: Problem, 404: Problem, 422: Problem},
            summary="A unit's itinerary")
def unit_itinerary(request, unit_id: int = Path(..., ge=1, le=MAX_ID)):
    """A unit's stops in order, with arrival, visit and departure times in the town's zone.
    A unit riding along follows its local unit's stops. Another agency's unit is not found."""
    unit = agency_units(agency=request.auth.agency).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(NO_UNIT)
    season, town = unit.season, unit.season.jurisdiction
    version = version_current(season)
    stops = unit_stops(version, unit.ride_along_with or unit)
    return {
        "unit": _unit(unit), "version": version.number if version else None,
        "locked": bool(version and version.locked),
        "stops": [{
            "order": s.order, "kind": s.kind, "arrival": local(s.arrival, town),
            "start": local(s.start, town), "departure": local(s.departure, town),
            "status": s.status, "done_by": s.done_by.name if s.done_by_another else None,
            "event": {"id": s.event.pk, "title": s.event.title, "address": s.event.address,
                      "latitude": s.event.latitude, "longitude": s.event.longitude,
                      "approximate": s.event.pin_is_approximate,
                      "district": s.event.district},
        } for s in stops],
    }


@router.get("/agency/seasons/{slug}/plan",
            response={200: PlanSummary, 401: Problem, 404: Problem, 422: Problem},
            summary="A season's locked plan")
def plan_summary(request, slug: str = Path(..., max_length=140, pattern=SLUG)):
    """The locked plan of a season in which your agency has units: what it reaches, and how
    many stops each of your units has."""
    season = agency_seasons(agency=request.auth.agency).filter(slug=slug).first()
    version = plan_versions(season).filter(locked=True).first() if season else None
    if version is None:
        raise NotFound(NO_LOCKED_PLAN)
    units = list(agency_units(agency=request.auth.agency, season=slug))
    counts = stops_per_unit(version=version)
    return {
        "season": season.slug, "version": version.number,
        "locked_at": local(version.locked_at, season.jurisdiction),
        "visits_made": version.visits_made, "parties_reached": version.parties_reached,
        "first_come_first_served_parties": version.fcfs_parties,
        "your_units": [{"unit": u.name, "stops": counts.get(u.ride_along_with_id or u.pk, 0)}
                       for u in units],
    }
