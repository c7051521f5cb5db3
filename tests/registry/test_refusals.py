"""Every write of the registry and of the trust pulse refuses whoever may not make it.

Each public callable of the registry's services, its imports and the survey's services is in
one of the tables below: REFUSED (called by everyone without the right, expecting
`NotAllowed`, no change in the database and no audit entry), OPEN (open to anyone by design,
with the reason) or READS (writes nothing). A new service missing from the tables fails
`test_every_public_service_is_in_a_table`, so the list stays complete. (The audit trail's
writer, `actors.audit_record`, is what these services call once their check has passed.)
"""

import datetime as dt
import inspect
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

import nightout
from nightout.accounts.models import Membership, Role, User
from nightout.errors import NotAllowed
from nightout.registry import imports
from nightout.registry import services as registry_services
from nightout.registry.actors import NEW_HOST, Actor
from nightout.registry.imports import apply as import_apply
from nightout.registry.imports import batches as import_batches
from nightout.registry.imports import check as import_check
from nightout.registry.imports import runs as import_runs
from nightout.registry.imports.faults import ImportRow
from nightout.registry.models import Event, EventStatus, Jurisdiction
from nightout.registry.services import (
    SeasonInput,
    event_approve,
    event_register,
    event_update,
    season_create,
)
from nightout.surveys import services as survey_services

pytestmark = pytest.mark.django_db

SPREADSHEET = ("Title,Address,Lat,Lng,Start,End,Host name,Email\n"
               "Oak Street Picnic,40 Oak Street,42.0690,-72.6170,18:00,20:30,Lee,lee@example.org\n")


@dataclass
class Party:
    """Someone without the right: as an `Actor` for services that take one, and as the
    signed-in user for the coordinator's services (a host has no account)."""

    name: str
    actor: Actor
    user: object


@dataclass
class World:
    season: object
    submitted: Event
    approved: Event  # with a host's change waiting
    version: str
    staged: object  # a web import's batch, checked, waiting to be applied
    rows: list
    response: object
    parties: list[Party]


@pytest.fixture
def world(season, coordinator, publish, event_input, at):
    palmer = Jurisdiction.objects.create(
        name="Palmer", slug="palmer", state="MA", time_zone="America/New_York",
        center_latitude=42.158, center_longitude=-72.328)
    season_create(jurisdiction=palmer, year=2017, slug="palmer-2017")
    elsewhere = User.objects.create_user("olive", password="pw")
    Membership.objects.create(user=elsewhere, role=Role.COORDINATOR, jurisdiction=palmer)
    nobody = User.objects.create_user("sam", password="pw")
    season_create(jurisdiction=season.jurisdiction, year=2018, slug="agawam-2018")  # to renew

    submitted = publish(title="Waiting Party", address="300 Elm Street, Agawam, MA",
                        approve=False)
    approved = publish(title="Approved Party", address="400 Elm Street, Agawam, MA")
    event_update(event=approved, actor=Actor.host(approved),
                 data=event_input(title="Renamed Party", address="400 Elm Street, Agawam, MA"))
    approved.refresh_from_db()
    other = publish(title="Another Party", address="500 Elm Street, Agawam, MA")
    rows = [ImportRow(line=2, data=event_input(title="Oak Street Picnic",
                                               address="40 Oak Street, Agawam, MA"))]
    staged = import_batches.batch_create(
        season=season, actor=Actor.of(coordinator), filename="e.csv", sheet="",
        mapping={"Title": "title"}, rows=rows, faults=[], unmapped=[])
    import_runs.batch_check_run(batch_id=staged.pk)
    staged.refresh_from_db()
    response = survey_services.response_submit(
        event=approved, answers={"respect": 4, "listen": 5, "safe": 3, "changed": "better",
                                 "come_again": "yes", "comment": "Great night"}, language="en",
        now=approved.starts_at + dt.timedelta(hours=1))
    return World(
        season=season, submitted=submitted, approved=approved,
        version=approved.pending_change.version, staged=staged, rows=rows,
        response=response,
        parties=[
            Party("a coordinator of another town", Actor.of(elsewhere), elsewhere),
            Party("a signed-in user with no role", Actor.of(nobody), nobody),
            Party("the host of another event", Actor.host(other), AnonymousUser()),
            Party("someone registering a new party", NEW_HOST, AnonymousUser()),
            Party("an anonymous actor", Actor("someone"), AnonymousUser()),
        ])


def _after_the_night(w):
    return w.approved.starts_at + dt.timedelta(hours=2)


# Service -> how to call it as `party` on `w`, a world where the call would otherwise succeed.
REFUSED = {
    "event_update": lambda w, p, event_input: event_update(
        event=w.approved, actor=p.actor, data=event_input(title="Taken Over")),
    "event_cancel": lambda w, p, _: registry_services.event_cancel(
        event=w.approved, actor=p.actor, reason="Not yours"),
    "event_restore": lambda w, p, _: registry_services.event_restore(event=w.approved,
                                                                     actor=p.actor),
    "event_move_to_rain_date": lambda w, p, _: registry_services.event_move_to_rain_date(
        event=w.approved, actor=p.actor),
    "event_renew": lambda w, p, _: registry_services.event_renew(event=w.approved,
                                                                 actor=p.actor),
    "host_report_submit": lambda w, p, _: registry_services.host_report_submit(
        event=w.approved, actor=p.actor, attendance=10, agency_ids=[], notes="", photos=[],
        now=_after_the_night(w)),
    "event_approve": lambda w, p, _: event_approve(event=w.submitted, user=p.user),
    "event_reject": lambda w, p, _: registry_services.event_reject(
        event=w.submitted, user=p.user, reason="Not yours"),
    "event_reopen": lambda w, p, _: registry_services.event_reopen(event=w.submitted,
                                                                   user=p.user),
    "events_review": lambda w, p, _: registry_services.events_review(
        events=[w.submitted], user=p.user, decision="approve"),
    "event_change_accept": lambda w, p, _: registry_services.event_change_accept(
        event=w.approved, user=p.user, version=w.version),
    "event_change_decline": lambda w, p, _: registry_services.event_change_decline(
        event=w.approved, user=p.user, reason="Not yours", version=w.version),
    "season_update": lambda w, p, _: registry_services.season_update(
        season=w.season, data=SeasonInput(rules={"notes": "Taken over"}), actor=p.actor),
    "season_start": lambda w, p, _: registry_services.season_start(
        jurisdiction=w.season.jurisdiction, year=2019, actor=p.actor),
    "events_import": lambda w, p, _: imports.events_import(
        season=w.season, filename="e.csv", content=SPREADSHEET.encode(), apply=True,
        actor=p.actor),
    "batch_upload": lambda w, p, _: imports.batch_upload(
        season=w.season, filename="e.csv", content=SPREADSHEET.encode(), actor=p.actor),
    "check.rows_check": lambda w, p, _: import_check.rows_check(
        season=w.season, rows=w.rows, actor=p.actor),
    "apply.rows_apply": lambda w, p, _: import_apply.rows_apply(
        season=w.season, rows=w.rows, actor=p.actor),
    "batches.batch_create": lambda w, p, _: import_batches.batch_create(
        season=w.season, actor=p.actor, filename="e.csv", sheet="", mapping={"Title": "title"},
        rows=w.rows, faults=[], unmapped=[]),
    "batches.batch_apply": lambda w, p, _: import_batches.batch_apply(batch=w.staged,
                                                                     actor=p.actor),
    "batches.batch_abandon": lambda w, p, _: import_batches.batch_abandon(batch=w.staged,
                                                                         actor=p.actor),
    "comment_moderate": lambda w, p, _: survey_services.comment_moderate(
        response=w.response, user=p.user, publish=True),
}

# Open to anyone by design, and why.
OPEN = {
    "event_register": "a new party: no account and no link yet; the coordinator's review "
                      "is the gate (see test_registering_is_open_and_grants_nothing_else)",
    "response_submit": "the anonymous trust survey, through the event's survey link",
    "host_links_request": "a host who lost the private link: the links are mailed only to the "
                          "address the host gave, and the one asking learns nothing",
    "summary_publish": "publishes the closed survey's figures once, the same for every "
                       "reader; nothing a visitor chooses changes them",
    "summaries_publish_due": "the same, for every season whose survey has closed",
    "season_create": "checks no one, so only code a site administrator runs may call it "
                     "(see test_season_create_is_called_by_no_page)",
    "activities_ensure_standard": "adds the standard activities when missing; same result "
                                  "whoever calls it",
    "public_points_refresh": "stores each event's public point as its own place gives it; "
                             "the same whoever calls it, and only `nightout public-points` "
                             "does",
    "batches.batches_purge": "empties staged rows that are done with or stale; the same "
                             "whoever calls it, and only `nightout purge` does",
    "runs.batch_check_run": "the check task's body, taking a batch's id: it acts as whoever "
                               "uploaded the batch, checked by rows_check",
    "runs.fail": "marks a batch failed by its id, dropping what it staged: called by the "
                 "tasks and by the queueing when their work fails",
    "runs.batch_apply_run": "the apply task's body, taking a batch's id: it acts as whoever "
                               "asked to apply the batch, checked by rows_apply",
}

# Public callables that write nothing.
READS = {"answers_cap", "survey_open", "registration_check", "season_rules_check",
         "check.check_importer", "check.row_key", "check.row_fingerprint",
         "check.rows_plan", "check.service_faults", "batches.batch_fault_lines",
         "check.row_merged", "event_as_input",
         "batches.batch_mapping",
         "batches.mapping_remembered", "batches.batches_stale"}


def _public_callables(module, prefix: str = "") -> set[str]:
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    return {
        prefix + name for name in names
        if inspect.isfunction(getattr(module, name))
        and getattr(module, name).__module__.startswith(module.__name__)
    }


def _database() -> dict:
    """Every row of the registry's and the survey's tables (audit trail included)."""
    models = [*apps.get_app_config("registry").get_models(),
              *apps.get_app_config("surveys").get_models()]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def test_every_public_service_is_in_a_table():
    found = set()
    for module in (registry_services, imports, survey_services):
        found |= _public_callables(module)
    for module in (import_check, import_apply, import_batches, import_runs):  # named by module: two
        found |= _public_callables(module, module.__name__.rsplit(".", 1)[1] + ".")  # twins
    listed = set(REFUSED) | set(OPEN) | READS
    assert found - listed == set(), "add these to REFUSED, OPEN or READS"
    assert listed - found == set(), "these are no longer services"


@pytest.mark.parametrize("service", sorted(REFUSED))
def test_a_service_refuses_whoever_lacks_the_right_and_changes_nothing(
        service, world, event_input):
    before = _database()
    for party in world.parties:
        with pytest.raises(NotAllowed):
            REFUSED[service](world, party, event_input)
        assert _database() == before, f"{service} as {party.name} changed the database"


def test_only_the_town_and_the_system_write_past_the_deadlines(world, event_input, coordinator):
    before = _database()
    for party in world.parties:
        with pytest.raises(NotAllowed):
            event_register(season=world.season, data=event_input(), actor=party.actor,
                           deadlines=False)
        assert _database() == before, party.name
    host = Actor.host(world.submitted)
    with pytest.raises(NotAllowed):
        event_update(event=world.submitted, actor=host, data=event_input(), deadlines=False)
    assert _database() == before
    for actor in (Actor.of(coordinator), Actor.system("import")):
        event_register(season=world.season, data=event_input(title=f"By {actor.label}"),
                       actor=actor, deadlines=False)
    assert Event.objects.filter(title__startswith="By ").count() == 2


def test_the_host_of_an_event_may_change_that_event(world, event_input):
    event = Event.objects.get(pk=world.submitted.pk)
    event_update(event=event, actor=Actor.host(event),
                 data=event_input(title="Waiting Party, Renamed",
                                  address="300 Elm Street, Agawam, MA"))
    assert Event.objects.get(pk=event.pk).title == "Waiting Party, Renamed"


def test_the_system_skips_the_checks_only_when_made_as_the_system(world, event_input):
    with pytest.raises(TypeError):
        Actor("system", is_system=True)
    with pytest.raises(TypeError):
        Actor("host", host_of=world.submitted.pk)
    lookalike = Actor("system")
    with pytest.raises(NotAllowed):
        registry_services.event_cancel(event=world.submitted, actor=lookalike)
    registry_services.event_cancel(event=world.submitted, actor=Actor.system("demo"))
    assert Event.objects.get(pk=world.submitted.pk).status == EventStatus.CANCELLED


def test_registering_is_open_and_grants_nothing_else(season, event_input, at):
    event = event_register(season=season, data=event_input(), actor=NEW_HOST,
                           submitted_at=at(7, 1))
    assert event.status == EventStatus.SUBMITTED  # waits for the coordinator
    with pytest.raises(NotAllowed):
        registry_services.event_cancel(event=event, actor=NEW_HOST)


def test_season_create_is_called_by_no_page():
    root = Path(nightout.__file__).parent
    allowed = {root / "registry" / "services" / "seasons.py",
               root / "registry" / "services" / "__init__.py"}
    callers = {
        path for path in root.rglob("*.py")
        if "season_create" in path.read_text() and path not in allowed
    }
    # The demo builds its towns as the system; nothing a visitor or a user reaches may call it.
    assert {p.relative_to(root).parts[0] for p in callers} <= {"demo"}
