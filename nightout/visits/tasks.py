"""Background tasks: they take only IDs and run the services' long work.

In production the django-tasks-db worker runs them (TASKS_BACKEND); in tests and by default
the immediate backend runs them inline, the same function either way.
"""

from django.tasks import task

from nightout.visits import services


@task
def version_solve_task(version_id: int) -> int:
    return services.version_solve(version_id=version_id).pk


@task
def version_replan_task(version_id: int, late: dict) -> int:
    return services.version_replan(version_id=version_id, late=late).pk


@task
def version_locked_notify_task(version_id: int) -> None:
    services.version_locked_notify(version_id=version_id)
