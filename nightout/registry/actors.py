"""Who is writing, and the audit trail that records it.

Every service takes an `Actor`. There are three kinds, and only one of them is trusted:

- `Actor.of(user)`: a signed-in person; every service checks what that user may do.
- `HOST`: the host of an event, who proves it with the private link, not with an account. A host
  may edit and cancel their own event (the link's view checks the link) and nothing else; a
  host's edit of an approved event's public side waits for the coordinator.
- `Actor.system(label)`: the project itself, made only by code a site administrator runs: the
  command line, the demo, a spreadsheet import by command, the re-plan worker. It skips the
  permission checks, because no person is behind it to check.

An Actor made without a user and without `system` is neither trusted nor a person: every check
that needs a user refuses it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from nightout.registry.models import AuditEntry, Event, Season


@dataclass(frozen=True)
class Actor:
    """Who is writing: a signed-in user, the host by their link, or the system itself."""

    label: str
    user: Any = None
    is_system: bool = False

    @classmethod
    def of(cls, user) -> Actor:
        """A signed-in person, checked by every service."""
        return cls(label=user.get_username(), user=user)

    @classmethod
    def system(cls, label: str) -> Actor:
        """The project itself (command line, demo, import, worker): skips permission checks."""
        return cls(label=label, is_system=True)


HOST = Actor("host")


def audit_record(
    *, actor: Actor, season: Season, action: str, event: Event | None = None,
    changes: dict | None = None, note: str = "", at: dt.datetime | None = None,
) -> AuditEntry:
    """One line of the audit trail: who (`actor`), what, when, on which season and event."""
    return AuditEntry.objects.create(
        at=at or timezone.now(), actor=actor.user, actor_label=actor.label, season=season,
        event=event, action=action, changes=changes or {}, note=note,
    )
