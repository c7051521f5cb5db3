"""Who is writing, and the audit trail that records it.

Every service takes an `Actor` (or, for the coordinator's own screens, the signed-in user).
There are four kinds, and only one of them is trusted:

- `Actor.of(user)`: a signed-in person; every service checks what that user may do.
- `Actor.host(event)`: the host of one event, who proves it with the private link, not with an
  account. Only the link's view makes it, after checking the link. It may edit, cancel,
  restore, renew and report on that one event, and nothing else; its edit of an approved
  event's public side waits for the coordinator.
- `NEW_HOST`: someone registering a new party. Registration is open to anyone by design, so
  this actor is trusted with nothing else: every other service refuses it.
- `Actor.system(label)`: the project itself, made only by code a site administrator runs: the
  command line, the demo, a spreadsheet import by command, the re-plan worker. It skips the
  permission checks, because no person is behind it to check.

An Actor made any other way (`Actor("someone")`) is neither trusted nor a person: every check
refuses it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from nightout.registry.models import AuditEntry, Event, Jurisdiction, Season


@dataclass(frozen=True)
class Actor:
    """Who is writing: a signed-in user, the host of one event by its link, or the system."""

    label: str
    user: Any = None
    # Set only by `system` and `host`: no caller can make a trusted actor by a keyword.
    is_system: bool = field(default=False, init=False)
    host_of: int | None = field(default=None, init=False)  # the one event a host acts on

    @classmethod
    def of(cls, user) -> Actor:
        """A signed-in person, checked by every service."""
        return cls(label=user.get_username(), user=user)

    @classmethod
    def host(cls, event: Event) -> Actor:
        """The host of `event`, proven by its private link: made only by the link's views,
        after checking the link. It may act on that event alone."""
        if event.pk is None:
            raise ValueError("A host acts on a saved event.")
        actor = cls(label="host")
        object.__setattr__(actor, "host_of", event.pk)
        return actor

    @classmethod
    def system(cls, label: str) -> Actor:
        """The project itself (command line, demo, import, worker): skips permission checks."""
        actor = cls(label=label)
        object.__setattr__(actor, "is_system", True)
        return actor

    def is_host_of(self, event: Event) -> bool:
        """Whether this is the host of `event` (by its link), not of another event."""
        return self.host_of is not None and self.host_of == event.pk


# Someone registering a new party: anyone may (`event_register`); it may do nothing else.
NEW_HOST = Actor("host")


def audit_record(
    *, actor: Actor, season: Season | None, action: str, event: Event | None = None,
    changes: dict | None = None, note: str = "", at: dt.datetime | None = None,
    jurisdiction: Jurisdiction | None = None,
) -> AuditEntry:
    """One line of the audit trail: who (`actor`), what, when, on which season and event (or,
    for a town's own settings, on which town and no season)."""
    return AuditEntry.objects.create(
        at=at or timezone.now(), actor=actor.user, actor_label=actor.label, season=season,
        jurisdiction=jurisdiction, event=event, action=action, changes=changes or {}, note=note,
    )
