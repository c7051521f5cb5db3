"""Seasons: every town's National Night Out of a year, and the rules a registration meets."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from nightout.api.schemas import (
    SLUG,
    TOWN_EXAMPLE,
    Activity,
    Problem,
    Town,
    described,
    documented,
    local,
    town_of,
)
from nightout.errors import NotFound
from nightout.finder.selectors import activities
from nightout.registry import rules
from nightout.registry.models import RainDateRule, Season, UnitKind
from nightout.registry.selectors import season_get, season_overview

router = Router(tags=["seasons"])

NO_SEASON = "No such season."

SUMMARY_EXAMPLE = {
    "slug": "agawam-2017", "year": 2017, "town": TOWN_EXAMPLE, "date": "2017-08-01",
    "starts_at": "2017-08-01T17:00:00-04:00", "ends_at": "2017-08-01T21:00:00-04:00",
    "registration_deadline": "2017-07-18T23:59:00-04:00",
}
FEE_EXAMPLE = {"filed_by": "2017-07-04T23:59:00-04:00", "fee": "25.00",
               "label": "Early closure", "max_blocks": 2, "residential_only": True}
DETAIL_EXAMPLE = {
    **SUMMARY_EXAMPLE,
    "earliest_start": "2017-08-01T16:00:00-04:00", "latest_end": "2017-08-01T22:00:00-04:00",
    "registration_open": False,
    "registration_closed_because": "Registration for Agawam closed on Tuesday 18 July 2017.",
    "one_event_per_block": True, "closures_enabled": True, "closure_fees": [FEE_EXAMPLE],
    "neighbor_consent_percent": 75,
    "visit_kinds": [{"kind": "police", "label": "Police"}],
    "visit_request_deadline": "2017-07-25T23:59:00-04:00", "visit_times_allowed": True,
    "rain_date_rule": "next_day", "rain_date": "2017-08-02",
    "activities": [{"slug": "music", "name": "Music"}],
}


class SeasonBase(Schema):
    slug: str = Field(description="The season's slug.", examples=["agawam-2017"])
    year: int = Field(description="The season's year.", examples=[2017])
    town: Town = Field(description="The town that holds it.")
    date: dt.date = Field(description="The night of National Night Out.",
                          examples=["2017-08-01"])
    starts_at: dt.datetime = Field(description="Default hours' start, in the town's zone.",
                                   examples=["2017-08-01T17:00:00-04:00"])
    ends_at: dt.datetime = Field(description="Default hours' end, in the town's zone.",
                                 examples=["2017-08-01T21:00:00-04:00"])
    registration_deadline: dt.datetime | None = Field(
        description="The last moment to register, in the town's zone; null when there is "
                    "no deadline.", examples=["2017-07-18T23:59:00-04:00"])


class SeasonSummary(SeasonBase):
    """A season in the list of seasons."""

    model_config = described({**SUMMARY_EXAMPLE, "approved_events": 12})

    approved_events: int = Field(description="Its public (approved) events.", examples=[12])


class ClosureFee(Schema):
    """A street closure's fee, by when the request is filed."""

    model_config = described(FEE_EXAMPLE)

    filed_by: dt.datetime = Field(description="Requests filed by this moment pay this fee.",
                                  examples=["2017-07-04T23:59:00-04:00"])
    fee: str = Field(description="In dollars, such as `100.00`.", examples=["25.00"])
    label: str = Field(description="The fee's name.", examples=["Early closure"])
    max_blocks: int | None = Field(description="The most blocks this fee covers; null for "
                                               "any number.", examples=[2])
    residential_only: bool = Field(description="Only residential streets.", examples=[True])


class VisitKind(Schema):
    """A kind of visit a host may ask for."""

    model_config = described({"kind": "police", "label": "Police"})

    kind: Literal[tuple(UnitKind.values)] = Field(
        description="The kind, as a registration's `visits` names it.", examples=["police"])
    label: str = Field(description="Its name for a person.", examples=["Police"])


class SeasonDetail(SeasonBase):
    """A season, with the rules a registration must meet."""

    model_config = described(DETAIL_EXAMPLE)

    earliest_start: dt.datetime = Field(description="No event may start before this.",
                                        examples=["2017-08-01T16:00:00-04:00"])
    latest_end: dt.datetime = Field(description="No event may end after this.",
                                    examples=["2017-08-01T22:00:00-04:00"])
    registration_open: bool = Field(description="Whether registration is open now.",
                                    examples=[False])
    registration_closed_because: str = Field(
        description="Why registration is closed; empty while it is open.",
        examples=[DETAIL_EXAMPLE["registration_closed_because"]])
    one_event_per_block: bool = Field(description="A block may hold only one event.",
                                      examples=[True])
    closures_enabled: bool = Field(description="Hosts may ask to close their street.",
                                   examples=[True])
    closure_fees: list[ClosureFee] = Field(description="The closure fees, earliest first; "
                                                       "empty without closures.")
    neighbor_consent_percent: int = Field(
        description="The share of households on the block that must agree to a closure; 0 "
                    "when none need to.", examples=[75])
    visit_kinds: list[VisitKind] = Field(description="Kinds of visit hosts may ask for.")
    visit_request_deadline: dt.datetime | None = Field(
        description="The last moment to ask for a visit; null when there is none.",
        examples=["2017-07-25T23:59:00-04:00"])
    visit_times_allowed: bool = Field(description="Hosts may name a best time for visits.",
                                      examples=[True])
    rain_date_rule: Literal[tuple(RainDateRule.values)] = Field(
        description="How a rain date is set.", examples=["next_day"])
    rain_date: dt.date | None = Field(description="The season's own rain date, when it has "
                                                  "one.", examples=["2017-08-02"])
    activities: list[Activity] = Field(description="Activities a registration may name.")


def _summary(season: Season) -> dict:
    town = season.jurisdiction
    return {
        "slug": season.slug, "year": season.year, "town": town_of(town),
        "date": season.nno_date, "starts_at": local(season.starts_at, town),
        "ends_at": local(season.ends_at, town),
        "registration_deadline": local(season.registration_deadline, town),
    }


@router.get("/seasons", response=list[SeasonSummary], summary="Seasons",
            openapi_extra=documented(says="Every season, newest first.",
                                     example=[{**SUMMARY_EXAMPLE, "approved_events": 12}]))
def season_list(request):
    """Every season, newest first, with its town, its night and its approved events."""
    return [{**_summary(s), "approved_events": s.approved_events} for s in season_overview()]


@router.get("/seasons/{slug}", response={200: SeasonDetail, 404: Problem, 422: Problem},
            summary="A season",
            openapi_extra=documented(
                says="The season and its rules.", example=DETAIL_EXAMPLE,
                not_found="No season has this slug.",
                invalid="The slug is not a slug (letters, digits, `-` and `_`, at most "
                        "140)."))
def season_detail(request, slug: str = Path(..., max_length=140, pattern=SLUG,
                                            description="The season's slug.",
                                            examples=["agawam-2017"])):
    """A season with the rules a registration must meet."""
    try:
        season = season_get(slug=slug)
    except Season.DoesNotExist:
        raise NotFound(NO_SEASON) from None
    town = season.jurisdiction
    earliest, latest = season.window
    closed = rules.registration_open(season, timezone.now())
    return {
        **_summary(season),
        "earliest_start": local(earliest, town), "latest_end": local(latest, town),
        "registration_open": closed is None, "registration_closed_because": closed or "",
        "one_event_per_block": season.one_event_per_block,
        "closures_enabled": season.closures_enabled,
        "closure_fees": [
            {"filed_by": local(t.filed_by, town), "fee": f"{t.fee:.2f}", "label": t.label,
             "max_blocks": t.max_blocks, "residential_only": t.residential_only}
            for t in sorted(season.closure_tiers.all(), key=lambda t: (t.filed_by, t.fee))
        ] if season.closures_enabled else [],
        "neighbor_consent_percent": season.neighbor_consent_percent,
        "visit_kinds": [{"kind": k, "label": UnitKind(k).label}
                        for k in season.offered_visit_kinds],
        "visit_request_deadline": local(rules.visit_request_deadline(season), town),
        "visit_times_allowed": season.visit_times_allowed,
        "rain_date_rule": season.rain_date_rule, "rain_date": season.rain_date,
        "activities": [{"slug": a.slug, "name": a.name} for a in activities()],
    }
