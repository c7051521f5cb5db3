"""Read-only reports: a season's report for its coordinator, and a region's roll-up."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from nightout.registry.models import (
    Closure,
    ClosureStatus,
    Event,
    EventStatus,
    HostReport,
    Region,
    Season,
    UnitKind,
    VisitRequest,
)
from nightout.surveys.models import SurveyResponse, SurveySummary
from nightout.surveys.privacy import publishable
from nightout.surveys.selectors import threshold, trust_results

# Each status as the report names it: what a registration or a closure waits for, or became.
REGISTRATION_WORDS = {EventStatus.SUBMITTED: "awaiting a decision", EventStatus.APPROVED:
                      "approved", EventStatus.REJECTED: "rejected",
                      EventStatus.CANCELLED: "cancelled"}
CLOSURE_WORDS = {ClosureStatus.REQUESTED: "awaiting a decision", ClosureStatus.APPROVED:
                 "approved", ClosureStatus.REJECTED: "refused",
                 ClosureStatus.CANCELLED: "cancelled"}


@dataclass
class DistrictRow:
    name: str
    approved: int
    asking_visits: int
    expected: int


def season_report(*, season: Season) -> dict:
    """Everything the season report shows, in a handful of queries."""
    events = Event.objects.filter(season=season)
    by_status = dict(events.values_list("status").annotate(n=Count("id")))
    approved = events.filter(status=EventStatus.APPROVED)
    closures = Closure.objects.filter(event__season=season)
    closure_counts = dict(closures.values_list("status").annotate(n=Count("id")))
    fees = closures.filter(status=ClosureStatus.APPROVED).aggregate(total=Sum("fee"))["total"]
    requests = dict(
        VisitRequest.objects.filter(event__season=season, event__status=EventStatus.APPROVED)
        .values_list("unit_kind").annotate(n=Count("id"))
    )
    expected = dict(approved.values_list("district").annotate(n=Sum("expected_attendance")))
    districts = [
        DistrictRow(row["district"] or "No district", row["n"], row["asking"],
                    expected.get(row["district"]) or 0)
        for row in approved.values("district").annotate(
            n=Count("id", distinct=True),
            asking=Count("id", filter=Q(visit_requests__isnull=False), distinct=True),
        ).order_by("district")
    ]
    trust = trust_results(season=season)
    totals = approved.aggregate(expected=Sum("expected_attendance"),
                                reported=Sum("host_report__attendance"),
                                reports=Count("host_report"))
    return {
        "season": season,
        "registrations": sum(by_status.values()),
        "by_status": {REGISTRATION_WORDS[s]: by_status.get(s, 0) for s in EventStatus.values},
        "closures": {CLOSURE_WORDS[s]: closure_counts.get(s, 0) for s in ClosureStatus.values},
        "coverage": season_coverage(season=season),
        "closure_fees": fees or 0,
        "visit_requests": [(UnitKind(k).label, requests[k]) for k in UnitKind.values
                           if k in requests],
        "districts": districts,
        "expected_attendance": totals["expected"] or 0,
        "reported_attendance": totals["reported"] or 0,
        "host_reports": totals["reports"],
        "trust": trust,
        # Before the survey closes the coordinator sees how many answered, never figures:
        # live figures would give each new answer away (and a coordinator could pad too).
        "answers_so_far": None if trust["published"] else
        SurveyResponse.objects.filter(season=season).count(),
        "history": season_history(season=season),
        "visits": season_visits(season=season),
    }


def season_visits(*, season: Season) -> dict | None:
    """Visits planned (the locked plan, or else the newest finished one), how many more
    parties that reaches than first come, first served, and the visits crews reported made.

    Re-plans on the night plan only the rest of it, so the figures planned come from the plan
    they started from (the version the first re-plan was made from). The visits made come from
    the newest version, which carries every tap forward, and from the earlier versions for a
    visit the newest one no longer has (a tap on a phone that still showed the old plan, for a
    visit the re-plan dropped)."""
    from nightout.visits.models import StopStatus

    chain = plan_chain(season)
    if chain is None:
        return None
    version, plan, status_of = chain
    reported = Counter(status_of.values())
    return {
        "version": version,
        "plan": plan,
        "planned": plan.visits_made or 0,
        "parties": plan.parties_reached or 0,
        "fcfs_parties": plan.fcfs_parties,
        "more_than_fcfs": plan.more_parties_than_fcfs,
        "made": reported.get(StopStatus.DONE, 0) + reported.get(StopStatus.ARRIVED, 0),
        "skipped": reported.get(StopStatus.SKIPPED, 0),
    }


def plan_chain(season: Season):
    """(the current version, the plan it started from, each visit's last reported status by
    (event id, kind)), or None before any plan: see `season_visits`."""
    from nightout.visits.models import StopStatus
    from nightout.visits.selectors import version_current

    version = version_current(season)
    if version is None:
        return None
    chain = [version]
    while chain[-1].origin == "replan" and chain[-1].parent_id is not None:
        chain.append(chain[-1].parent)
    status_of: dict[tuple[int, str], str] = {}
    for v in chain:  # newest first: its word on a visit is the last one
        for event_id, kind, status in (v.stops.exclude(status=StopStatus.PLANNED)
                                       .values_list("event_id", "kind", "status")):
            status_of.setdefault((event_id, kind), status)
    return version, chain[-1], status_of


@dataclass
class CoverageRow:
    """Visits of one district (or one kind): asked for by approved parties, planned (by the
    plan the night started from), and reported made by crews."""

    name: str
    asked: int = 0
    planned: int = 0
    made: int = 0

    @property
    def share_made(self) -> int | None:
        return round(100 * self.made / self.asked) if self.asked else None


def season_coverage(*, season: Season) -> dict:
    """Visits asked for, planned and made, by district and by kind of visit (a visit is one
    party's request for one kind). A visit made that nobody asked for (a stop added on the
    night) counts as made, not as asked."""
    from nightout.visits.models import StopStatus

    chain = plan_chain(season)
    planned, made = set(), set()
    if chain is not None:
        _, plan, status_of = chain
        planned = set(plan.stops.values_list("event_id", "kind"))
        made = {key for key, status in status_of.items()
                if status in (StopStatus.DONE, StopStatus.ARRIVED)}
    district_of = dict(Event.objects.filter(season=season).values_list("pk", "district"))
    asked = set(VisitRequest.objects.filter(event__season=season,
                                            event__status=EventStatus.APPROVED)
                .values_list("event_id", "unit_kind"))
    districts: dict[str, CoverageRow] = {}
    kinds: dict[str, CoverageRow] = {}
    for visits, field in ((asked, "asked"), (planned, "planned"), (made, "made")):
        for event_id, kind in visits:
            name = district_of.get(event_id) or "No district"
            for rows, key, label in ((districts, name, name),
                                     (kinds, kind, UnitKind(kind).label)):
                row = rows.setdefault(key, CoverageRow(label))
                setattr(row, field, getattr(row, field) + 1)
    return {"districts": sorted(districts.values(), key=lambda r: r.name),
            "kinds": [kinds[k] for k in UnitKind.values if k in kinds],
            "planned": chain is not None}


def season_history(*, season: Season) -> list[dict]:
    """The town's seasons up to this one, for year-over-year figures."""
    seasons = (
        Season.objects.filter(jurisdiction=season.jurisdiction, year__lte=season.year)
        .annotate(
            approved=Count("events", filter=Q(events__status=EventStatus.APPROVED),
                           distinct=True),
            registrations=Count("events", distinct=True),
        ).order_by("year")
    )
    return [{"year": s.year, "approved": s.approved, "registrations": s.registrations}
            for s in seasons]


def transparency_index() -> dict:
    """Where the public may read how the nights went: the regions with a town (each has its
    roll-up) and every season, newest first (each has its trust pulse page)."""
    regions = Region.objects.filter(jurisdictions__isnull=False).distinct().order_by("name")
    seasons = (Season.objects.select_related("jurisdiction")
               .order_by("-year", "nno_date", "jurisdiction__name"))
    return {"regions": list(regions), "seasons": list(seasons)}


def region_rollup(*, region: Region, year: int | None = None) -> dict:
    """The region's towns side by side for one year (the latest with a season by default),
    with survey figures only where every rule of the trust pulse allows: each town's number
    of respondents as published when its survey closed (with its noise), nothing before."""
    seasons = Season.objects.filter(jurisdiction__regions=region).select_related("jurisdiction")
    years = sorted(set(seasons.values_list("year", flat=True)))
    year = year if year in years else (years[-1] if years else None)
    of_year = seasons.filter(year=year)
    # Each sum in its own query: joining reports and answers in one would multiply rows.
    attendance = dict(HostReport.objects.filter(event__season__in=of_year)
                      .values_list("event__season").annotate(n=Sum("attendance")))
    published = dict(SurveySummary.objects.filter(season__in=of_year)
                     .values_list("season", "figures__respondents"))
    rows = [
        {"season": season, "approved": season.approved,
         "attendance": attendance.get(season.pk, 0), "published": season.pk in published,
         "respondents": published.get(season.pk)}
        for season in of_year.annotate(
            approved=Count("events", filter=Q(events__status=EventStatus.APPROVED))
        ).order_by("nno_date", "jurisdiction__name")
    ]
    # A town withheld on its own page holds back the next smallest with it, as in a season's
    # districts.
    shown = publishable({r["season"].slug: r["respondents"] or 0 for r in rows if r["published"]},
                        threshold())
    for row in rows:
        row["respondents"] = row["respondents"] if row["season"].slug in shown else None
    trend = [
        {"year": y, **seasons.filter(year=y).aggregate(
            towns=Count("id", distinct=True),
            approved=Count("events", filter=Q(events__status=EventStatus.APPROVED),
                           distinct=True))}
        for y in years
    ]
    return {"region": region, "year": year, "years": years, "rows": rows, "trend": trend,
            "total_approved": sum(r["approved"] for r in rows),
            "total_attendance": sum(r["attendance"] for r in rows)}
