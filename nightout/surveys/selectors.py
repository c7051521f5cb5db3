"""Reads of the trust pulse: when a season's survey closes, the exact counts its publication
starts from, and the figures published once it closed (`services.summary_publish`).

Nothing here shows live figures: what the public and coordinators read is only ever the
stored publication, with its noise (`noise.py`) and its small groups withheld (`privacy.py`).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from nightout.registry.models import Event, EventStatus, Season
from nightout.surveys.models import CommentStatus, SurveyResponse, SurveySummary
from nightout.surveys.tokens import survey_url

LIKERT_ITEMS = ["respect", "listen", "safe"]
CHOICE_ITEMS = {"changed": ["better", "same", "worse"], "come_again": ["yes", "maybe", "no"]}
# Every item with its answers, in the order they are counted and published.
ITEMS: dict[str, list[str]] = {**{item: [str(v) for v in range(1, 6)] for item in LIKERT_ITEMS},
                               **CHOICE_ITEMS}
# Answers are taken from an event's start until this long after it ends (after it ends on its
# rain date, when it has one), counted on the town's clock.
OPEN_FOR = dt.timedelta(days=60)


def threshold() -> int:
    return settings.SURVEY_MIN_GROUP


def answers_until(event: Event) -> dt.datetime:
    """The last moment the event's survey takes answers: OPEN_FOR after its end, or after
    its end on its rain date when it has one, on the town's clock."""
    zone = event.season.jurisdiction.zone
    end = event.ends_at.astimezone(zone)
    if event.rain_date:
        start = event.starts_at.astimezone(zone)
        moved = dt.datetime.combine(event.rain_date, start.time(), tzinfo=zone)
        end = max(end, moved + (event.ends_at - event.starts_at))
    return end + OPEN_FOR


class SurveyState:
    """Where an event's survey stands: not taking answers yet, taking them, or closed."""

    NOT_APPROVED = "not_approved"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def survey_state(event: Event, now: dt.datetime) -> str:
    """The one rule of when an event's survey takes answers (`SurveyState`): an approved
    event's, from its start until `answers_until`, and never once its season's figures are
    published."""
    if event.status != EventStatus.APPROVED:
        return SurveyState.NOT_APPROVED
    if now < event.starts_at:
        return SurveyState.UPCOMING
    if now > answers_until(event) or SurveySummary.objects.filter(
            season_id=event.season_id).exists():
        return SurveyState.CLOSED
    return SurveyState.OPEN


@dataclass(frozen=True)
class SurveyInvitation:
    """What an event's public page says of its survey: its state, and its link while open."""

    state: str
    url: str = ""


def survey_invitation(event: Event, now: dt.datetime | None = None) -> SurveyInvitation:
    """The event page's word on the survey: the link while it is open, else its state."""
    state = survey_state(event, now or timezone.now())
    return SurveyInvitation(state, survey_url(event) if state == SurveyState.OPEN else "")


def survey_closes_at(*, season: Season) -> dt.datetime:
    """When the season's survey stops taking answers, on the town's clock: OPEN_FOR after the
    latest end among its night, the town's rain date and its approved events (each on its
    rain date too: a registration not approved leaves no trace here either). Its results are
    published from then on, never before."""
    zone = season.jurisdiction.zone
    ends = [season.window[1]]
    if season.rain_date:
        ends.append(season.at(season.rain_date, season.latest_end))
    events = Event.objects.filter(season=season, status=EventStatus.APPROVED).select_related(
        "season__jurisdiction")
    latest = events.aggregate(end=Max("ends_at"), rain=Max("rain_date"))
    if latest["end"]:
        ends.append(latest["end"])
    if latest["rain"]:  # only the events on the latest rain date can end last on it
        ends += [answers_until(event) - OPEN_FOR
                 for event in events.filter(rain_date=latest["rain"])]
    return max(end.astimezone(zone) for end in ends) + OPEN_FOR


@dataclass
class Figure:
    """One item for one group: how many answered, and the share of each answer (percent).
    Published figures are worked out from noisy counts (`counts`)."""

    answered: int
    shares: dict[str, float]
    counts: dict[str, int] | None = None

    @property
    def agree(self) -> float | None:
        """For the 1-5 items: the share who agree or strongly agree."""
        if "4" in self.shares:
            return round(self.shares["4"] + self.shares["5"], 1)
        return None


@dataclass
class GroupResults:
    name: str
    figures: dict[str, Figure | None] = field(default_factory=dict)  # None: withheld
    respondents: int | None = None  # None: withheld


@dataclass
class GroupCounts:
    """The exact counts of one group, as the publication starts from them: never shown."""

    name: str
    respondents: int
    items: dict[str, dict[str, int]]


def _counts(responses: QuerySet, group_by: str | None) -> dict[str, dict[str, dict[str, int]]]:
    """group → item → answer → count, in one query per item ("" is the only group when
    `group_by` is None)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for item, values in ITEMS.items():
        counts = {
            f"a{n}": Count("pk", filter=Q(**{item: int(v) if item in LIKERT_ITEMS else v}))
            for n, v in enumerate(values)
        }
        rows = (responses.values(group_by).annotate(**counts) if group_by
                else [responses.aggregate(**counts)])
        for row in rows:
            group = row[group_by] if group_by else ""
            out.setdefault(group, {})[item] = {v: row[f"a{n}"] for n, v in enumerate(values)}
    return out


def answer_counts(*, season: Season) -> tuple[GroupCounts, list[GroupCounts]]:
    """The exact counts of the season's answers: the town's, and each district's with
    answers (none in a town without districts). For the publication only."""
    responses = SurveyResponse.objects.filter(season=season)
    empty = {item: dict.fromkeys(values, 0) for item, values in ITEMS.items()}
    town = GroupCounts(season.jurisdiction.name, responses.count(),
                       _counts(responses, None).get("", empty))
    districts = []
    if season.jurisdiction.district_names:
        sizes = dict(responses.values_list("district").annotate(n=Count("pk")))
        districts = [GroupCounts(name or "No district", sizes[name], items)
                     for name, items in _counts(responses, "district").items()]
    return town, sorted(districts, key=lambda g: g.name)


def trust_results(*, season: Season) -> dict:
    """The season's published results, overall and by district: the figures stored when its
    survey closed (a figure is None where its group was withheld). Before that, nothing but
    when they will be published."""
    summary = SurveySummary.objects.filter(season=season).first()
    if summary is None:
        return {"published": False, "publishes_at": survey_closes_at(season=season),
                "threshold": threshold(), "respondents": None,
                "season": GroupResults(season.jurisdiction.name, dict.fromkeys(ITEMS)),
                "districts": []}
    return {**results_from_json(summary.figures), "published": True,
            "published_at": summary.created_at}


def published_comments(*, season: Season) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(
        season=season, comment_status=CommentStatus.PUBLISHED
    ).only("comment", "submitted_on", "language")


def comments_to_moderate(*, season: Season) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(season=season, comment_status=CommentStatus.PENDING)


def results_as_json(results: dict) -> dict:
    """Published figures only (withheld ones stay None), as plain JSON; before the survey
    closes, only when they will be published."""
    if not results.get("published", True):
        return {"published": False, "publishes_at": results["publishes_at"].isoformat(),
                "threshold": results["threshold"]}

    def group(g: GroupResults) -> dict:
        return {"name": g.name, "respondents": g.respondents, "figures": {
            item: None if f is None else {"answered": f.answered, "shares": f.shares,
                                          **({"counts": f.counts} if f.counts else {})}
            for item, f in g.figures.items()}}

    data = {"threshold": results["threshold"], "respondents": results["respondents"],
            "season": group(results["season"]),
            "districts": [group(g) for g in results["districts"]]}
    if results.get("privacy"):
        data["privacy"] = results["privacy"]
    if results.get("published_at"):
        data = {"published": True, "published_at": results["published_at"].isoformat(), **data}
    return data


def results_from_json(data: dict) -> dict:
    """Stored figures back as results; figures stored before they carried noise have no
    counts, no group sizes and no privacy budget."""
    def group(g: dict) -> GroupResults:
        return GroupResults(g["name"], {
            item: None if f is None else Figure(f["answered"], f["shares"], f.get("counts"))
            for item, f in g["figures"].items()}, g.get("respondents"))

    return {"threshold": data["threshold"], "respondents": data["respondents"],
            "season": group(data["season"]), "districts": [group(g) for g in data["districts"]],
            "privacy": data.get("privacy")}
