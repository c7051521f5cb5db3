"""The season report, the regional roll-up and the public transparency page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nightout.accounts.permissions import (
    can_manage_season,
    can_view_region,
    can_view_season_report,
)
from nightout.registry.actors import Actor
from nightout.registry.exports import write_csv
from nightout.registry.models import EventPhoto, Region, Season
from nightout.registry.services.host_reports import awards_report_save
from nightout.reports import charts
from nightout.reports.awards import awards_report
from nightout.reports.selectors import region_rollup, season_report, transparency_index
from nightout.surveys.services import summaries_publish_due, summary_publish
from nightout.text import PlainTextFields

TRUST_LABELS = {"respect": "Treat people with respect", "listen": "Listen to residents",
                "safe": "Feel safe in the neighborhood"}


def _season_for(request, slug, check=can_manage_season) -> Season:
    season = get_object_or_404(Season.objects.select_related("jurisdiction"), slug=slug)
    if not check(request.user, season):
        raise PermissionDenied
    return season


def _csv(filename: str, rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_csv(response, rows)
    return response


def _trust_lines(trust) -> list[tuple[str, float]]:
    """The published share agreeing with each statement (none withheld, none before)."""
    if not trust["published"]:
        return []
    figures = trust["season"].figures
    return [(label, figures[item].agree) for item, label in TRUST_LABELS.items()
            if figures[item] is not None]


def _trust_chart(trust) -> str | None:
    figures = [(label, trust["season"].figures[item]) for item, label in TRUST_LABELS.items()]
    shown = [(label, f.agree) for label, f in figures if f is not None]
    if not shown:
        return None
    return charts.bar_chart([label for label, _ in shown], [v for _, v in shown],
                            title="Residents who agree (%)", unit="%")


@login_required
def season_report_view(request, slug):
    season = _season_for(request, slug, check=can_view_season_report)
    summary_publish(season=season)  # the trust pulse's figures, once its survey has closed
    report = season_report(season=season)
    if request.GET.get("format") == "csv":
        rows = [["Section", "Item", "Value"]]
        rows += [["Registrations", status, n] for status, n in report["by_status"].items()]
        rows += [["Closures", status, n] for status, n in report["closures"].items()]
        rows += [["Closures", "fees collected", report["closure_fees"]]]
        rows += [["Visits asked for", kind, n] for kind, n in report["visit_requests"]]
        rows += [["District", d.name, d.approved] for d in report["districts"]]
        for part, label in (("districts", "Visits in district"), ("kinds", "Visits of kind")):
            for row in report["coverage"][part]:
                rows += [[f"{label} {row.name}", what, getattr(row, what)]
                         for what in ("asked", "planned", "made")]
        rows += [["Attendance", "expected", report["expected_attendance"]],
                 ["Attendance", "reported by hosts", report["reported_attendance"]]]
        if report["trust"]["published"]:
            for item, label in TRUST_LABELS.items():
                figure = report["trust"]["season"].figures[item]
                rows.append(["Trust pulse", label,
                             "withheld" if figure is None else figure.agree])
        else:
            closes = report["trust"]["publishes_at"]  # on the town's clock
            rows += [["Trust pulse", "answers so far", report["answers_so_far"]],
                     ["Trust pulse", "figures published on", closes.isoformat(timespec="minutes")]]
        if report["visits"]:
            v = report["visits"]
            rows += [["Visits", "planned", v["planned"]],
                     ["Visits", "parties reached", v["parties"]],
                     ["Visits", "more parties than first come, first served",
                      v["more_than_fcfs"] if v["more_than_fcfs"] is not None else ""],
                     ["Visits", "made", v["made"]], ["Visits", "skipped", v["skipped"]]]
        rows += [["Year over year", h["year"], h["approved"]] for h in report["history"]]
        return _csv(f"{season.slug}-report.csv", rows)
    coverage = report["coverage"]["districts"]
    context = {
        **report,
        "district_chart": charts.grouped_bar_chart(
            [d.name for d in coverage], {"Asked for": [d.asked for d in coverage],
                                         "Planned": [d.planned for d in coverage],
                                         "Made": [d.made for d in coverage]},
            title="Visits by district") if coverage else None,
        "coverage_tables": [(report["coverage"]["districts"], "By district"),
                            (report["coverage"]["kinds"], "By kind of visit")],
        "trust_chart": _trust_chart(report["trust"]),
        "history_chart": charts.line_chart(
            [h["year"] for h in report["history"]],
            {"Approved events": [h["approved"] for h in report["history"]]},
            title="Year over year") if len(report["history"]) > 1 else None,
        "trust_labels": TRUST_LABELS,
    }
    with timezone.override(season.jurisdiction.zone):
        return render(request, "reports/season.html", context)


def _rollup_context(region: Region, year_param: str | None) -> dict:
    year = int(year_param) if (year_param or "").isdigit() else None
    # Survey figures of towns whose survey has closed are published on the first view.
    summaries_publish_due(seasons=Season.objects.filter(jurisdiction__regions=region))
    rollup = region_rollup(region=region, year=year)
    rows = rollup["rows"]
    return {
        **rollup,
        "chart": charts.bar_chart([r["season"].jurisdiction.name for r in rows],
                                  [r["approved"] for r in rows],
                                  title=f"Approved events, {rollup['year']}") if rows else None,
        "trend_chart": charts.line_chart(
            [t["year"] for t in rollup["trend"]],
            {"Approved events": [t["approved"] for t in rollup["trend"]],
             "Towns taking part": [t["towns"] for t in rollup["trend"]]},
            title="Across the years") if len(rollup["trend"]) > 1 else None,
        "map": {
            "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_ATTRIBUTION,
            "markers": [{"name": r["season"].jurisdiction.name,
                         "lat": r["season"].jurisdiction.center_latitude,
                         "lng": r["season"].jurisdiction.center_longitude,
                         "events": r["approved"]} for r in rows],
        },
    }


@login_required
def region_view(request, slug):
    region = get_object_or_404(Region, slug=slug)
    if not can_view_region(request.user, region):
        raise PermissionDenied
    context = _rollup_context(region, request.GET.get("year"))
    if request.GET.get("format") == "csv":
        return _csv(f"{region.slug}-{context['year']}.csv", [
            ["Town", "State", "Date", "Approved events", "Reported attendance", "Survey answers"],
            *[[r["season"].jurisdiction.name, r["season"].jurisdiction.state,
               r["season"].nno_date.isoformat(), r["approved"], r["attendance"],
               "not yet published" if not r["published"]
               else "withheld" if r["respondents"] is None else r["respondents"]]
              for r in context["rows"]],
        ])
    return render(request, "reports/region.html", {**context, "public": False})


def transparency_list(request):
    """The public page that leads to every region's roll-up and every season's trust pulse."""
    return render(request, "reports/transparency_index.html", transparency_index())


def transparency(request, slug):
    """The public page: only figures that are published anyway."""
    region = get_object_or_404(Region, slug=slug)
    return render(request, "reports/region.html",
                  {**_rollup_context(region, request.GET.get("year")), "public": True})


@login_required
def photo(request, pk):
    photo = get_object_or_404(EventPhoto.objects.select_related("report__event__season"), pk=pk)
    if not can_manage_season(request.user, photo.report.event.season):
        raise PermissionDenied
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


class AwardsForm(PlainTextFields, forms.Form):
    narrative = forms.CharField(
        label="The story of the night", required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=("In your own words: what the town did, who helped, what changed. It is "
                   "printed as you write it."))
    photos = forms.TypedMultipleChoiceField(
        label="Photos from the hosts' reports to print", required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, photos, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].choices = [
            (p.pk, f"{p.report.event.title}{': ' + p.caption if p.caption else ''}")
            for p in photos]


@login_required
def awards_view(request, slug):
    """The post-event report for the national awards: on screen, the narrative and the photos
    to choose; in print, the report alone."""
    season = _season_for(request, slug)
    summary_publish(season=season)
    report = awards_report(season=season)
    form = AwardsForm(request.POST or None, photos=report["photos"], initial={
        "narrative": season.report_narrative,
        "photos": [p.pk for p in report["photos"] if p.chosen_for_report]})
    if request.method == "POST" and form.is_valid():
        try:
            awards_report_save(season=season, narrative=form.cleaned_data["narrative"],
                               photo_ids=form.cleaned_data["photos"],
                               actor=Actor.of(request.user))
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, "The report is saved. Print it, or save it as a PDF "
                             "from the print window.")
            return redirect(request.path)
    with timezone.override(season.jurisdiction.zone):
        return render(request, "reports/awards.html", {
            **report, "form": form, "trust_lines": _trust_lines(report["trust"]),
            "chosen": [p for p in report["photos"] if p.chosen_for_report],
        }, status=400 if form.errors else 200)
