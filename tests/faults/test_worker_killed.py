"""The database queue's worker killed mid-solve: the previous (locked) plan is intact, the
build is marked failed once the worker's heartbeat is stale, and a retry solves it."""

import json
import os
import signal
import subprocess
import time

from nightout.visits.services import STALE_AFTER
from tests.faults.conftest import NIGHTOUT, ROOT, TIMEOUT

STOPS = ('SELECT unit_id, event_id, kind, "order", arrival, start, departure, pinned, status '
         'FROM visits_stop WHERE version_id = ? ORDER BY unit_id, "order"')
VERSION = "SELECT status, progress, error, locked FROM visits_planversion WHERE id = ?"
SOLVE = "%version_solve_task"  # the solving jobs' task path (a lock's notice is a job too)


def wait_for(check, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_solve_leaves_the_last_plan_and_a_failed_build_to_retry(scratch):
    scratch.scenario("town")
    first = json.loads(scratch.scenario("build", "--seconds", "1"))["version"]
    scratch.run("db_worker", "--batch", "--no-startup-delay")
    assert scratch.query(VERSION, first)[0][0] == "done"
    scratch.scenario("lock", "--version", str(first))
    before = scratch.query(STOPS, first)
    assert before

    second = json.loads(scratch.scenario("build", "--seconds", "300"))["version"]
    worker = subprocess.Popen(
        [NIGHTOUT, "db_worker", "--no-startup-delay", "--interval", "0.2"], env=scratch.env,
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        def solving():
            status, progress, error, _ = scratch.query(VERSION, second)[0]
            assert status in ("queued", "running"), (status, error)
            # Searching, and the worker's heartbeat has beaten at least once since it started.
            return progress == 20 and scratch.value(
                "SELECT COUNT(*) FROM visits_planversion WHERE id = ? "
                "AND heartbeat_at > started_at", second)
        wait_for(solving, "the worker to be solving with a heartbeat")
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
        try:  # anything the worker started, in its own session
            os.killpg(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        worker.wait(timeout=30)

    # The previous plan is untouched, still locked; the killed build wrote no stops.
    assert scratch.query(STOPS, first) == before
    assert scratch.query(VERSION, first)[0][3] in (True, 1)
    assert scratch.query(STOPS, second) == []
    # While its heartbeat is fresh the build still counts as running ...
    assert json.loads(scratch.scenario("detect"))["failed"] == []
    assert scratch.query(VERSION, second)[0][0] == "running"
    # ... and once it has been silent for STALE_AFTER, it is failed, with its job.
    later = str(STALE_AFTER.total_seconds() + 1)
    assert json.loads(scratch.scenario("detect", "--later", later))["failed"] == [second]
    status, _, error, locked = scratch.query(VERSION, second)[0]
    assert status == "failed" and "worker stopped" in error and locked in (False, 0)
    # The solving jobs (the lock's notice to agencies is a job of its own).
    jobs = [row[0] for row in scratch.query(
        "SELECT status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE ? ORDER BY enqueued_at", SOLVE)]
    assert jobs == ["SUCCESSFUL", "FAILED"]

    # Retried, it is queued again and the next worker solves it; the locked plan stays.
    assert json.loads(scratch.scenario("retry", "--version", str(second),
                                       "--seconds", "2"))["status"] == "queued"
    scratch.run("db_worker", "--batch", "--no-startup-delay")
    status, _, error, locked = scratch.query(VERSION, second)[0]
    assert status == "done" and error == "" and locked in (False, 0)
    assert len(scratch.query(STOPS, second)) > 0
    assert scratch.query(STOPS, first) == before
    assert scratch.query(VERSION, first)[0][3] in (True, 1)
    assert scratch.value("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                         "WHERE status = 'SUCCESSFUL' AND task_path LIKE ?", SOLVE) == 2
