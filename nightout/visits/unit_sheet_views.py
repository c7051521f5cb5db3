"""Several units at once from a spreadsheet, on the units page's own screen: the sheet is read
and every line checked and shown first; "Add the units" adds them all, or none."""

import base64
import binascii

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from nightout.accounts.permissions import can_manage_season
from nightout.registry.actors import Actor
from nightout.registry.exports import write_csv
from nightout.registry.models import UnitKind
from nightout.visits.services.unit_sheet import shift_text, unit_rows_read, units_add
from nightout.visits.views import _agencies_managed, _season

MAX_BYTES = 200_000
TEMPLATE = [["Agency", "Name", "Kind", "Shift start", "Shift end", "Start station", "End station",
             "District", "Max stops"]]


class SheetForm(forms.Form):
    sheet = forms.FileField(
        label="The units' spreadsheet", help_text="CSV or Excel, one unit per line.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}))

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if sheet.size > MAX_BYTES:
            raise ValidationError(f"The file is {sheet.size:,} bytes; a roster of units fits "
                                  f"in {MAX_BYTES:,}.")
        return sheet


# The kind of unit an agency of each kind most likely sends, for the template's sample line.
SAMPLE_KIND = {"fire": "fire", "ems": "ems", "elected": "official", "state_police": "police",
               "sheriff": "police", "local_police": "police"}


def _sample(season, agencies) -> list[str]:
    """A line the sheet's own check takes: an agency with a station, a kind it sends, the
    season's usual hours."""
    agency = next((a for a in agencies if a.stations.all()), None)
    if agency is None:
        return ["", "Car 1", "Police officers", "17:00", "21:00", "", "", "", ""]
    kind = UnitKind(SAMPLE_KIND.get(agency.kind, "police")).label
    return [agency.name, "Unit 1", kind, season.default_start.strftime("%H:%M"),
            season.default_end.strftime("%H:%M"), agency.stations.all()[0].name, "", "", ""]


@login_required
def units_sheet(request, season):
    season = _season(season)
    agencies = list(_agencies_managed(request, season))
    if not agencies and not can_manage_season(request.user, season):
        raise PermissionDenied
    if request.GET.get("template") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{season.slug}-units.csv"'
        write_csv(response, [*TEMPLATE, _sample(season, agencies)])
        return response
    actor = Actor.of(request.user)
    form = SheetForm(request.POST or None, request.FILES or None)
    rows, kept, failed = None, None, False
    try:
        if request.POST.get("confirm") == "yes":
            content = base64.b64decode(request.POST.get("content", ""), validate=True)
            units = units_add(season=season, actor=actor, content=content,
                              filename=request.POST.get("filename", "units.csv")[:200])
            messages.success(request, f"{len(units)} unit{'s' if len(units) != 1 else ''} "
                             f"added: {', '.join(u.name for u in units)}.")
            return redirect("visits:units", season=season.slug)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["sheet"]
            content = upload.read()
            rows = unit_rows_read(season=season, actor=actor, filename=upload.name,
                                  content=content)
            kept = {"content": base64.b64encode(content).decode(), "filename": upload.name}
    except (binascii.Error, ValueError):
        form.add_error(None, "The sheet was not kept between the two steps: choose it again.")
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    failed = bool(form.errors) or bool(rows and any(r.problems for r in rows))
    return render(request, "visits/units_sheet.html", {
        "season": season, "form": form, "kept": kept,
        "rows": [(row, shift_text(row)) for row in rows or []],
        "wrong": sum(bool(r.problems) for r in rows or []), "columns": TEMPLATE[0],
    }, status=400 if failed else 200)
