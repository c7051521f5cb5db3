"""Seasons: every town's National Night Out of a year, and the rules a registration meets."""

import datetime as dt

from django.utils import timezone
from ninja import Path, Router, Schema
from pydantic import Field

from nightout.api.schemas import SLUG, Activity, Problem, Town, local, town_of
from nightout.errors import NotFound
from nightout.finder.selectors import activities
from nightout.registry import rules
from nightout.registry.models import Season, UnitKind
from nightout.registry.selectors import season_get, season_overview

router = Router(tags=["seasons"])

NO_SEASON = "No such season."


class SeasonBase(Schema):
    slug: str
    year: int
    town: Town
    date: dt.date = Field(description="The night of National Night Out.")
    starts_at: dt.datetime = Field(description="Default hours, in the town's zone.")
    ends_at: dt.datetime
    registration_deadline: dt.datetime | None


class SeasonSummary(SeasonBase):
    approved_events: int


class ClosureFee(Schema):
    filed_by: dt.datetime
    fee: str = Field(description="In dollars, such as `100.00`.")
    label: str
    max_blocks: int | None
    residential_only: bool


class VisitKind(Schema):
    kind: str
    label: str


class SeasonDetail(SeasonBase):
    earliest_start: dt.datetime = Field(description="No event may start before this.")
    latest_end: dt.datetime = Field(description="No event may end after this.")
    registration_open: bool
    registration_closed_because: str = Field(description="Empty while registration is open.")
    one_event_per_block: bool
    closures_enabled: bool
    closure_fees: list[ClosureFee]
    neighbor_consent_percent: int
    visit_kinds: list[VisitKind] = Field(description="Kinds of visit hosts may ask for.")
    visit_request_deadline: dt.datetime | None
    visit_times_allowed: bool
    rain_date_rule: str
    rain_date: dt.date | None
    activities: list[Activity] = Field(description="Activities a registration may name.")


def _summary(season: Season) -> dict:
    town = season.jurisdiction
    return {
        "slug": season.slug, "year": season.year, "town": town_of(town),
        "date": season.nno_date, "starts_at": local(season.starts_at, town),
        "ends_at": local(season.ends_at, town),
        "registration_deadline": local(season.registration_deadline, town),
    }


@router.get("/seasons", response=list[SeasonSummary], summary="Seasons")
def season_list(request):
    """Every season, newest first, with its town, its night and its approved events."""
    return [{**_summary(s), "approved_events": s.approved_events} for s in season_overview()]


@router.get("/seasons/{slug}", response={200: SeasonDetail, 404: Problem, 422: Problem},
            summary="A season")
def season_detail(request, slug: str = Path(..., max_length=140, pattern=SLUG)):
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
