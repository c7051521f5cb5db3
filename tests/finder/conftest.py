"""Public events built through the real registration and approval services."""


import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing kept: ids start again after a rolled-back test."""
    cache.clear()
    yield
    cache.clear()


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
