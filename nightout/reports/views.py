"""The season report, the regional roll-up and the public transparency page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from nightout.accounts.permissions import (
    can_manage_season,
    can_view_region,
    can_view_season_report,
)
from nightout.registry.exports import write_csv
from nightout.registry.models import EventPhoto, Region, Season
from nightout.reports import charts
from nightout.reports.selectors import region_rollup, season_report, transparency_index
from nightout.surveys.services import summaries_publish_due, summary_publish

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
    districts = report["districts"]
    context = {
        **report,
        "district_chart": charts.bar_chart([d.name for d in districts],
                                           [d.approved for d in districts],
                                           title="Approved events by district")
        if districts else None,
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
