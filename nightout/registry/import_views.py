"""The coordinator's spreadsheet import: upload, map the columns, the check (a background task
with its progress), the faults page by page with the lines to fix as a CSV, apply or abandon;
and the season's template files.

Nothing of an upload is kept but the values of the columns mapped to a field: the file is read
in the request that carries it, twice if need be (once to propose the mapping, once to check
with it), and never stored (docs/import.md, docs/privacy.md).
"""

import hashlib
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nightout.errors import Invalid, messages_of
from nightout.registry.exports import write_csv
from nightout.registry.forms.imports import ImportUploadForm, MappingForm
from nightout.registry.imports import batch_upload
from nightout.registry.imports.batches import (
    batch_abandon,
    batch_apply,
    batch_fault_lines,
    batch_mapping,
    mapping_remembered,
)
from nightout.registry.imports.columns import FIELDS, LEAVE_OUT, column_samples, mapping_propose
from nightout.registry.imports.sheets import MAX_BYTES, ImportRefused, book_read, sheet_pick
from nightout.registry.imports.template import template_csv_row, template_rows, template_xlsx
from nightout.registry.models import ImportBatch
from nightout.registry.review_views import _season
from nightout.registry.services import Actor

FAULTS_PER_PAGE = 50
CHOOSE_AGAIN = ("The file is read again when you check it, and kept nowhere: if the file box "
                "above is empty, choose the file again first.")


@login_required
def import_upload(request, slug):
    season = _season(request, slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context = {"season": season, "form": form, "mapping": None, "fields": FIELDS,
               "recent": season.imports.select_related("uploaded_by")[:10]}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read(MAX_BYTES + 1)
        try:
            book = book_read(upload.name, content)
            sheet = sheet_pick(book, form.cleaned_data["sheet"])
            proposed = mapping_propose(sheet.header, mapping_remembered(season))
            # The choices are for the columns they were made for: another file, or another
            # sheet, is read afresh, never checked with the last one's choices.
            checking = ("check" in request.POST
                        and request.POST.get("columns_read") == _columns_key(sheet))
            mapping = MappingForm(request.POST if checking else None,
                                  columns=list(sheet.header), proposed=proposed)
            if checking and mapping.is_valid():
                batch = batch_upload(season=season, actor=Actor.of(request.user),
                                     filename=upload.name, content=content, sheet=sheet.name,
                                     mapping=mapping.mapping())
                return redirect(reverse("registry:import_batch", args=[season.slug, batch.pk]))
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            samples = [column_samples(sheet, i) for i in range(len(sheet.header))]
            context.update(book=book, sheet=sheet, mapping=mapping, columns_key=_columns_key(sheet),
                           mapping_rows=mapping.rows(samples), choose_again=CHOOSE_AGAIN)
    template = "registry/review/import.html"
    if request.htmx:  # "Read the columns": the mapping (or what is wrong with the file) alone
        template += "#mapping"
    with timezone.override(season.jurisdiction.zone):
        return render(request, template, context)


def _columns_key(sheet) -> str:
    """Which sheet, with which columns, the mapping on the page was made for."""
    return hashlib.sha256(repr((sheet.name, sheet.header)).encode()).hexdigest()[:24]


@login_required
def import_batch(request, slug, pk):
    season = _season(request, slug)
    batch = get_object_or_404(ImportBatch.objects.select_related("uploaded_by"),
                              season=season, pk=pk)
    faults = batch.faults or []
    columns = sorted({f["column"] for f in faults if f["column"]})
    column = request.GET.get("column", "")
    shown = [f for f in faults if f["column"] == column] if column else faults
    page = Paginator(shown, FAULTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"season": season, "batch": batch, "page": page, "columns": columns,
               "column": column, "fault_count": len(faults),
               "fault_lines": len({f["line"] for f in faults}),
               "line_total": (batch.counts or {}).get("rows", 0) + len(batch.fault_rows or {}),
               "left_out": [c for c, name in batch_mapping(batch) if name == LEAVE_OUT]}
    template = "registry/review/import_batch.html"
    if request.htmx and not batch.busy:  # finished: htmx loads the whole page once
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    with timezone.override(season.jurisdiction.zone):
        return render(request, template + ("#progress" if request.htmx else ""), context)


@login_required
@require_POST
def import_batch_apply(request, slug, pk):
    season = _season(request, slug)
    batch = get_object_or_404(ImportBatch, season=season, pk=pk)
    try:
        batch_apply(batch=batch, actor=Actor.of(request.user))
    except Invalid as exc:
        messages.error(request, messages_of(exc)[0])
    return redirect(reverse("registry:import_batch", args=[season.slug, batch.pk]))


@login_required
@require_POST
def import_batch_abandon(request, slug, pk):
    season = _season(request, slug)
    batch = get_object_or_404(ImportBatch, season=season, pk=pk)
    try:
        batch_abandon(batch=batch, actor=Actor.of(request.user))
    except Invalid as exc:
        messages.error(request, messages_of(exc)[0])
    else:
        messages.success(request, f"{batch.filename} was abandoned: its rows are gone, "
                                  "nothing was written.")
    return redirect(reverse("registry:import", args=[season.slug]))


@login_required
def import_batch_faults_csv(request, slug, pk):
    """The lines to fix, as the file had them (its mapped columns) with a `problem` column:
    correct them in a spreadsheet and upload them again."""
    season = _season(request, slug)
    batch = get_object_or_404(ImportBatch, season=season, pk=pk)
    header, rows = batch_fault_lines(batch)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = batch.filename.rsplit(".", 1)[0] or "import"
    response["Content-Disposition"] = f'attachment; filename="{name}-to-fix.csv"'
    write_csv(response, [header, *rows])
    return response


@login_required
def import_template(request, slug, kind):
    """The season's template: every column nightout reads, with one example line."""
    season = _season(request, slug)
    header, example = template_rows(season)
    if kind == "xlsx":
        body = template_xlsx(header, example)
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-"
                                                    "officedocument.spreadsheetml.sheet")
    else:
        out = io.StringIO()
        write_csv(out, [header, template_csv_row(example)])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{season.slug}-events.{kind}"'
    return response
