"""The served description read by an independent linter: Redocly's `redocly lint`, with the
rules chosen in redocly.yaml (each rule turned off says why there), finds nothing."""

import json
import os
import subprocess

import pytest

from tests.node_tools import ROOT, npm_package

pytestmark = pytest.mark.django_db


def test_redocly_finds_nothing_in_the_served_description(client, tmp_path):
    redocly = npm_package("redocly", "@redocly/cli@2", "node_modules/.bin/redocly")
    served = client.get("/api/openapi.json")
    assert served.status_code == 200
    (tmp_path / "openapi.json").write_text(json.dumps(served.json()))
    result = subprocess.run(
        [str(redocly), "lint", "--config", str(ROOT / "redocly.yaml"), "--format", "stylish",
         "--max-problems", "1000", "openapi.json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180,
        # Offline: no usage report, no look-up of a newer version.
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
             "NO_COLOR": "1"})
    problems = result.stdout + result.stderr
    assert result.returncode == 0, problems
    assert "error" not in result.stdout.lower() and "warning" not in result.stdout.lower(), \
        problems
