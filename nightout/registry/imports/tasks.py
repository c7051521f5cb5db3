"""The web import's background tasks: they take only a batch's id and run its work
(`imports.runs`). In production the task worker runs them (TASKS_BACKEND); in tests and by
default the immediate backend runs them inline, the same function either way. The staging's
services (`imports.batches`) queue them with `.enqueue` once their writes are committed.

They live here, beside the import, not in `registry.tasks`: the import's work reaches the
registry's services, which queue `registry.tasks`' mail, and a module must not import
itself back through others (tests/test_architecture.py)."""

from django.tasks import task

from nightout.registry.imports import runs


@task
def import_check_task(batch_id: int) -> None:
    """Check a staged spreadsheet, saying how far it got (`runs.batch_check_run`)."""
    runs.batch_check_run(batch_id=batch_id)


@task
def import_apply_task(batch_id: int) -> None:
    """Write a checked spreadsheet in one transaction (`runs.batch_apply_run`)."""
    runs.batch_apply_run(batch_id=batch_id)
