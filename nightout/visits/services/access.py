"""Who may write: the one check every visits service makes before it writes."""

from __future__ import annotations

from nightout.errors import NotAllowed
from nightout.registry.actors import Actor

NOT_ALLOWED = "You may not do this for {what}."


def require(allowed: bool, what, actor: Actor | None = None) -> None:
    """Refuse (`NotAllowed`) unless allowed. Only the system itself (`Actor.system`: the command
    line, the demo, the worker) skips the check; views always pass the signed-in user."""
    if actor is not None and actor.is_system:
        return
    if not allowed:
        raise NotAllowed(NOT_ALLOWED.format(what=what))
