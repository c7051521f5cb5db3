"""scripts/find-python: a working Python 3.12+ wherever it hides, or a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "find-python"
OLD_PYTHON = "#!/bin/sh\nexit 1\n"  # what a pyenv shim for an unselected version does


@pytest.fixture
def bin_dir(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in ("python3", "python3.12"):
        (folder / name).write_text(OLD_PYTHON)
        (folder / name).chmod(0o755)
    return folder


def find(bin_dir: Path, pyenv_root: Path) -> subprocess.CompletedProcess:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "PYENV_ROOT": str(pyenv_root),
           "HOME": "/nonexistent"}
    return subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(
    any(Path(p).exists() for p in ("/usr/bin/python3.12", "/usr/bin/python3.13")),
    reason="this machine has a system Python 3.12+ in /usr/bin, which the script would find",
)
def test_skips_broken_shims_and_finds_pyenvs_interpreter(bin_dir, tmp_path):
    real = tmp_path / "pyenv" / "versions" / "3.12.9" / "bin"
    real.mkdir(parents=True)
    (real / "python3").symlink_to(sys.executable)
    result = find(bin_dir, tmp_path / "pyenv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(real / "python3")


def test_says_what_to_install_when_there_is_none(bin_dir, tmp_path):
    if any(Path(p).exists() for p in ("/usr/bin/python3.12", "/usr/bin/python3.13")) or (
        os.path.exists("/usr/bin/python3")
        and subprocess.run(
            ["/usr/bin/python3", "-c", "import sys; assert sys.version_info >= (3, 12)"],
            capture_output=True).returncode == 0
    ):
        pytest.skip("this machine has a system Python 3.12+, so the script finds one")
    result = find(bin_dir, tmp_path / "no-pyenv")
    assert result.returncode == 1
    assert "needs Python 3.12 or newer" in result.stderr
    assert "PYTHON=" in result.stderr
