import subprocess
import sys

from django.conf import settings


def test_the_tests_and_the_default_run_tasks_inline():
    backend = settings.TASKS["default"]["BACKEND"]
    assert backend == "django.tasks.backends.immediate.ImmediateBackend"


def test_the_database_queue_is_one_setting_away():
    script = ("import nightout.settings as s; "
              "print(s.TASKS['default']['BACKEND'], 'django_tasks_db' in s.INSTALLED_APPS)")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd="/", capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "NIGHTOUT_ENV_FILE": "/dev/null", "SECRET_KEY": "x",
             "TASKS_BACKEND": "django_tasks_db.DatabaseBackend"},
    )
    assert result.stdout.split() == ["django_tasks_db.DatabaseBackend", "True"], result.stderr
