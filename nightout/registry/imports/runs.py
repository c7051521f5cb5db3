"""The work of the web import's background tasks (`imports.tasks`), on a staged batch
(`imports.batches`): check its rows, saying how far it got; write them in one transaction.
Each takes only the batch's id, acts as whoever uploaded (or applied) the batch, checked
again by `rows_check` and `rows_apply`, and on any failure marks the batch failed with a
message, keeping nothing staged and writing nothing."""

from __future__ import annotations

import logging

from nightout.errors import NotAllowed, messages_of
from nightout.registry.actors import Actor
from nightout.registry.imports.apply import rows_apply
from nightout.registry.imports.check import rows_check
from nightout.registry.imports.faults import Fault, ImportRow
from nightout.registry.models import ImportBatch, ImportStatus

log = logging.getLogger(__name__)

NO_ACCOUNT = "Whoever {did} this upload no longer has an account: upload the file again."
CHECK_FAILED = "The check stopped ({error}). Nothing was written: upload the file again."
APPLY_FAILED = "Writing stopped ({error}). Nothing was written: upload the file again."


def fail(batch_id: int, status: str, message: str) -> None:
    """Mark the batch failed, if it is still `status`, and drop what it staged."""
    ImportBatch.objects.filter(pk=batch_id, status=status).update(
        status=ImportStatus.FAILED, rows=[], faults=[], fault_rows={}, message=message)


def batch_check_run(*, batch_id: int) -> None:
    """The check task: check the staged rows, saying how far it got, and keep the faults
    (the reading faults first found, and the check's). A failure fails the batch."""
    batch = ImportBatch.objects.select_related("season__jurisdiction", "uploaded_by").get(
        pk=batch_id)
    if batch.status != ImportStatus.CHECKING:
        return  # abandoned meanwhile, or already checked
    current = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.CHECKING)

    def progress(done: int, total: int) -> None:
        current.update(progress_done=done, progress_total=total)

    try:
        if batch.uploaded_by is None:
            raise NotAllowed(NO_ACCOUNT.format(did="made"))
        rows = [ImportRow.from_json(row) for row in batch.rows]
        outcome = rows_check(season=batch.season, rows=rows, actor=Actor.of(batch.uploaded_by),
                             progress=progress)
    except Exception as exc:
        log.exception("The check of import batch %s failed", batch_id)
        fail(batch_id, ImportStatus.CHECKING, CHECK_FAILED.format(error=messages_of(exc)[0]))
        return
    faults = [Fault.from_json(f) for f in batch.faults] + outcome.faults
    faults.sort(key=lambda f: (f.line, f.column))
    current.update(status=ImportStatus.CHECKED, faults=[f.as_json() for f in faults],
                   counts=outcome.counts(), progress_done=len(rows))


def batch_apply_run(*, batch_id: int) -> None:
    """The apply task: write the staged rows in one transaction and drop them; when the
    database changed since the check and a row now has a fault, write nothing and show the
    faults. A failure fails the batch and writes nothing."""
    batch = ImportBatch.objects.select_related("season__jurisdiction", "applied_by").get(
        pk=batch_id)
    if batch.status != ImportStatus.APPLYING:
        return
    current = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.APPLYING)
    try:
        if batch.applied_by is None:
            raise NotAllowed(NO_ACCOUNT.format(did="applied"))
        rows = [ImportRow.from_json(row) for row in batch.rows]
        outcome = rows_apply(season=batch.season, rows=rows, actor=Actor.of(batch.applied_by))
    except Exception as exc:
        log.exception("Writing import batch %s failed", batch_id)
        fail(batch_id, ImportStatus.APPLYING, APPLY_FAILED.format(error=messages_of(exc)[0]))
        return
    if outcome.applied:
        current.update(status=ImportStatus.APPLIED, rows=[], faults=[], fault_rows={},
                       counts=outcome.counts(), progress_done=len(rows))
    else:
        current.update(status=ImportStatus.CHECKED, counts=outcome.counts(),
                       faults=[f.as_json() for f in outcome.faults])
