"""Writing an import's rows: all of them in one transaction, or none.

The rows are checked again first (`check.rows_plan`: the database may have changed since
the coordinator's check), inside the transaction that writes them. With any fault nothing is
written. Otherwise each new row is written as `event_register` writes a registration (the
event, its host contact, its activities, visit requests and closure, its place on the block,
one audit entry "registered" from source "import"), but table by table in bulk, so that
thousands of rows take seconds; each changed row goes through the service's update path
(`event_update`, audited); an unchanged row is not touched. A crash part way leaves nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from nightout.errors import Invalid
from nightout.registry.actors import Actor
from nightout.registry.imports.check import (
    Outcome,
    Plan,
    check_importer,
    rows_plan,
    service_faults,
)
from nightout.registry.imports.faults import ImportRow
from nightout.registry.models import (
    AuditEntry,
    Closure,
    Event,
    EventStatus,
    HostContact,
    Season,
    VisitRequest,
)
from nightout.registry.services import event_update
from nightout.registry.services.events import registered_changes

# Rows per INSERT: well under SQLite's limit on a statement's parameters.
BATCH_SIZE = 400


def rows_apply(*, season: Season, rows: list[ImportRow], actor: Actor) -> Outcome:
    """Check the rows again and, only when none has a fault, write every new and changed row
    in one transaction. For the season's coordinators and the system; anyone else is refused
    before anything is read."""
    check_importer(actor, season)
    with transaction.atomic():
        # One import of a season at a time: a second waits for the first to commit.
        season = Season.objects.select_for_update().select_related("jurisdiction").get(
            pk=season.pk)
        plan = rows_plan(season=season, rows=rows)
        outcome = plan.outcome
        if outcome.faults:
            return outcome
        _create(season, plan, actor)
        for row, pk, fingerprint in plan.updates:
            try:
                event_update(event=Event(pk=pk), data=row.data, actor=actor, deadlines=False)
            except Invalid as exc:
                outcome.faults.extend(service_faults(season, row, exc.message_dict))
                continue
            Event.objects.filter(pk=pk).update(import_fingerprint=fingerprint)
        if outcome.faults:
            transaction.set_rollback(True)
            return outcome
        outcome.applied = True
    return outcome


def _create(season: Season, plan: Plan, actor: Actor) -> None:
    """Write the new rows' events and everything that hangs on them, table by table."""
    registrations = plan.registrations
    if not registrations:
        return
    events = Event.objects.bulk_create([r.event for r in registrations], batch_size=BATCH_SIZE)
    for registration, event in zip(registrations, events, strict=True):
        registration.host.event = event  # the event has its id now
        if registration.closure is not None:
            registration.closure.event = event
    HostContact.objects.bulk_create([r.host for r in registrations], batch_size=BATCH_SIZE)
    Through = Event.activities.through
    Through.objects.bulk_create(
        [Through(event_id=r.event.pk, activity_id=activity.pk)
         for r in registrations for activity in r.derived["activities"]],
        batch_size=BATCH_SIZE)
    VisitRequest.objects.bulk_create(
        [VisitRequest(event=r.event, unit_kind=kind, requested_at=r.at,
                      preferred_time=r.data.visit_times.get(kind))
         for r in registrations for kind in dict.fromkeys(r.data.visits)],
        batch_size=BATCH_SIZE)
    Closure.objects.bulk_create([r.closure for r in registrations if r.closure is not None],
                                batch_size=BATCH_SIZE)
    if season.one_event_per_block:
        Event.objects.bulk_update(_same_block(plan), ["same_block_as"], batch_size=BATCH_SIZE)
    # Dated when imported; when the list says the party registered is among the changes.
    imported = timezone.now()
    AuditEntry.objects.bulk_create(
        [AuditEntry(at=imported, actor=actor.user, actor_label=actor.label, season=season,
                    event=r.event, action="registered",
                    changes=registered_changes("import", submitted_at=r.at))
         for r in registrations],
        batch_size=BATCH_SIZE)


def _same_block(plan: Plan) -> list[Event]:
    """The new events with an earlier registration on their block (`same_block_as`), as
    registering them one by one in the file's order would find it: the first, by time of
    registration, of the season's active events and of the file's earlier rows."""
    inactive = (EventStatus.REJECTED, EventStatus.CANCELLED)
    first: dict[str, tuple] = {}  # block -> (submitted_at, pk) of its first active event
    for event in plan.existing:
        if event["block_key"] and event["status"] not in inactive:
            mark = (event["submitted_at"], event["pk"])
            first[event["block_key"]] = min(first.get(event["block_key"], mark), mark)
    flagged = []
    for registration in plan.registrations:
        event = registration.event
        if not event.block_key:
            continue
        mark = (event.submitted_at, event.pk)
        earlier = first.get(event.block_key)
        if earlier is not None:
            event.same_block_as_id = earlier[1]
            flagged.append(event)
        first[event.block_key] = min(earlier or mark, mark)
    return flagged
