"""Published aggregates of the trust pulse, with small groups withheld (see privacy.py)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from nightout.registry.models import Season
from nightout.surveys.models import CommentStatus, SurveyResponse
from nightout.surveys.privacy import publishable

LIKERT_ITEMS = ["respect", "listen", "safe"]
CHOICE_ITEMS = {"changed": ["better", "same", "worse"], "come_again": ["yes", "maybe", "no"]}


def threshold() -> int:
    return settings.SURVEY_MIN_GROUP


@dataclass
class Figure:
    """One item for one group: how many answered, and the share of each answer (percent)."""

    answered: int
    shares: dict[str, float]

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


def _counts(responses: QuerySet, group_by: str | None) -> dict[str, dict[str, dict[str, int]]]:
    """group → item → answer → count, in one query per item ("" is the only group when
    `group_by` is None)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for item, values in [*((i, [str(v) for v in range(1, 6)]) for i in LIKERT_ITEMS),
                         *CHOICE_ITEMS.items()]:
        counts = {
            f"a{n}": Count("id", filter=Q(**{item: int(v) if item in LIKERT_ITEMS else v}))
            for n, v in enumerate(values)
        }
        rows = (responses.values(group_by).annotate(**counts) if group_by
                else [responses.aggregate(**counts)])
        for row in rows:
            group = row[group_by] if group_by else ""
            out.setdefault(group, {})[item] = {v: row[f"a{n}"] for n, v in enumerate(values)}
    return out


def _figure(counts: dict[str, int]) -> Figure:
    answered = sum(counts.values())
    return Figure(answered, {k: round(100 * v / answered, 1) if answered else 0.0
                             for k, v in counts.items()})


def trust_results(*, season: Season) -> dict:
    """The season's results, overall and by district. A figure is None where its group is
    too small, or where publishing it would let someone work out a small group. Once the raw
    answers are purged, the figures published then are returned."""
    from nightout.surveys.models import SurveySummary

    summary = SurveySummary.objects.filter(season=season).first()
    if summary and not SurveyResponse.objects.filter(season=season).exists():
        return results_from_json(summary.figures)
    responses = SurveyResponse.objects.filter(season=season)
    limit = threshold()
    overall = _counts(responses, None).get("", {})
    by_district = _counts(responses, "district") if season.jurisdiction.district_names else {}
    season_group = GroupResults(season.jurisdiction.name)
    districts = {name: GroupResults(name or "No district") for name in by_district}
    for item in [*LIKERT_ITEMS, *CHOICE_ITEMS]:
        total = _figure(overall.get(item, {}))
        season_group.figures[item] = total if total.answered >= limit else None
        sizes = {name: sum(items.get(item, {}).values()) for name, items in by_district.items()}
        shown = publishable(sizes, limit, total_published=season_group.figures[item] is not None)
        for name, items in by_district.items():
            districts[name].figures[item] = _figure(items[item]) if name in shown else None
    return {
        "threshold": limit,
        "season": season_group,
        "districts": sorted(districts.values(), key=lambda g: g.name),
        "respondents": responses.count() if responses.count() >= limit else None,
    }


def published_comments(*, season: Season) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(
        season=season, comment_status=CommentStatus.PUBLISHED
    ).only("comment", "submitted_on", "language")


def comments_to_moderate(*, season: Season) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(season=season, comment_status=CommentStatus.PENDING)


def results_as_json(results: dict) -> dict:
    """Published figures only (withheld ones stay None), as plain JSON."""
    def group(g: GroupResults) -> dict:
        return {"name": g.name, "figures": {
            item: None if f is None else {"answered": f.answered, "shares": f.shares}
            for item, f in g.figures.items()}}

    return {"threshold": results["threshold"], "respondents": results["respondents"],
            "season": group(results["season"]),
            "districts": [group(g) for g in results["districts"]]}


def results_from_json(data: dict) -> dict:
    def group(g: dict) -> GroupResults:
        return GroupResults(g["name"], {
            item: None if f is None else Figure(f["answered"], f["shares"])
            for item, f in g["figures"].items()})

    return {"threshold": data["threshold"], "respondents": data["respondents"],
            "season": group(data["season"]), "districts": [group(g) for g in data["districts"]]}
