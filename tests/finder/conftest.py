"""Public events built through the real registration and approval services."""

import datetime as dt

import pytest
from django.core.cache import cache

from nightout.registry.services import HostInput, event_approve, event_register


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing kept: ids start again after a rolled-back test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish(season, event_input, coordinator, at):
    """Register an event with a unique host (name, email, phone) and approve it."""
    counter = iter(range(1000))

    def make(*, approve=True, **fields):
        n = next(counter)
        host = HostInput(name=f"Hidden Host{n:03d}", email=f"host{n:03d}.secret@example.org",
                         phone=f"413-555-{7100 + n:04d}")
        event = event_register(season=season, data=event_input(host=host, **fields),
                               submitted_at=at(7, 1) + dt.timedelta(minutes=n))
        if approve:
            event = event_approve(event=event, user=coordinator)
        return event

    return make


@pytest.fixture
def home_party(publish):
    """A party at a private home: its address must never be public."""
    return publish(title="Quiet Lane Potluck", address="1234 Quiet Lane, Agawam, MA",
                   latitude=42.071234, longitude=-72.618765, activities=["music"],
                   accessibility_notes="Ramp at the side gate.")


@pytest.fixture
def park_event(publish):
    """A community event at a park whose organizers publish the address."""
    return publish(title="Robinson Park Night Out", kind="community_event",
                   venue="Robinson Park", address="1 Robinson Park Road, Agawam, MA",
                   latitude=42.0655, longitude=-72.6300, is_private_home=False,
                   show_exact_location=True, activities=["free-food"])
