"""Who may write what in the registry: the checks every service makes before it writes.

The rules of who may do what on a town's events are `nightout.accounts.permissions`; this
adds the two kinds of actor without an account: the system (trusted, see `actors`) and the
host of one event (by its private link)."""

from nightout.accounts.permissions import can_manage_season, can_review_event
from nightout.errors import NotAllowed
from nightout.registry.actors import Actor
from nightout.registry.models import Event, Season

NOT_ALLOWED = "You may not review events of {town}."
NOT_YOUR_EVENT = ("You may not change this event: open it from the private link we emailed "
                  "its host, or sign in as a coordinator of {town}.")
NOT_THE_TOWN = "Only a coordinator of {town} enters a party for its host."
NO_DEADLINE_WAIVER = ("Only a coordinator of {town} records registrations past the season's "
                      "deadlines.")


def check_reviewer(user, event: Event) -> None:
    """Approve, reject, or decide on a host's change: the town's coordinators."""
    if not can_review_event(user, event):
        raise NotAllowed(NOT_ALLOWED.format(town=event.season.jurisdiction.name))


def check_event_actor(actor: Actor, event: Event) -> None:
    """Edit, cancel, restore, renew or report on an event: the system, the host of that
    event (by its link), or a signed-in user who may review it. Anyone else is refused."""
    if actor.is_system or actor.is_host_of(event):
        return
    if actor.host_of is None and actor.user is not None and can_review_event(actor.user, event):
        return
    raise NotAllowed(NOT_YOUR_EVENT.format(town=event.season.jurisdiction.name))


def check_deadline_waiver(actor: Actor, season: Season) -> None:
    """Writing past the registration, visit and closure deadlines (an import of what the
    town already took): the system and the season's coordinators, never a host."""
    if actor.is_system or (actor.host_of is None and actor.user is not None
                           and can_manage_season(actor.user, season)):
        return
    raise NotAllowed(NO_DEADLINE_WAIVER.format(town=season.jurisdiction.name))


def check_town_entry(actor: Actor, season: Season) -> None:
    """Entering a party for its host (phoned or walked in): the system and the season's
    coordinators."""
    if actor.is_system or (actor.host_of is None and actor.user is not None
                           and can_manage_season(actor.user, season)):
        return
    raise NotAllowed(NOT_THE_TOWN.format(town=season.jurisdiction.name))
