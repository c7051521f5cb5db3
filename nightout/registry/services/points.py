"""The events' stored public points (`Event.public_latitude`, `public_longitude`), which the
finder searches. Each service that writes an event's place keeps its point; this puts every
event's point right again after the fuzzing's key changed (a new SECRET_KEY)."""

from django.db import transaction

from nightout.finder.places import public_point_refresh
from nightout.registry.models import Event

BATCH_SIZE = 1000


@transaction.atomic
def public_points_refresh() -> int:
    """Work out every event's public point again and store those that moved; how many moved.
    Run after SECRET_KEY changes (`nightout public-points`)."""
    moved = []
    fields = ("pk", "latitude", "longitude", "is_private_home", "show_exact_location",
              "block_key", "public_latitude", "public_longitude")
    for event in Event.objects.only(*fields).order_by("pk").iterator(chunk_size=BATCH_SIZE):
        if public_point_refresh(event):
            moved.append(event)
    Event.objects.bulk_update(moved, ["public_latitude", "public_longitude"],
                              batch_size=BATCH_SIZE)
    return len(moved)
