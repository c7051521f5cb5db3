"""Writes of the trust pulse: an answer, a comment's moderation, and the season's published
figures."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nightout.accounts.permissions import can_manage_season
from nightout.errors import Invalid, NotAllowed
from nightout.registry.models import Event, Season
from nightout.surveys.models import CommentStatus, SurveyResponse, SurveySummary
from nightout.surveys.noise import NoiseParams, epsilon_spent, noisy_counts
from nightout.surveys.privacy import publishable, scrub
from nightout.surveys.selectors import (
    ITEMS,
    OPEN_FOR,
    GroupCounts,
    SurveyState,
    answer_counts,
    survey_closes_at,
    survey_state,
    threshold,
)

NOT_OPEN = "This survey opens when the event starts."
NOT_APPROVED = "This event is not taking answers."
CLOSED = "This survey has closed."
# Why an answer is refused, by the survey's state (`selectors.survey_state`).
REFUSALS = {SurveyState.NOT_APPROVED: NOT_APPROVED, SurveyState.UPCOMING: NOT_OPEN,
            SurveyState.CLOSED: CLOSED}
FULL = "This event's survey has taken all the answers it takes ({cap})."
NOT_ALLOWED = "You may not moderate comments of {season}."
# The noise of the published figures, unless a caller (a test, a study) passes its own.
DEFAULT_NOISE = NoiseParams()


class SurveyFull(Exception):
    """The event's survey link has taken as many answers as it takes: this one is not stored.
    The page thanks the visitor all the same, so that no one learns how many answered."""


# The host's expected attendance raises an event's cap up to this many times the setting,
# no further: the host says how many come, and must not open their own survey wide.
CAP_ATTENDANCE_FACTOR = 10


def answers_cap(event: Event) -> int:
    """At most this many answers come through one event's link: SURVEY_MAX_PER_EVENT, or the
    host's expected attendance when larger, up to CAP_ATTENDANCE_FACTOR times the setting."""
    base = settings.SURVEY_MAX_PER_EVENT
    return max(base, min(event.expected_attendance or 0, CAP_ATTENDANCE_FACTOR * base))


def survey_open(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether the event's survey takes answers now: from its start until OPEN_FOR after its
    end (on its rain date, when it has one), until its season's figures are published."""
    return survey_state(event, now or timezone.now()) == SurveyState.OPEN


@transaction.atomic
def response_submit(*, event: Event, answers: dict, language: str,
                    now: dt.datetime | None = None) -> SurveyResponse:
    """Store one anonymous answer: no address, no time of day, the comment scrubbed and held
    for moderation. Over the event's cap (`answers_cap`) it raises SurveyFull; answers
    for one event wait for each other, so that together they never pass the cap."""
    now = now or timezone.now()
    state = survey_state(event, now)
    if state != SurveyState.OPEN:
        raise Invalid(REFUSALS[state])
    locked = Event.objects.select_for_update().only("expected_attendance").get(pk=event.pk)
    cap = answers_cap(locked)
    if SurveyResponse.objects.filter(event=locked).count() >= cap:
        raise SurveyFull(FULL.format(cap=cap))
    comment = scrub(answers.get("comment", "") or "")
    response = SurveyResponse(
        season=event.season, event=event, district=event.district,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGES[0][0],
        respect=answers.get("respect"), listen=answers.get("listen"), safe=answers.get("safe"),
        changed=answers.get("changed") or "", come_again=answers.get("come_again") or "",
        comment=comment,
        comment_status=CommentStatus.PENDING if comment else CommentStatus.NONE,
        submitted_on=timezone.localdate(now, event.season.jurisdiction.zone),
    )
    try:
        response.full_clean()
    except ValidationError as exc:
        raise Invalid(exc) from None
    response.save()
    return response


@transaction.atomic
def comment_moderate(*, response: SurveyResponse, user, publish: bool) -> SurveyResponse:
    """Publish or reject an answer's comment: the season's coordinators only; anyone else is
    refused (`NotAllowed`)."""
    if not can_manage_season(user, response.season):
        raise NotAllowed(NOT_ALLOWED.format(season=response.season))
    response.comment_status = CommentStatus.PUBLISHED if publish else CommentStatus.REJECTED
    response.save(update_fields=["comment_status"])
    return response


def _published_figures(season: Season, params: NoiseParams) -> dict:
    """The season's figures as published: small groups withheld on the exact numbers of
    respondents (`privacy.publishable`), then every count of the groups shown drawn with
    noise (`noise.py`), and the shares worked out from the noisy counts. An item whose noisy
    number of answers is under the threshold is withheld too."""
    limit = threshold()
    town, districts = answer_counts(season=season)
    town_shown = town.respondents >= limit
    shown_districts = publishable({d.name: d.respondents for d in districts}, limit,
                                  total_published=town_shown)
    groups = [(town, town_shown), *((d, d.name in shown_districts) for d in districts)]
    # A respondent counts in the town's group and, where the town has districts, in one more.
    per_respondent = 2 if season.jurisdiction.district_names else 1
    exact = [n for group, shown in groups if shown for n in _flat(group)]
    noisy = iter(noisy_counts(exact, params, groups=per_respondent))

    def group_json(group: GroupCounts, shown: bool) -> dict:
        if not shown:
            return {"name": group.name, "respondents": None,
                    "figures": dict.fromkeys(ITEMS)}
        respondents = next(noisy)
        figures: dict[str, dict | None] = {}
        for item, values in ITEMS.items():
            counts = {value: next(noisy) for value in values}
            answered = sum(counts.values())
            figures[item] = None if answered < limit else {
                "answered": answered, "counts": counts,
                "shares": {k: round(100 * n / answered, 1) for k, n in counts.items()}}
        return {"name": group.name, "respondents": respondents, "figures": figures}

    town_json, *district_json = [group_json(group, shown) for group, shown in groups]
    return {
        "threshold": limit,
        "respondents": town_json["respondents"],
        "season": town_json,
        "districts": district_json,
        "privacy": {
            "mechanism": "discrete Laplace (OpenDP), counts clamped at 0",
            "epsilon": epsilon_spent(params, groups=per_respondent),
            "epsilon_per_answer": params.epsilon_per_answer,
            "scale": params.scale(groups=per_respondent),
        },
    }


def _flat(group: GroupCounts) -> list[int]:
    """A group's exact counts in the order `_published_figures` reads their noisy ones."""
    return [group.respondents, *(group.items[item][value]
                                 for item, values in ITEMS.items() for value in values)]


@transaction.atomic
def summary_publish(*, season: Season, now: dt.datetime | None = None,
                    params: NoiseParams = DEFAULT_NOISE) -> SurveySummary | None:
    """Publish the season's figures once its survey has closed, and only once: they are
    stored, so every later reader sees the same numbers (noise drawn again on every request
    would average out). Before the close it publishes nothing and returns None.

    Called on the first view of the results after the close, and by the retention purge.
    Concurrent first requests wait for each other on the season's row; the one-to-one
    summary is the backstop."""
    now = now or timezone.now()
    if now < survey_closes_at(season=season):
        return None
    Season.objects.select_for_update().filter(pk=season.pk).first()  # one publisher at a time
    summary = SurveySummary.objects.filter(season=season).first()
    if summary is not None:
        return summary
    summary, _ = SurveySummary.objects.get_or_create(
        season=season, defaults={"figures": _published_figures(season, params),
                                 "created_at": timezone.now()})
    return summary


def summaries_publish_due(*, seasons: QuerySet[Season], now: dt.datetime | None = None,
                          params: NoiseParams = DEFAULT_NOISE) -> None:
    """Publish the figures of every season among `seasons` whose survey has closed and whose
    figures are not published yet (for pages that show many seasons)."""
    now = now or timezone.now()
    # No survey closes before OPEN_FOR after its night: later seasons cannot be due.
    latest_night = (now - OPEN_FOR).date() + dt.timedelta(days=1)
    for season in seasons.filter(survey_summary__isnull=True,
                                 nno_date__lte=latest_night).select_related("jurisdiction"):
        summary_publish(season=season, now=now, params=params)
