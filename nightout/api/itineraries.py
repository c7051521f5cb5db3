"""For an agency's own software, with an agency token: its units, each unit's itinerary, and
the locked plan of a season where it has units. An agency sees only its own units, as its
crews do on the site; no host's name, email or phone is in any of it."""

import datetime as dt
from typing import Literal

from ninja import Path, Query, Router, Schema
from pydantic import Field

from nightout.api.auth import agency_token
from nightout.api.errors import MAX_ID
from nightout.api.schemas import SLUG, Problem, described, documented, local
from nightout.api.selectors import agency_seasons, agency_units, stops_per_unit
from nightout.errors import NotFound
from nightout.registry.models import UnitKind
from nightout.visits.models import StopStatus
from nightout.visits.selectors import plan_versions, unit_stops, version_current

router = Router(tags=["agencies"], auth=agency_token)

NO_UNIT = "No such unit of your agency."
NO_LOCKED_PLAN = "This season has no locked plan your agency is part of."
UNAUTHORIZED = ("No agency token, or one that is unknown or revoked: send a valid one as "
                "`Authorization: Bearer <token>`.")

UNIT_EXAMPLE = {
    "id": 7, "name": "Car 1", "kind": "police", "season": "agawam-2017",
    "shift_start": "2017-08-01T16:30:00-04:00", "shift_end": "2017-08-01T21:30:00-04:00",
    "start_station": "Agawam Police Station", "end_station": "Agawam Police Station",
    "district": "North", "rides_along_with": None, "active": True,
}
STOP_EVENT_EXAMPLE = {"id": 42, "title": "Elm Street Block Party",
                      "address": "1234 Elm Street, Agawam, MA", "latitude": 42.0712,
                      "longitude": -72.6131, "approximate": False, "district": "North"}
STOP_EXAMPLE = {"order": 1, "kind": "police", "arrival": "2017-08-01T17:10:00-04:00",
                "start": "2017-08-01T17:10:00-04:00",
                "departure": "2017-08-01T17:30:00-04:00", "status": "planned",
                "done_by": None, "event": STOP_EVENT_EXAMPLE}
ITINERARY_EXAMPLE = {"unit": UNIT_EXAMPLE, "version": 3, "locked": True,
                     "stops": [STOP_EXAMPLE]}
PLAN_EXAMPLE = {"season": "agawam-2017", "version": 3,
                "locked_at": "2017-07-28T10:15:00-04:00", "visits_made": 24,
                "parties_reached": 18, "first_come_first_served_parties": 11,
                "your_units": [{"unit": "Car 1", "stops": 6}]}
A_TIME = "In the town's zone, with its offset."


class Unit(Schema):
    """A unit of the token's agency: a squad car, an engine, an official."""

    model_config = described(UNIT_EXAMPLE)

    id: int = Field(description="The unit's id.", examples=[7])
    name: str = Field(description="The unit's name.", examples=["Car 1"])
    kind: Literal[tuple(UnitKind.values)] = Field(description="The kind of visit it makes.",
                                                  examples=["police"])
    season: str = Field(description="The season's slug.", examples=["agawam-2017"])
    shift_start: dt.datetime = Field(description=f"Its shift's start. {A_TIME}",
                                     examples=[UNIT_EXAMPLE["shift_start"]])
    shift_end: dt.datetime = Field(description=f"Its shift's end. {A_TIME}",
                                   examples=[UNIT_EXAMPLE["shift_end"]])
    start_station: str = Field(description="Where it sets out from.",
                               examples=["Agawam Police Station"])
    end_station: str = Field(description="Where it ends the night.",
                             examples=["Agawam Police Station"])
    district: str = Field(description="The district it serves; empty for the whole town.",
                          examples=["North"])
    rides_along_with: str | None = Field(description="The local unit it follows, if any.",
                                         examples=[None])
    active: bool = Field(description="False when the unit is out of the plan.",
                         examples=[True])


class UnitFilter(Schema):
    season: str = Field("", max_length=140, pattern=f"{SLUG}|^$",
                        description="A season's slug: only that season's units.",
                        examples=["agawam-2017"])


class StopEvent(Schema):
    """The event a stop visits, as the crew's run sheet gives it."""

    model_config = described(STOP_EVENT_EXAMPLE)

    id: int = Field(description="The event's id.", examples=[42])
    title: str = Field(description="The event's name.", examples=["Elm Street Block Party"])
    address: str = Field(description="Where to go, as on the crew's run sheet.",
                         examples=[STOP_EVENT_EXAMPLE["address"]])
    latitude: float = Field(description="The pin's latitude (WGS 84).", examples=[42.0712])
    longitude: float = Field(description="The pin's longitude (WGS 84).",
                             examples=[-72.6131])
    approximate: bool = Field(description="The pin comes from a ZIP code or the town, "
                                          "not the address.", examples=[False])
    district: str = Field(description="The event's district; empty when the town has none.",
                          examples=["North"])


class Stop(Schema):
    """A stop of a unit's itinerary."""

    model_config = described(STOP_EXAMPLE)

    order: int = Field(description="Its place in the itinerary, from 1.", examples=[1])
    kind: Literal[tuple(UnitKind.values)] = Field(description="The kind of visit.",
                                                  examples=["police"])
    arrival: dt.datetime = Field(description=f"When the unit arrives. {A_TIME}",
                                 examples=[STOP_EXAMPLE["arrival"]])
    start: dt.datetime = Field(description=f"When the visit starts (the party may open "
                                           f"later than the arrival). {A_TIME}",
                               examples=[STOP_EXAMPLE["start"]])
    departure: dt.datetime = Field(description=f"When the unit leaves. {A_TIME}",
                                   examples=[STOP_EXAMPLE["departure"]])
    status: Literal[tuple(StopStatus.values)] = Field(
        description="Where the stop stands during the night.", examples=["planned"])
    done_by: str | None = Field(None, description="The unit that made the visit when it is "
                                "not this one (its crew tapped done on the plan before a "
                                "re-plan): nobody needs to go there.", examples=[None])
    event: StopEvent = Field(description="The event visited.")


class Itinerary(Schema):
    """A unit's itinerary."""

    model_config = described(ITINERARY_EXAMPLE)

    unit: Unit = Field(description="The unit.")
    version: int | None = Field(description="The plan version the stops come from: the "
                                             "locked one, else the newest finished one; null "
                                             "when there is none.", examples=[3])
    locked: bool = Field(description="Whether that version is locked by the coordinator.",
                         examples=[True])
    stops: list[Stop] = Field(description="The stops, in order.")


class AgencyUnitStops(Schema):
    """How many stops one of your units has."""

    model_config = described({"unit": "Car 1", "stops": 6})

    unit: str = Field(description="The unit's name.", examples=["Car 1"])
    stops: int = Field(description="Its stops in the plan.", examples=[6])


class PlanSummary(Schema):
    """A season's locked plan, as it concerns your agency."""

    model_config = described(PLAN_EXAMPLE)

    season: str = Field(description="The season's slug.", examples=["agawam-2017"])
    version: int = Field(description="The locked version's number.", examples=[3])
    locked_at: dt.datetime = Field(description=f"When it was locked. {A_TIME}",
                                   examples=[PLAN_EXAMPLE["locked_at"]])
    visits_made: int | None = Field(description="Visits the plan makes.", examples=[24])
    parties_reached: int | None = Field(description="Parties it reaches.", examples=[18])
    first_come_first_served_parties: int | None = Field(
        description="Parties first come, first served would have reached, to compare.",
        examples=[11])
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
            summary="Your agency's units",
            openapi_extra=documented(says="The units.", example=[UNIT_EXAMPLE],
                                     unauthorized=UNAUTHORIZED,
                                     invalid="The season filter is not a slug."))
def unit_list(request, filters: Query[UnitFilter]):
    """The units of the token's agency, newest season first."""
    return [_unit(u) for u in agency_units(agency=request.auth.agency, season=filters.season)]


@router.get("/agency/units/{unit_id}/itinerary",
            response={200: Itinerary, 401: Problem, 404: Problem, 422: Problem},
            summary="A unit's itinerary",
            openapi_extra=documented(
                says="The itinerary.", example=ITINERARY_EXAMPLE, unauthorized=UNAUTHORIZED,
                not_found="Your agency has no unit with this id.",
                invalid="The id is not a whole number from 1 to 2^53."))
def unit_itinerary(request, unit_id: int = Path(..., ge=1, le=MAX_ID,
                                                description="The unit's id.",
                                                examples=[7])):
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
            summary="A season's locked plan",
            openapi_extra=documented(
                says="The locked plan.", example=PLAN_EXAMPLE, unauthorized=UNAUTHORIZED,
                not_found="The season has no locked plan with your units, or does not exist.",
                invalid="The slug is not a slug."))
def plan_summary(request, slug: str = Path(..., max_length=140, pattern=SLUG,
                                           description="The season's slug.",
                                           examples=["agawam-2017"])):
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
