"""The post-event report a town sends for the national awards, printable: who took part (parties,
blocks, streets closed), the agencies that came and the visits they made, attendance, the
activities, the trust pulse's published figures, photos the coordinator chose from the hosts'
reports, and the town's own narrative. Its figures are the season report's."""

from collections import Counter

from django.db.models import Count, Q, Sum

from nightout.registry.models import (
    Activity,
    Agency,
    Closure,
    ClosureStatus,
    Event,
    EventKind,
    EventPhoto,
    EventStatus,
    HostReport,
    Season,
)
from nightout.reports.selectors import plan_chain, season_report

KIND_WORDS = {EventKind.BLOCK_PARTY: ("block party", "block parties"),
              EventKind.COMMUNITY_EVENT: ("community event", "community events"),
              EventKind.KICKOFF: ("kickoff", "kickoffs")}


def awards_report(*, season: Season) -> dict:
    report = season_report(season=season)
    approved = Event.objects.filter(season=season, status=EventStatus.APPROVED)
    kinds = dict(approved.values_list("kind").annotate(n=Count("id")))
    closures = Closure.objects.filter(event__season=season, status=ClosureStatus.APPROVED
                                      ).aggregate(streets=Count("id"), blocks=Sum("blocks"))
    activities = (Activity.objects.filter(events__in=approved)
                  .annotate(n=Count("events")).order_by("-n", "position")[:8])
    return {
        **report,
        "parties": sum(kinds.values()),
        "by_kind": [f"{kinds[k]:,} {KIND_WORDS[k][kinds[k] != 1]}" for k in EventKind.values
                    if k in kinds],
        "zip_codes": approved.exclude(postal_code="").values("postal_code").distinct().count(),
        "districts_with_parties": approved.exclude(district="").values("district")
                                          .distinct().count(),
        "streets_closed": closures["streets"] or 0,
        "blocks_closed": closures["blocks"] or 0,
        "activities": [(a.name, a.n) for a in activities],
        "agencies": agency_rows(season=season),
        "photos": list(EventPhoto.objects.filter(report__event__season=season)
                       .select_related("report__event").order_by("report__event__title", "pk")),
    }


def agency_rows(*, season: Season) -> list[dict]:
    """Each agency with units this season or named by a host as having come: its units, the
    visits the plan gave it and those its crews reported made, and how many hosts said it came."""
    from nightout.visits.models import StopStatus, Unit

    units = Counter(Unit.objects.filter(season=season).values_list("agency_id", flat=True))
    planned, made = Counter(), Counter()
    chain = plan_chain(season)
    if chain is not None:
        version, plan, status_of = chain
        unit_agency = dict(Unit.objects.filter(season=season).values_list("pk", "agency_id"))
        planned.update(unit_agency[u] for u in plan.stops.values_list("unit_id", flat=True))
        # A visit made counts for the agency of the unit that made it on the newest version
        # that has it (or on the plan, for a visit a re-plan dropped).
        agency_of_visit = {(e, k): unit_agency[u] for e, k, u in
                           plan.stops.values_list("event_id", "kind", "unit_id")}
        agency_of_visit.update({(e, k): unit_agency[u] for e, k, u in
                                version.stops.values_list("event_id", "kind", "unit_id")})
        made.update(agency_of_visit[key] for key, status in status_of.items()
                    if status in (StopStatus.DONE, StopStatus.ARRIVED) and key in agency_of_visit)
    came = Counter(HostReport.agencies_came.through.objects
                   .filter(hostreport__event__season=season).values_list("agency_id", flat=True))
    agencies = Agency.objects.filter(Q(pk__in=units) | Q(pk__in=came)).order_by("name")
    return [{"agency": a, "units": units[a.pk], "planned": planned[a.pk], "made": made[a.pk],
             "hosts_said_came": came[a.pk]} for a in agencies]

