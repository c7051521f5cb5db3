# Two commands for everyone: `make demo` and `make test`. See README.md.
PORT ?= 8000
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Test processes: one per core (pytest-xdist); 0 runs the suite in this one process.
PYTEST_WORKERS ?= auto

.PHONY: demo test lint requirements clean

# The demo solves visit plans like production does: on the database queue, in a worker
# beside the web server, so the coordinator sees the progress.
demo: export TASKS_BACKEND = django_tasks_db.DatabaseBackend
demo: export SITE_URL = http://127.0.0.1:$(PORT)
demo: $(VENV)/.base-installed .env
	$(BIN)/nightout migrate --noinput -v 0
	$(BIN)/nightout collectstatic --noinput -v 0
	$(BIN)/nightout demo --url http://127.0.0.1:$(PORT)
	@$(BIN)/nightout db_worker --no-reload --no-startup-delay -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/nightout runserver 127.0.0.1:$(PORT) --noreload

test: $(VENV)/.test-installed
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Static checks, as CI runs them: ruff's chosen rules everywhere, mypy --strict on the pure cores
# (the planner, geo, the text rules and the spreadsheet value readers).
lint: $(VENV)/.test-installed
	$(BIN)/ruff check nightout tests bench scripts
	$(BIN)/mypy --strict nightout/planner nightout/geo nightout/plaintext.py \
		nightout/registry/imports/cells.py nightout/registry/imports/times.py \
		nightout/registry/imports/dates.py nightout/registry/imports/values.py

$(VENV)/bin/python:
	@PY=$$(scripts/find-python) || exit 1; echo "Creating $(VENV) with $$PY"; "$$PY" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs are stamped, so a second run reuses them; a changed pin reinstalls.
$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test-installed: requirements/test.txt $(VENV)/.base-installed
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

# A local settings file for the demo: a secret key of its own, made once.
.env: | $(VENV)/bin/python
	@echo "Writing .env for this machine (see .env.example)"
	@printf 'SECRET_KEY=%s\n' "$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

# Re-pin the hashed requirement files after changing pyproject.toml (needs uv).
requirements:
	uv pip compile pyproject.toml --universal --python-version 3.12 --generate-hashes --no-header -o requirements/base.txt
	uv pip compile pyproject.toml --extra test --universal --python-version 3.12 --generate-hashes --no-header -o requirements/test.txt

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
