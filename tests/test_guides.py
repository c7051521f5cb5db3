"""The guides say only what is true.

The coordinator's, crew's and administrator's guides (and the README, and docs/deploy.md and
docs/api.md when they exist) are read for what they name: `nightout` commands and their
options, `make` targets, the site's addresses, settings, and links to other files. Each must
exist. Then the screens the guides walk through are opened as the role the guide speaks to,
on the demo, and must show the words the guide quotes.

When a test here fails, fix the guide (or the product), not the test.
"""

import html
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.urls import Resolver404, resolve

ROOT = Path(settings.BASE_DIR)
GUIDES = ["docs/coordinator.md", "docs/crew.md", "docs/admin.md"]
OTHERS = ["README.md", "docs/deploy.md", "docs/api.md"]
DOCS = [name for name in GUIDES + OTHERS if (ROOT / name).exists()]

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
URL = re.compile(r"https?://(?:127\.0\.0\.1|localhost)(?::\d+)?(/[^\s)`>\"]*)")
# Words that end a command on a shell line.
SHELL_BREAKS = {"&&", "||", "|", ";", ">", ">>", "2>&1", "#"}
# `nightout help` is the command line's own, not a management command.
BUILT_IN = {"help"}
# Commands of apps that a setting adds (`TASKS_BACKEND=django_tasks_db...` adds db_worker).
OPTIONAL_COMMANDS = {"db_worker": {"TASKS_BACKEND": "django_tasks_db.DatabaseBackend"}}
# First parts of a path that name a folder on a server, not a page of the site.
FILESYSTEM = {"srv", "etc", "var", "usr", "tmp", "home", "opt", "path", "dev", "bin", "run", "root",
              "mnt", "lib", "sys", "proc", "data"}
NOT_PAGES = ("/static/", "/media/")
# Values for the placeholders in the guides' addresses.
PLACEHOLDERS = {"season": "lakeport-2027", "slug": "lakeport-2027",
                "region": "western-massachusetts", "town": "lakeport", "token": "a-private-token"}


def read(name: str) -> str:
    return (ROOT / name).read_text()


def code_of(text: str) -> tuple[list[str], list[str]]:
    """The lines of fenced code blocks, and the inline code spans outside them."""
    blocks = [line for block in FENCE.findall(text) for line in block.splitlines()]
    return blocks, INLINE.findall(FENCE.sub("", text))


def commands_in(text: str) -> list[tuple[str, list[str], str]]:
    """Each `nightout <command> --option ...` written in code: (command, options, line)."""
    blocks, spans = code_of(text)
    found = []
    for line in blocks + spans:
        words = line.split()
        for i, word in enumerate(words[:-1]):
            if word != "nightout" and not word.endswith("/nightout"):
                continue
            command = words[i + 1]
            if not re.fullmatch(r"[a-z][\w-]*", command):
                continue
            options = []
            for rest in words[i + 2:]:
                if rest in SHELL_BREAKS or rest.startswith("#"):
                    break
                rest = rest.strip("[]")
                if rest.startswith("--"):
                    options.append(rest.split("=")[0])
            found.append((command, options, line.strip()))
    return found


@cache
def options_of(command: str) -> frozenset[str]:
    if command in BUILT_IN:
        return frozenset()
    app = get_commands().get(command)
    if app is not None:
        parser = load_command_class(app, command).create_parser("nightout", command)
        return frozenset(parser._option_string_actions)
    # A command of an app that only a setting installs: ask the command line itself.
    result = subprocess.run(
        [sys.executable, "-m", "nightout", command, "--help"], capture_output=True, text=True,
        timeout=120, cwd=ROOT,
        env={**os.environ, "NIGHTOUT_ENV_FILE": "/dev/null", "SECRET_KEY": "x" * 50,
             "DATABASE_URL": "sqlite:///:memory:", **OPTIONAL_COMMANDS[command]},
    )
    assert result.returncode == 0, result.stderr
    return frozenset(re.findall(r"--[a-z][\w-]*", result.stdout))


def known_command(command: str) -> bool:
    return command in BUILT_IN or command in get_commands() or command in OPTIONAL_COMMANDS


def make_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", read("Makefile"), flags=re.M))


def make_variables() -> set[str]:
    names = set(re.findall(r"\$\(([A-Z_]+)\)|^([A-Z_]+)\s*\?=", read("Makefile"), flags=re.M))
    names = {a or b for a, b in names}
    return names | set(re.findall(r"\$\{?([A-Z_]+)", read("scripts/find-python")))


def documented_settings() -> set[str]:
    return set(re.findall(r"\b([A-Z][A-Z0-9_]+)=", read(".env.example")))


def site_paths(text: str) -> list[str]:
    _, spans = code_of(text)
    paths = [s.strip() for s in spans if re.fullmatch(r"/\S*", s.strip())]
    paths += URL.findall(text)
    return [p for p in paths
            if p.split("/")[1] not in FILESYSTEM and not p.startswith(NOT_PAGES)]


def as_page(path: str) -> str:
    path = re.split(r"[?#]", path)[0]
    return re.sub(r"<([^>]+)>", lambda m: PLACEHOLDERS.get(m.group(1), "1"), path)


def github_anchor(heading: str) -> str:
    heading = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", heading))


def anchors_of(path: Path) -> set[str]:
    return {github_anchor(h) for h in re.findall(r"^#+\s+(.*)$", path.read_text(), flags=re.M)}


# ------------------------------------------------------------------ what the guides name


@pytest.mark.parametrize("doc", DOCS)
def test_every_nightout_command_in_the_docs_exists_with_its_options(doc):
    wrong = []
    for command, options, line in commands_in(read(doc)):
        if not known_command(command):
            wrong.append(f"no command `nightout {command}`: {line}")
            continue
        missing = [o for o in options if o not in options_of(command)]
        if missing:
            wrong.append(f"`nightout {command}` has no {', '.join(missing)}: {line}")
    assert not wrong, "\n".join(wrong)


def test_the_guides_name_the_commands_an_administrator_needs():
    named = {command for doc in GUIDES for command, _, _ in commands_in(read(doc))}
    assert {"backup", "restore", "purge", "migrate", "collectstatic", "createsuperuser",
            "db_worker", "import-events", "plan"} <= named


@pytest.mark.parametrize("doc", DOCS)
def test_every_make_target_in_the_docs_is_in_the_makefile(doc):
    blocks, spans = code_of(read(doc))
    targets, variables = make_targets(), make_variables()
    wrong = []
    for line in blocks + spans:
        for target, rest in re.findall(r"(?:^|\s)make\s+([a-z][\w-]*)([^#\n]*)", line):
            if target not in targets:
                wrong.append(f"no target `make {target}`: {line}")
            for variable in re.findall(r"\b([A-Z_]+)=", rest):
                if variable not in variables:
                    wrong.append(f"the Makefile reads no {variable}: {line}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("doc", DOCS)
def test_every_site_address_in_the_docs_is_a_page(doc):
    unknown = []
    for path in site_paths(read(doc)):
        try:
            resolve(as_page(path))
        except Resolver404:
            unknown.append(path)
    assert not unknown, "\n".join(unknown)


@pytest.mark.parametrize("doc", GUIDES)
def test_every_setting_in_the_guides_is_in_env_example(doc):
    _, spans = code_of(read(doc))
    named = {m.group(1) for s in spans if (m := re.fullmatch(r"([A-Z][A-Z0-9_]{2,})(=.*)?", s))}
    assert named - documented_settings() - make_variables() == set()


@pytest.mark.parametrize("doc", DOCS)
def test_every_relative_link_in_the_docs_leads_somewhere(doc):
    broken = []
    here = (ROOT / doc).parent
    for target in LINK.findall(read(doc)):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (here / file).resolve() if file else ROOT / doc
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in anchors_of(path):
            broken.append(target)
    assert not broken, "\n".join(broken)


def test_the_readme_points_to_the_guides():
    readme = read("README.md")
    for guide in GUIDES:
        assert f"({guide})" in readme


def test_the_crew_sheet_prints_on_one_letter_page(chromium):
    markdown_it = pytest.importorskip("markdown_it")
    body = markdown_it.MarkdownIt("commonmark").render(read("docs/crew.md"))
    tab = chromium.new_page()
    tab.set_content("<!doctype html><meta charset=utf-8><style>body { font: 11pt/1.35 "
                    f"system-ui, sans-serif; }}</style><body>{body}</body>")
    pdf = tab.pdf(format="Letter", margin={side: "1.5cm" for side in
                                           ("top", "right", "bottom", "left")})
    tab.close()
    assert len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf)) == 1


# ------------------------------------------------------------------ the screens they show

# (guide that quotes the words, who signs in, page, words the page shows). {unit}, {event},
# {submitted} and {version} are filled in from the demo; "anyone" is not signed in.
SCREENS = [
    ("coordinator", "anyone", "/accounts/login/", "Sign in"),
    ("admin", "anyone", "/accounts/login/", "Sign in"),
    ("coordinator", "anyone", "/seasons/", "Staff sign-in"),
    ("coordinator", "coordinator", "/accounts/me/", "Your roles"),
    ("coordinator", "coordinator", "/seasons/", "Coordinate"),
    ("coordinator", "coordinator", "/coordinate/", "Registrations to review"),
    ("coordinator", "coordinator", "/coordinate/", "Import a spreadsheet"),
    ("coordinator", "coordinator", "/coordinate/", "Police list"),
    ("coordinator", "coordinator", "/coordinate/", "Fire and EMS list"),
    ("coordinator", "coordinator", "/coordinate/", "Street closures for public works"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/", "Needs a look"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/", "Same block as another"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/", "Closure to decide"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/", "Closure with a fee"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/", "Sort by"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/", "With the selected registrations"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/",
     "Approve (closures get permit numbers)"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/", "Apply to selected"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/events/{submitted}/", "Approve"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/events/{submitted}/",
     "Reason, sent to the host"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/events/{submitted}/", "Reject"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/events/{submitted}/", "History"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/lists/public-works/", "Download CSV"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/lists/police/", "Print"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/import/",
     "Spreadsheet (CSV or XLSX)"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/import/", "Read the columns"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/import/", "Excel template (XLSX)"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/import/", "CSV template"),
    ("coordinator", "coordinator", "{import_batch}", "Every line is right"),
    ("coordinator", "coordinator", "{import_batch}", "Apply"),
    ("coordinator", "coordinator", "{import_batch}", "Abandon this import"),
    ("coordinator", "coordinator", "/plan/", "visit plan"),
    ("coordinator", "coordinator", "/plan/", "night-of board"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/units/", "Add a unit"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/units/", "Add unit"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/units/", "Ride along with"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/units/", "Calendar"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/", "Time budget (seconds)"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/", "Build plan"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/", "Versions"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/", "more parties"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/", "Before locking"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/",
     "Accept every uncovered finding"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/", "Accept"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/", "Stops by unit"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/", "Pin"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/", "Move…"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/", "Lock this version"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{version}/?move={stop}", "Move"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/", "Retry"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{lost}/", "The build failed"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/v/{lost}/", "Retry"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/board/", "Coverage by district"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/board/",
     "Re-plan the rest of the night"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/board/", "A unit dropped out"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/board/", "A unit runs late"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/board/", "Re-plan"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/board/?at=18:30", "late"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/units/{unit}/phone/", "Skipped"),
    ("coordinator", "anyone", "/events/{event}/poster/", "Print the poster"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/comments/", "Publish"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/comments/", "Keep private"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/report/", "Download CSV"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/report/", "Comments to read"),
    ("coordinator", "chicopee", "/coordinate/chicopee-2017/report/", "Print"),
    ("coordinator", "organizer", "/region/western-massachusetts/", "Download CSV"),
    ("coordinator", "organizer", "/region/western-massachusetts/", "Public transparency page"),
    ("coordinator", "anyone", "/transparency/western-massachusetts/", None),
    ("coordinator", "anyone", "/register/lakeport-2027/", None),
    ("coordinator", "anyone", "/register/", None),
    ("coordinator", "anyone", "/widget/", None),
    ("coordinator", "anyone", "/trust/lakeport-2027/", None),
    ("coordinator", "coordinator", "/coordinate/", "Season settings"),
    ("coordinator", "coordinator", "/coordinate/", "Start next year's season"),
    ("coordinator", "coordinator", "{settings}", "National Night Out date"),
    ("coordinator", "coordinator", "/towns/lakeport/", "Check the new area"),
    ("coordinator", "coordinator", "/towns/lakeport/", "Check the districts"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/units/from-a-sheet/", "Check the sheet"),
    ("coordinator", "coordinator", "/plan/lakeport-2027/units/from-a-sheet/",
     "Download a sheet to fill in"),
    ("coordinator", "coordinator", "/coordinate/lakeport-2027/report/awards/", "Save the report"),
    ("coordinator", "coordinator", "{settings}", "Usual start"),
    ("coordinator", "coordinator", "{settings}", "Usual end"),
    ("coordinator", "coordinator", "{settings}", "Earliest start"),
    ("coordinator", "coordinator", "{settings}", "Latest end"),
    ("coordinator", "coordinator", "{settings}", "Registration deadline"),
    ("coordinator", "coordinator", "{settings}", "One event per block"),
    ("coordinator", "coordinator", "{settings}", "Closures enabled"),
    ("coordinator", "coordinator", "{settings}", "Permit prefix"),
    ("coordinator", "coordinator", "{settings}", "Neighbor consent percent"),
    ("coordinator", "coordinator", "{settings}", "Closure fee tiers"),
    ("coordinator", "coordinator", "{settings}", "Filed by"),
    ("coordinator", "coordinator", "{settings}", "Fee ($)"),
    ("coordinator", "coordinator", "{settings}", "At most this many blocks"),
    ("coordinator", "coordinator", "{settings}", "Residential streets only"),
    ("coordinator", "coordinator", "{settings}", "New tier"),
    ("coordinator", "coordinator", "{settings}", "Remove this tier"),
    ("coordinator", "coordinator", "{settings}", "Visit kinds"),
    ("coordinator", "coordinator", "{settings}", "Visit request lead days"),
    ("coordinator", "coordinator", "{settings}", "Visit times allowed"),
    ("coordinator", "coordinator", "{settings}", "Rain date rule"),
    ("coordinator", "coordinator", "{settings}", "Rain date"),
    ("coordinator", "coordinator", "{settings}", "Notes"),
    ("coordinator", "coordinator", "{settings}", "Save the settings"),
    ("coordinator", "coordinator", "{settings}", "Changes to the settings"),
    ("coordinator", "coordinator", "{settings}", "America/Chicago"),
    ("coordinator", "coordinator", "/coordinate/new-season/", "Town"),
    ("coordinator", "coordinator", "/coordinate/new-season/", "Year"),
    ("coordinator", "coordinator", "/coordinate/new-season/", "Start the season"),
    ("crew", "crew", "/seasons/", "Visits"),
    ("crew", "crew", "/plan/", "units and itineraries"),
    ("crew", "crew", "/plan/lakeport-2027/units/", "Phone"),
    ("crew", "crew", "/plan/lakeport-2027/units/", "Run sheet"),
    ("crew", "crew", "/plan/lakeport-2027/units/{unit}/phone/", "Reload"),
    ("crew", "crew", "/plan/lakeport-2027/units/{unit}/phone/", "Arrived"),
    ("crew", "crew", "/plan/lakeport-2027/units/{unit}/phone/", "Done"),
    ("crew", "crew", "/plan/lakeport-2027/units/{unit}/phone/", "Skipped"),
    ("crew", "crew", "/plan/lakeport-2027/units/{unit}/phone/",
     "No signal: showing the itinerary last loaded at"),
    ("crew", "crew", "/plan/lakeport-2027/units/{unit}/sheet/", "Run sheet"),
    ("crew", "anyone", "/events/{event}/poster/", "How was tonight?"),
    ("admin", "admin", "/seasons/", "Administration"),
    ("admin", "admin", "/plan/lakeport-2027/agencies/", "An outside agency, of no town"),
    ("admin", "admin", "/towns/", "Regions"),
    ("admin", "admin", "/towns/", "Add the region"),
    ("admin", "admin", "/towns/", "Invite an organizer"),
    ("admin", "admin", "/towns/", "Add a town"),
    ("admin", "admin", "/towns/new/", "Check the town"),
    ("admin", "admin", "/towns/lakeport/", "Start a season"),
    ("admin", "admin", "/admin/", "Agencies"),
    ("admin", "admin", "/admin/", "Activities"),
    ("admin", "admin", "/admin/", "Audit entries"),
    ("admin", "admin", "/admin/", "Users"),
    ("admin", "admin", "/admin/registry/agency/add/", "Stations"),
    ("admin", "admin", "/admin/", "Agency API tokens"),
    ("admin", "admin", "/admin/api/agencytoken/", "Revoke the selected tokens"),
    ("admin", "admin", "/admin/accounts/user/{admin}/change/", "Memberships"),
    ("admin", "admin", "/admin/accounts/user/{admin}/change/", "Staff status"),
    ("admin", "admin", "/admin/accounts/user/{admin}/change/", "Superuser status"),
]


@pytest.fixture
def demo_night(db, django_user_model):
    """The demo with a built visit plan and a failed build, a registration to decide, a comment
    to read, a checked spreadsheet and an agency token."""
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from nightout.api.services import agency_token_create
    from nightout.registry.imports import batch_upload
    from nightout.registry.imports.runs import batch_check_run
    from nightout.registry.models import Agency, Event, EventStatus, Season
    from nightout.registry.services import Actor
    from nightout.surveys.services import response_submit
    from nightout.visits import services
    from nightout.visits.models import PlanVersion, Unit, VersionStatus
    from nightout.visits.services import STALE_AFTER

    call_command("demo", stdout=StringIO())
    season = Season.objects.select_related("jurisdiction").get(slug="lakeport-2027")
    coordinator = django_user_model.objects.get(username="coordinator")
    version = services.version_queue_build(actor=Actor.of(coordinator), season=season,
                                           seconds=1, seed=1)
    version.refresh_from_db()
    assert version.status == "done", version.error
    # A second build whose worker was lost: the plan page finds it silent and fails it.
    seen = timezone.now() - STALE_AFTER - dt.timedelta(seconds=5)
    PlanVersion.objects.create(plan=version.plan, number=version.number + 1,
                               status=VersionStatus.RUNNING, time_budget=1, progress=20,
                               started_at=seen, heartbeat_at=seen, worker="lost:1:0")
    agency_token_create(agency=Agency.objects.get(slug="lakeport-police-department"),
                        name="Dispatch console")
    unit = Unit.objects.get(season=season, name="Central Car 1")
    kickoff = Event.objects.get(season=season, title="Lakeport National Night Out Kickoff")
    response_submit(event=kickoff, answers={"respect": 5, "comment": "Thank you, officers."},
                    language="en", now=season.at(season.nno_date, dt.time(19)))
    centre = season.jurisdiction
    sheet = ("title,address,latitude,longitude\n"
             f"Guide Street Party,12 Guide Street,{centre.center_latitude},"
             f"{centre.center_longitude}\n").encode()
    batch = batch_upload(season=season, actor=Actor.of(coordinator), filename="guide.csv",
                         content=sheet)
    batch_check_run(batch_id=batch.pk)  # the check task, as the worker runs it
    return {
        "unit": unit.pk,
        "event": kickoff.pk,
        "submitted": Event.objects.filter(season=season, status=EventStatus.SUBMITTED)
        .order_by("pk").first().pk,
        "version": version.number,
        "lost": version.number + 1,
        "stop": version.stops.order_by("pk").first().pk,
        "admin": django_user_model.objects.get(username="admin").pk,
        "import_batch": f"/coordinate/lakeport-2027/import/{batch.pk}/",
        "settings": _settings_after_a_change(season, coordinator),
    }


def _settings_after_a_change(season, coordinator) -> str:
    """The season's settings page, once a change has put one line under its changes."""
    from nightout.registry.services import Actor, SeasonInput, season_update

    season_update(season=season, actor=Actor.of(coordinator),
                  data=SeasonInput(rules={"notes": "Barricades from Public Works."}))
    return "/coordinate/lakeport-2027/settings/"


def test_each_screen_a_guide_shows_has_the_words_it_quotes(demo_night, client,
                                                           django_user_model):
    # Words wrapped across lines in a guide still count as quoted.
    guides = {name: " ".join(read(f"docs/{name}.md").split())
              for name in ("coordinator", "crew", "admin")}
    users = {u.username: u for u in django_user_model.objects.all()}
    pages: dict[tuple[str, str], tuple[int, str]] = {}
    wrong = []
    for guide, role, url, words in SCREENS:
        if words is not None and words not in guides[guide]:
            wrong.append(f"docs/{guide}.md does not quote {words!r}")
        url = url.format(**demo_night)
        if (role, url) not in pages:
            client.logout()
            if role != "anyone":
                client.force_login(users[role])
            response = client.get(url)
            pages[role, url] = (response.status_code, html.unescape(response.text))
        status, text = pages[role, url]
        if status != 200:
            wrong.append(f"{url} as {role}: {status}")
        elif words is not None and words not in text:
            wrong.append(f"{url} as {role} does not show {words!r}")
    assert not wrong, "\n".join(wrong)
