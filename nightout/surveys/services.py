"""Writes of the trust pulse."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nightout.accounts.permissions import can_manage_season
from nightout.registry.models import Event, EventStatus
from nightout.surveys.models import CommentStatus, SurveyResponse
from nightout.surveys.privacy import scrub

NOT_OPEN = "This survey opens when the event starts."
NOT_APPROVED = "This event is not taking answers."
NOT_ALLOWED = "You may not moderate comments of {season}."
# Answers are taken from the event's start until this long after the night.
OPEN_FOR = dt.timedelta(days=60)


def survey_open(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether the event's survey takes answers now: from its start, for OPEN_FOR after."""
    now = now or timezone.now()
    return event.status == EventStatus.APPROVED and (
        event.starts_at <= now <= event.ends_at + OPEN_FOR)


@transaction.atomic
def response_submit(*, event: Event, answers: dict, language: str,
                    now: dt.datetime | None = None) -> SurveyResponse:
    """Store one anonymous answer: no address, no time of day, the comment scrubbed and held
    for moderation."""
    now = now or timezone.now()
    if event.status != EventStatus.APPROVED:
        raise ValidationError(NOT_APPROVED)
    if not survey_open(event, now):
        raise ValidationError(NOT_OPEN)
    comment = scrub(answers.get("comment", "") or "")
    response = SurveyResponse(
        season=event.season, event=event, district=event.district,
        language=language if language in ("en", "es") else "en",
        respect=answers.get("respect"), listen=answers.get("listen"), safe=answers.get("safe"),
        changed=answers.get("changed") or "", come_again=answers.get("come_again") or "",
        comment=comment,
        comment_status=CommentStatus.PENDING if comment else CommentStatus.NONE,
        submitted_on=timezone.localdate(now, event.season.jurisdiction.zone),
    )
    response.full_clean()
    response.save()
    return response


@transaction.atomic
def comment_moderate(*, response: SurveyResponse, user, publish: bool) -> SurveyResponse:
    if not can_manage_season(user, response.season):
        raise PermissionError(NOT_ALLOWED.format(season=response.season))
    response.comment_status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    response.save(update_fields=["comment_status"])
    return response
