"""Background tasks: they take only IDs and run the worker's long work (`worker.py`) or send
mail (`notices.py`).

In production the django-tasks-db worker runs them (TASKS_BACKEND); in tests and by default
the immediate backend runs them inline, the same function either way. The services queue them
with `.enqueue`; nothing here imports the services.
"""

from django.tasks import task

from nightout.visits import notices, worker


@task
def version_solve_task(version_id: int) -> int:
    return worker.version_solve_build(version_id=version_id).pk


@task
def version_replan_task(version_id: int, late: dict) -> int:
    return worker.version_solve_replan(version_id=version_id, late=late).pk


@task
def version_locked_notify_task(version_id: int) -> None:
    notices.version_locked_notify(version_id=version_id)
