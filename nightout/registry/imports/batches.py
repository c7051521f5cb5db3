"""The web import's staging: an upload between its check and its apply (`ImportBatch`).

The upload itself is never kept. A batch keeps only what the import needs: the values of the
columns mapped to a field (each row an `ImportRow.as_json()`), the faults, the names of the
columns not read, the mapping, and its progress. The check and the apply run as background
tasks (`imports.tasks`, their work in `imports.runs`), which take only the batch's id; the
apply writes every row in one transaction (`imports.apply`), or nothing. The staged rows
and faults go the moment a batch is applied, abandoned or fails, and `nightout purge`
discards those of a batch left waiting longer than `STAGED_FOR`. The mapping is remembered
for the season, to be proposed again.

Only the season's coordinators stage, apply and abandon a batch: the command line imports a
file directly (`imports.check`, `imports.apply`), with nothing staged.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nightout.accounts.permissions import can_manage_season
from nightout.errors import Invalid, NotAllowed, messages_of
from nightout.registry.actors import Actor
from nightout.registry.imports.check import NOT_ALLOWED
from nightout.registry.imports.columns import LEAVE_OUT, column_key
from nightout.registry.imports.faults import Fault, ImportRow
from nightout.registry.imports.runs import APPLY_FAILED, CHECK_FAILED, fail
from nightout.registry.models import IMPORT_FINISHED, ImportBatch, ImportStatus, Season

log = logging.getLogger(__name__)

# A batch not applied within this long loses its staged rows at the next `nightout purge`:
# a coordinator checks and applies a file within a working week, and hosts' details should
# not wait in a staging table for longer.
STAGED_FOR = dt.timedelta(days=7)

ALREADY_APPLIED = "This upload was already applied."
HAS_FAULTS = ("Nothing can be written while lines have faults: fix the lines listed in the "
              "spreadsheet and upload it again.")
STILL_CHECKING = "This upload is still being checked: apply it once the check is done."
BEING_APPLIED = "This upload is being written: wait for it to finish."
NOT_STAGED = "This upload was {status}: nothing is kept of it. Upload the file again."
EXPIRED = ("Not applied within {days} days, so its rows were discarded: upload the file "
           "again.")


def _check_coordinator(actor: Actor, season: Season) -> None:
    if actor.host_of is None and actor.user is not None and can_manage_season(actor.user,
                                                                               season):
        return
    raise NotAllowed(NOT_ALLOWED.format(season=season))


def mapping_remembered(season: Season) -> dict[str, str]:
    """How the season's earlier uploads' columns were read: `column_key` of the column ->
    the field, or LEAVE_OUT. Proposed again for the next file."""
    return dict(season.import_mapping or {})


def batch_create(*, season: Season, actor: Actor, filename: str, sheet: str,
                 mapping: Mapping[str, str], rows: Sequence[ImportRow],
                 faults: Sequence[Fault], unmapped: Sequence[str],
                 fault_cells: Mapping[int, Mapping[str, str]] | None = None) -> ImportBatch:
    """Stage a read file's rows (only the mapped columns' values) and its reading faults,
    remember the mapping for the season, and queue the check once committed. `fault_cells`:
    the mapped cells of the lines that could not be read, for the CSV of lines to fix."""
    _check_coordinator(actor, season)
    read = {column for column, name in mapping.items() if name and name != LEAVE_OUT}
    left_out = {column for column, name in mapping.items() if name == LEAVE_OUT}
    staged = []
    for row in rows:  # a column not mapped to a field is never stored, whatever the caller
        data = row.as_json()
        data["cells"] = {c: v for c, v in data["cells"].items() if c in read}
        data["columns"] = {f: c for f, c in data["columns"].items() if c in read}
        staged.append(data)
    fault_rows = {str(line): {c: v for c, v in cells.items() if c in read}
                  for line, cells in (fault_cells or {}).items()}
    kept_faults = [
        (Fault(f.line, f.column, "", f.message) if f.column in left_out else f).as_json()
        for f in faults]
    with transaction.atomic():
        season = Season.objects.select_for_update().get(pk=season.pk)
        batch = ImportBatch.objects.create(
            season=season, uploaded_by=actor.user, uploaded_at=timezone.now(),
            filename=filename[:200], sheet=sheet[:200],
            mapping=[[column, name] for column, name in mapping.items()],  # in the file's order
            status=ImportStatus.CHECKING, progress_total=len(staged), rows=staged,
            faults=kept_faults, fault_rows=fault_rows, unmapped=list(unmapped))
        remembered = mapping_remembered(season)
        remembered.update({column_key(c): name for c, name in mapping.items() if name})
        season.import_mapping = remembered
        season.save(update_fields=["import_mapping"])
        transaction.on_commit(lambda: _enqueue("check", batch.pk))
    return batch


def batch_apply(*, batch: ImportBatch, actor: Actor) -> ImportBatch:
    """Queue the writing of a checked batch without faults, once committed."""
    _check_coordinator(actor, batch.season)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        _refuse_unless_staged(batch)
        if batch.status == ImportStatus.CHECKING:
            raise Invalid(STILL_CHECKING)
        if batch.faults:
            raise Invalid(HAS_FAULTS)
        batch.status, batch.applied_by, batch.message = ImportStatus.APPLYING, actor.user, ""
        batch.save(update_fields=["status", "applied_by", "message"])
        transaction.on_commit(lambda: _enqueue("apply", batch.pk))
    return batch


def batch_abandon(*, batch: ImportBatch, actor: Actor) -> ImportBatch:
    """Drop a batch that will not be applied: its staged rows and faults go at once."""
    _check_coordinator(actor, batch.season)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportStatus.ABANDONED:
            return batch
        _refuse_unless_staged(batch)
        batch.status, batch.rows, batch.faults = ImportStatus.ABANDONED, [], []
        batch.fault_rows = {}
        batch.save(update_fields=["status", "rows", "faults", "fault_rows"])
    return batch


def _refuse_unless_staged(batch: ImportBatch) -> None:
    if batch.status == ImportStatus.APPLIED:
        raise Invalid(ALREADY_APPLIED)
    if batch.status == ImportStatus.APPLYING:
        raise Invalid(BEING_APPLIED)
    if batch.status in IMPORT_FINISHED:
        raise Invalid(NOT_STAGED.format(status=batch.get_status_display().lower()))


def batches_stale(*, now: dt.datetime, older_than: dt.timedelta):
    """The batches whose staged rows or faults `batches_purge` removes: every finished one
    still holding some, and every one uploaded before `now - older_than`."""
    holding = ~Q(rows=[]) | ~Q(faults=[]) | ~Q(fault_rows={})
    return ImportBatch.objects.filter(holding).filter(
        Q(status__in=IMPORT_FINISHED) | Q(uploaded_at__lt=now - older_than))


def batches_purge(*, now: dt.datetime, older_than: dt.timedelta) -> int:
    """Remove the staged rows and faults of applied, abandoned and failed batches, and of any
    batch uploaded before `now - older_than` (which is abandoned, saying why). Returns how
    many batches were emptied. Called by `nightout purge`."""
    with transaction.atomic():
        stale = batches_stale(now=now, older_than=older_than)
        waiting = stale.exclude(status__in=IMPORT_FINISHED).update(
            status=ImportStatus.ABANDONED, rows=[], faults=[], fault_rows={},
            message=EXPIRED.format(days=older_than.days))
        return waiting + stale.update(rows=[], faults=[], fault_rows={})


def _enqueue(which: str, batch_id: int) -> None:
    """Hand the batch to the task queue; a queue that refuses it fails the batch."""
    from nightout.registry.imports.tasks import import_apply_task, import_check_task

    task = import_check_task if which == "check" else import_apply_task
    try:
        task.enqueue(batch_id)
    except Exception as exc:
        log.exception("Import batch %s could not be queued", batch_id)
        fail(batch_id, ImportStatus.CHECKING if which == "check" else ImportStatus.APPLYING,
              (CHECK_FAILED if which == "check" else APPLY_FAILED).format(
                  error=messages_of(exc)[0]))


def batch_fault_lines(batch: ImportBatch) -> tuple[list[str], list[list[str]]]:
    """The lines to fix, as a table: the mapped columns as the file spells them, then
    `line` and `problem` (every fault of the line, with its column). Ready to correct in a
    spreadsheet and upload again."""
    columns = [c for c, name in batch_mapping(batch) if name and name != LEAVE_OUT]
    cells = {int(line): row for line, row in (batch.fault_rows or {}).items()}
    for row in batch.rows or []:
        cells.setdefault(int(row["line"]), row.get("cells") or {})
    problems: dict[int, list[str]] = {}
    for fault in batch.faults or []:
        said = f"{fault['column']}: {fault['message']}" if fault["column"] else fault["message"]
        problems.setdefault(int(fault["line"]), []).append(said)
    rows = [[cells.get(line, {}).get(c, "") for c in columns] + [str(line), " ".join(said)]
            for line, said in sorted(problems.items())]
    return [*columns, "line", "problem"], rows


def batch_mapping(batch: ImportBatch) -> list[tuple[str, str]]:
    """The batch's mapping, (column as spelled, field or LEAVE_OUT or ""), in the file's order
    (kept as pairs: a JSON object's keys lose their order in PostgreSQL's jsonb)."""
    return [(column, name) for column, name in batch.mapping or []]
