import shutil
import subprocess
import sys
from pathlib import Path


def test_the_nightout_command_runs_django_commands():
    script = Path(sys.executable).with_name("nightout")
    command = [str(script)] if script.exists() else [shutil.which("nightout") or "nightout"]
    result = subprocess.run(
        [*command, "help", "demo"], capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true"},
    )
    assert result.returncode == 0, result.stderr
    assert "Load the demo" in result.stdout
