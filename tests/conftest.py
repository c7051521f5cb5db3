"""Shared fixtures, and the rule for what a run may skip.

Some tests need Chromium or PostgreSQL. On a laptop without them they are skipped with the
reason shown in the summary (`-ra`). A run that must not skip them lists them in
NIGHTOUT_REQUIRE (for example `NIGHTOUT_REQUIRE="chromium postgresql"`, as .ci/run does):
then their absence fails the test instead.
"""

import os
import shutil

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests draw the same examples on every run and keep none on disk: a run that
# fails on one machine fails on every machine, and CI never fails by the draw.
hypothesis_settings.register_profile("nightout", derandomize=True, database=None)
hypothesis_settings.load_profile("nightout")

# Playwright's sync API runs an event loop in the test thread; the live server's database
# calls from that thread are safe because they are not concurrent.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRED = set(os.environ.get("NIGHTOUT_REQUIRE", "").replace(",", " ").split())
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def require(what: str, available: bool, reason: str) -> None:
    """Skip (or, when `what` is in NIGHTOUT_REQUIRE, fail) a test whose `what` is missing."""
    if available:
        return
    if what in REQUIRED:
        pytest.fail(f"{reason}, and NIGHTOUT_REQUIRE says this run must have {what}.")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _nothing_kept_by_the_finder():
    """The finder's cache is keyed by the newest ids, which start again after a rolled-back
    test: each test starts and ends with it empty."""
    from django.core.cache import caches

    from nightout.finder.caching import forget_data_version

    caches["finder"].clear()
    forget_data_version()
    yield
    caches["finder"].clear()
    forget_data_version()


def pytest_configure(config):
    from django.conf import settings

    # Tests serve static files from the source folders, without a collected manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Hashing passwords at full strength would dominate the suite's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # No collected static folder in tests: whitenoise serves from the finders.
    settings.STATIC_ROOT = None
    settings.WHITENOISE_USE_FINDERS = True
    if not settings._wrapped.SECRET_KEY:
        settings.SECRET_KEY = "only-for-the-test-suite"


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return next(filter(None, map(shutil.which, CHROMIUM_CANDIDATES)), None)


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    require("chromium", path is not None,
            "Chromium is not installed (apt install chromium, or set CHROMIUM_PATH)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab; `page.goto("/")` opens the live server's home page."""
    context = chromium.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@pytest.fixture
def on_postgresql():
    from django.db import connection

    require("postgresql", connection.vendor == "postgresql",
            "the suite is running on SQLite (set DATABASE_URL to a PostgreSQL database)")


@pytest.fixture
def jurisdiction(db):
    from nightout.registry.models import Jurisdiction

    return Jurisdiction.objects.create(
        name="Agawam", slug="agawam", state="MA", time_zone="America/New_York",
        center_latitude=42.0695, center_longitude=-72.6148,
    )


@pytest.fixture
def season(jurisdiction):
    from nightout.registry.services import season_create

    return season_create(jurisdiction=jurisdiction, year=2017, slug="agawam-2017")


@pytest.fixture
def make_event(season):
    """Build an event in `season` (or another), with sensible defaults, and its stored
    public point as the services keep it."""
    from nightout.finder.places import public_point_refresh
    from nightout.registry.models import Event

    def make(**fields):
        target = fields.pop("season", season)
        values = {
            "season": target,
            "title": "Elm Street Block Party",
            "address": "12 Elm Street, Agawam, MA",
            "latitude": 42.07,
            "longitude": -72.61,
            "starts_at": target.starts_at,
            "ends_at": target.ends_at,
            "submitted_at": target.at(target.nno_date.replace(month=7, day=1),
                                      target.default_start),
            **fields,
        }
        event = Event(**values)
        public_point_refresh(event)
        event.save()
        return event

    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def event_input():
    """A valid registration for the `season` fixture (Agawam, 1 August 2017); override with
    keyword arguments, e.g. `event_input(visits=["police"])`."""
    import datetime as dt

    from nightout.registry.services import EventInput, HostInput

    def make(**fields):
        values = {
            "title": "Elm Street Block Party",
            "address": "120 Elm Street, Agawam, MA",
            "postal_code": "01001",
            "latitude": 42.0702,
            "longitude": -72.6155,
            "starts": dt.time(17),
            "ends": dt.time(20, 30),
            "host": HostInput(name="Pat Host", email="pat@example.org", phone="413-555-0100"),
            **fields,
        }
        return EventInput(**values)

    return make


@pytest.fixture
def at(season):
    """A moment in the season's zone: at(7, 13, 23, 59) is 13 July, 23:59 local."""
    import datetime as dt

    def moment(month, day, hour=12, minute=0):
        return season.at(dt.date(season.year, month, day), dt.time(hour, minute))

    return moment


@pytest.fixture
def coordinator(season):
    from nightout.accounts.models import Membership, Role, User

    user = User.objects.create_user("casey", password="pw", first_name="Casey")
    Membership.objects.create(user=user, role=Role.COORDINATOR, jurisdiction=season.jurisdiction)
    return user


@pytest.fixture
def police(jurisdiction):
    """Agawam's police, with one station (its headquarters)."""
    from nightout.registry.models import Agency, AgencyKind, Station

    agency = Agency.objects.create(name="Agawam Police", slug="agawam-police",
                                   kind=AgencyKind.LOCAL_POLICE, jurisdiction=jurisdiction)
    Station.objects.create(agency=agency, name="HQ", latitude=42.070, longitude=-72.615)
    return agency


@pytest.fixture
def fire(jurisdiction):
    """Agawam's fire department, with one station."""
    from nightout.registry.models import Agency, AgencyKind, Station

    agency = Agency.objects.create(name="Agawam Fire", slug="agawam-fire",
                                   kind=AgencyKind.FIRE, jurisdiction=jurisdiction)
    Station.objects.create(agency=agency, name="Station 1", latitude=42.072, longitude=-72.610)
    return agency


@pytest.fixture
def publish(season, event_input, coordinator, at):
    """Register an event with a unique host (name, email, phone) and approve it."""
    import datetime as dt

    from nightout.registry.services import HostInput, event_approve, event_register

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
