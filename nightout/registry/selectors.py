"""Reads of the registry, with their joins made."""

from django.db.models import Count, Q, QuerySet

from nightout.registry.models import EventStatus, Season


def season_overview() -> QuerySet[Season]:
    """Every season, newest first, with its town and its count of approved events."""
    return (
        Season.objects.select_related("jurisdiction")
        .annotate(
            approved_events=Count("events", filter=Q(events__status=EventStatus.APPROVED))
        )
        .order_by("-year", "nno_date", "jurisdiction__name")
    )
