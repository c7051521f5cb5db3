"""Reads of the registry, with their joins made."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from nightout.registry.links import VALID_AFTER_NIGHT, link_expiry
from nightout.registry.models import (
    ACTIVE_CLOSURE,
    AuditEntry,
    Closure,
    ClosureStatus,
    Event,
    EventStatus,
    Jurisdiction,
    LocationPrecision,
    PendingChange,
    Season,
    UnitKind,
    VisitRequest,
)
from nightout.registry.rules import rain_date_hours
from nightout.visits.selectors import event_expected_visits


def season_overview() -> QuerySet[Season]:
    """Every season, newest first, with its town and its count of approved events."""
    return (
        Season.objects.select_related("jurisdiction")
        .annotate(
            approved_events=Count("events", filter=Q(events__status=EventStatus.APPROVED))
        )
        .order_by("-year", "nno_date", "jurisdiction__name")
    )


def seasons_open_for_registration() -> QuerySet[Season]:
    """Seasons whose night is still ahead and whose registration has not closed."""
    now = timezone.now()
    return (
        Season.objects.select_related("jurisdiction")
        .filter(nno_date__gte=timezone.localdate())
        .filter(Q(registration_deadline__isnull=True) | Q(registration_deadline__gte=now))
        .order_by("nno_date", "jurisdiction__name")
    )


def season_get(*, slug: str) -> Season:
    return Season.objects.select_related("jurisdiction").prefetch_related("closure_tiers").get(
        slug=slug
    )


def pending_change(*, event: Event) -> PendingChange | None:
    """The host's change to `event` waiting for the coordinator, if any."""
    return PendingChange.objects.filter(event=event).first()


def events_of_host_email(*, email: str, now: dt.datetime | None = None) -> list[Event]:
    """The events whose host gave `email` (in any case) and whose private link still works
    (`links.link_expiry`), soonest night first: the ones a host who lost the link may ask
    for again. Never shown to the one asking, only mailed to the host."""
    now = now or timezone.now()
    email = email.strip()
    if not email:
        return []
    candidates = (
        Event.objects.select_related("season__jurisdiction", "host_contact")
        .filter(host_contact__email__iexact=email,
                season__nno_date__gte=(now - VALID_AFTER_NIGHT).date() - dt.timedelta(days=1))
        .exclude(manage_secret="")
        .order_by("starts_at", "pk")
    )
    return [event for event in candidates if link_expiry(event) >= now]


def event_for_host(*, pk: int) -> Event:
    return (
        Event.objects.select_related("season__jurisdiction", "host_contact")
        .prefetch_related("activities", "visit_requests", "closures")
        .get(pk=pk)
    )


QUEUE_SORTS = {
    "submitted": ("submitted_at", "pk"),
    "-submitted": ("-submitted_at", "-pk"),
    "starts": ("starts_at", "title"),
    "title": ("title", "pk"),
    "district": ("district", "submitted_at"),
}


# The queue's first view: what waits for the coordinator's decision, a new registration or
# a host's change to an approved one.
AWAITING = "awaiting"
AWAITING_DECISION = Q(status=EventStatus.SUBMITTED) | Q(pending_change__isnull=False)
QUEUE_FLAGS = ("change", "same_block", "closure", "approximate", "late_fee")


def review_queue(
    *, season: Season, status: str = "", flag: str = "", district: str = "", q: str = "",
    sort: str = "submitted",
) -> QuerySet[Event]:
    """A season's registrations for its coordinator, filtered and sorted, with what each row
    shows already joined."""
    events = (
        Event.objects.filter(season=season)
        .select_related("same_block_as", "pending_change")
        .prefetch_related(
            Prefetch("closures", queryset=Closure.objects.filter(ACTIVE_CLOSURE),
                     to_attr="active_closures"),
            Prefetch("visit_requests", queryset=VisitRequest.objects.order_by("unit_kind")),
        )
    )
    if status == AWAITING:
        events = events.filter(AWAITING_DECISION)
    elif status:
        events = events.filter(status=status)
    if district:
        events = events.filter(district=district)
    if q:
        events = events.filter(Q(title__icontains=q) | Q(address__icontains=q)
                               | Q(postal_code__startswith=q))
    if flag == "change":
        events = events.filter(pending_change__isnull=False)
    elif flag == "same_block":
        events = events.filter(same_block_as__isnull=False)
    elif flag == "closure":
        events = events.filter(closures__status=ClosureStatus.REQUESTED).distinct()
    elif flag == "approximate":
        events = events.exclude(location_precision=LocationPrecision.ADDRESS)
    elif flag == "late_fee":
        events = events.filter(
            closures__fee__gt=0,
            closures__status__in=[ClosureStatus.REQUESTED, ClosureStatus.APPROVED],
        ).distinct()
    return events.order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["submitted"]))


def next_awaiting(*, event: Event) -> Event | None:
    """The registration to decide after `event`: the next awaiting a decision in the queue's
    first order (oldest submitted first), after it, else from the start; None when it was the
    last."""
    awaiting = (Event.objects.filter(AWAITING_DECISION, season_id=event.season_id)
                .exclude(pk=event.pk).order_by(*QUEUE_SORTS["submitted"]))
    later = awaiting.filter(Q(submitted_at__gt=event.submitted_at)
                            | Q(submitted_at=event.submitted_at, pk__gt=event.pk))
    return later.first() or awaiting.first()


def queue_counts(*, season: Season) -> dict[str, int]:
    """How many of the season's registrations each choice of the queue's status and flag
    menus finds (`AWAITING` and each status; "flag:<flag>" for each of `QUEUE_FLAGS`, as
    `review_queue` filters), and `changes`, the host changes waiting: in one query."""
    def closures(**where):
        return Exists(Closure.objects.filter(event=OuterRef("pk"), **where))

    events = Event.objects.filter(season=season).annotate(
        closure_to_decide=closures(status=ClosureStatus.REQUESTED),
        closure_with_fee=closures(fee__gt=0, status__in=[ClosureStatus.REQUESTED,
                                                          ClosureStatus.APPROVED]))
    flags = {
        "change": Q(pending_change__isnull=False),
        "same_block": Q(same_block_as__isnull=False),
        "closure": Q(closure_to_decide=True),
        "approximate": ~Q(location_precision=LocationPrecision.ADDRESS),
        "late_fee": Q(closure_with_fee=True),
    }
    counts = events.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in EventStatus.values},
        **{AWAITING: Count("pk", filter=AWAITING_DECISION)},
        **{f"flag_{flag}": Count("pk", filter=flags[flag]) for flag in QUEUE_FLAGS})
    for flag in QUEUE_FLAGS:
        counts[f"flag:{flag}"] = counts.pop(f"flag_{flag}")
    counts["changes"] = counts["flag:change"]
    return counts


def event_audit(*, event: Event) -> QuerySet[AuditEntry]:
    return event.audit_entries.select_related("actor").order_by("-at", "-id")


def season_audit(*, season: Season, limit: int = 20) -> QuerySet[AuditEntry]:
    """Changes to the season itself (its settings), newest first, not to its events."""
    return (season.audit_entries.filter(event__isnull=True).select_related("actor")
            .order_by("-at", "-id")[:limit])


def towns_managed(*, user) -> list[Jurisdiction]:
    """The towns whose seasons `user` may set up, each with its latest season's year as
    `latest_year` (None for a town without a season)."""
    from django.db.models import Max

    from nightout.accounts.permissions import can_manage_jurisdiction

    towns = Jurisdiction.objects.annotate(latest_year=Max("seasons__year")).order_by("name")
    return [t for t in towns if can_manage_jurisdiction(user, t)]


OFFICIAL_LISTS = {
    "police": "Police",
    "fire": "Fire and EMS",
    "public-works": "Public works: street closures",
}


def official_list(*, season: Season, which: str):
    """Approved events (or closures, for public works) for the departments that serve them."""
    if which == "public-works":
        return (
            Closure.objects.filter(event__season=season, status=ClosureStatus.APPROVED)
            .select_related("event__host_contact")
            .order_by("event__district", "street", "permit_number")
        )
    events = (
        Event.objects.filter(season=season, status=EventStatus.APPROVED)
        .select_related("host_contact")
        .prefetch_related(
            Prefetch("visit_requests", queryset=VisitRequest.objects.order_by("unit_kind")),
            Prefetch("closures", queryset=Closure.objects.filter(status=ClosureStatus.APPROVED),
                     to_attr="approved_closures"),
        )
        .order_by("district", "starts_at", "address")
    )
    if which == "fire":
        kinds = [UnitKind.FIRE, UnitKind.EMS]
        events = events.filter(
            Q(visit_requests__unit_kind__in=kinds) | Q(closures__status=ClosureStatus.APPROVED)
        ).distinct()
    return events


@dataclass(frozen=True)
class RainDateMove:
    """What moving an event to its rain date does, for the page that asks to confirm it."""

    starts_at: dt.datetime  # on the rain date, the same hours on the town's clock
    ends_at: dt.datetime
    first_night: dt.date  # the day it was to be held first, in the town's zone
    planned_stops: list  # the locked visit plan's stops at the party; they stay on that day
    plan_version: int | None  # the locked version's number, when it has stops at the party


def rain_date_move(*, event: Event) -> RainDateMove:
    """The new day and hours of `event` on its rain date, and the visits the locked plan
    has at it (which the move leaves where they are). Ask `rules.rain_date_refusal` first."""
    starts_at, ends_at = rain_date_hours(event)
    zone = event.season.jurisdiction.zone
    stops = event_expected_visits(event)
    return RainDateMove(
        starts_at=starts_at, ends_at=ends_at,
        first_night=(event.rescheduled_from or event.starts_at).astimezone(zone).date(),
        planned_stops=stops, plan_version=stops[0].version.number if stops else None)
