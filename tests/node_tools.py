"""Node programs the tests run as independent clients (Mozilla's ical.js, an OpenAPI linter).

They come from the npm registry into `.venv/node/<name>`, outside the repository's files and
without a lock file, the first time a test asks for them; a machine without npm or without the
registry skips those tests, unless NIGHTOUT_REQUIRE names them (as .ci/run does).
"""

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = ROOT / ".venv" / "node"


def npm_package(what: str, spec: str, entry: str) -> Path:
    """The path of `entry` inside the npm package `spec` (e.g. "ical.js@2"), installed once
    into `.venv/node/<what>`; skips (or fails, when `what` is required) when it cannot be had.
    `entry` is relative to the install folder, e.g. "node_modules/ical.js/dist/ical.js"."""
    folder = NODE_DIR / what
    path = folder / entry
    if not path.exists() and shutil.which("npm") and not os.environ.get("NIGHTOUT_NO_NPM"):
        subprocess.run(["npm", "install", "--prefix", str(folder), "--no-save",
                        "--no-package-lock", "--no-audit", "--no-fund", "--silent", spec],
                       check=False, timeout=300, capture_output=True)
    require(what, path.exists() and shutil.which("node") is not None,
            f"{spec} is not installed (needs node, npm and the npm registry)")
    return path
