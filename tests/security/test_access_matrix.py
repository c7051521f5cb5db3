"""Every URL, requested as every role: exactly the roles in the table get in.

The table below is the specification. Every URL pattern the site serves must have a row (a
test walks the resolver and fails on one that has none), so a new page cannot go unclassified.
Each row's URL is built from the world in conftest.py: Lakeport's season, its police car and
fire engine, the host's party, the plan's stop.

A role is let in when the page answers 200 or redirects to a page (not to a sign-in); it is
kept out when it gets 401, 403, 404 or 405, or is sent to sign in. A role that is kept out of a
page is also kept out when it posts to it.

The roles: `anonymous` (no account, no link); `host` (no account, with the private link of
their own party: on the manage pages they use it, and every other role tries a forged one);
`crew` and `liaison` of the Lakeport Police Department; `other_coordinator` of Chicopee;
`coordinator` of Lakeport; `organizer` of Western Massachusetts (Lakeport's region); `admin`
(a site administrator and staff).
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from nightout.registry.links import SALT
from tests.security.conftest import ROLES

pytestmark = pytest.mark.django_db

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous", "host"}
HOST = frozenset({"host"})
TOWN = frozenset({"coordinator", "admin"})              # can_manage_season
TOWN_AND_ITS_AGENCIES = TOWN | {"liaison"}              # can_view_official_lists
POLICE_SCHEDULE = TOWN | {"liaison", "crew"}            # can_view_agency_schedule(police)
FIRE_SCHEDULE = TOWN                                    # not the police's crew or liaison
REGION = frozenset({"organizer", "admin"})              # can_view_region
STAFF = frozenset({"admin"})                            # /admin/
NOBODY = frozenset()                                    # nobody signed in or not (the API's agency
                                                        # operations take an agency token)


@dataclass(frozen=True)
class Row:
    name: str                       # the URL pattern's name
    allowed: frozenset              # the roles let in
    args: dict = field(default_factory=dict)  # URL arguments: attributes of the world
    query: str = ""
    method: str = "GET"
    note: str = ""                  # tells apart two rows of one pattern
    data: dict = field(default_factory=dict)  # what a POST sends
    ok: frozenset = frozenset({200})  # what "let in" answers (besides a redirect to a page)


MATRIX = [
    # -- the public site: the finder, feeds and widget
    Row("finder:search", EVERYONE),
    Row("finder:event", EVERYONE, {"pk": "event.pk"}),
    Row("finder:event_ics", EVERYONE, {"pk": "event.pk"}),
    Row("finder:event", NOBODY, {"pk": "waiting.pk"}, note="not approved yet"),
    Row("finder:event_ics", NOBODY, {"pk": "waiting.pk"}, note="not approved yet"),
    Row("finder:map_points", EVERYONE),
    Row("finder:events_geojson", EVERYONE),
    Row("finder:search_ics", EVERYONE),
    Row("finder:events_atom", EVERYONE),
    Row("finder:season_atom", EVERYONE, {"slug": "season.slug"}),
    Row("finder:season_ics", EVERYONE, {"slug": "season.slug"}),
    Row("finder:town_ics", EVERYONE, {"slug": "town.slug"}),
    Row("finder:event_image", EVERYONE, {"pk": "event.pk"}),
    Row("finder:event_image", NOBODY, {"pk": "waiting.pk"}, note="not approved yet"),
    Row("finder:site_image", EVERYONE),
    Row("finder:robots", EVERYONE),
    Row("finder:sitemap", EVERYONE),
    Row("finder:sitemap_events", EVERYONE, {"chunk": "zero"}),
    Row("finder:widget_snippets", EVERYONE),
    Row("finder:widget", EVERYONE, {"slug": "town.slug"}),
    Row("healthz", EVERYONE),
    # -- registration, and the host's private link
    Row("registry:home", EVERYONE),
    Row("registry:register_index", EVERYONE),
    Row("registry:register", EVERYONE, {"slug": "season.slug"}),
    Row("registry:postal_code_place", EVERYONE, {"slug": "season.slug"}, query="code=55401"),
    Row("registry:link_request", EVERYONE),
    Row("registry:manage", HOST, {"token": "host_token"}),
    Row("registry:manage_edit", HOST, {"token": "host_token"}),
    Row("registry:manage_rain_date", HOST, {"token": "host_token"}),
    Row("registry:manage_report", HOST, {"token": "host_token"}),
    # -- the coordinator's screens
    Row("registry:review_seasons", SIGNED_IN),
    Row("registry:queue", TOWN, {"slug": "season.slug"}),
    Row("registry:review_event", TOWN, {"slug": "season.slug", "pk": "event.pk"}),
    Row("registry:review_rain_date", TOWN, {"slug": "season.slug", "pk": "event.pk"}),
    Row("registry:review_event_new", TOWN, {"slug": "season.slug"}),
    Row("registry:review_event_edit", TOWN, {"slug": "season.slug", "pk": "event.pk"}),
    Row("registry:review_event", TOWN, {"slug": "season.slug", "pk": "waiting.pk"},
        note="waiting for approval"),
    Row("registry:official_list", TOWN_AND_ITS_AGENCIES,
        {"slug": "season.slug", "which": "police_list"}),
    Row("registry:official_list", TOWN_AND_ITS_AGENCIES,
        {"slug": "season.slug", "which": "police_list"}, query="format=csv", note="CSV"),
    Row("registry:import", TOWN, {"slug": "season.slug"}),
    Row("registry:season_settings", TOWN, {"slug": "season.slug"}),
    Row("registry:people", TOWN_AND_ITS_AGENCIES, {"slug": "season.slug"}),
    Row("registry:towns", TOWN | {"other_coordinator", "organizer"},
        note="the towns each sets up: their own, or their region's"),
    Row("registry:town_new", REGION),
    Row("registry:town", TOWN | {"organizer"}, {"slug": "town.slug"},
        note="the town's coordinators and the organizers of its region"),
    Row("registry:season_new", TOWN | {"other_coordinator"},
        note="each coordinator, for their own towns"),
    Row("registry:season_new", TOWN | {"other_coordinator"}, query="town=lakeport",
        note="Chicopee's coordinator is offered Chicopee only"),
    Row("registry:import_template", TOWN, {"slug": "season.slug", "kind": "xlsx"}),
    Row("registry:import_template", TOWN, {"slug": "season.slug", "kind": "csv"}, note="CSV"),
    Row("registry:import_batch", TOWN, {"slug": "season.slug", "pk": "batch.pk"}),
    Row("registry:import_batch_faults", TOWN, {"slug": "season.slug", "pk": "batch.pk"}),
    Row("registry:import_batch_apply", TOWN, {"slug": "season.slug", "pk": "batch.pk"},
        method="POST"),
    Row("registry:import_batch_abandon", TOWN, {"slug": "season.slug", "pk": "batch.pk"},
        method="POST"),
    # -- the trust pulse
    Row("surveys:answer", EVERYONE, {"token": "survey_token"}),
    Row("surveys:poster", EVERYONE, {"pk": "event.pk"}),
    Row("surveys:answer", NOBODY, {"token": "waiting_survey_token"}, note="not approved yet"),
    Row("surveys:poster", NOBODY, {"pk": "waiting.pk"}, note="not approved yet"),
    Row("surveys:results", EVERYONE, {"slug": "season.slug"}),
    Row("surveys:moderate", TOWN, {"slug": "season.slug"}),
    # -- reports
    Row("reports:season", TOWN | REGION, {"slug": "season.slug"},
        note="and the organizers of its region, from their roll-up"),
    Row("reports:awards", TOWN, {"slug": "season.slug"},
        note="the town's coordinators: it holds the hosts' photos"),
    Row("reports:season", TOWN | REGION, {"slug": "season.slug"}, query="format=csv",
        note="CSV"),
    Row("reports:region", REGION, {"slug": "region.slug"}),
    Row("reports:region", REGION, {"slug": "region.slug"}, query="format=csv", note="CSV"),
    Row("reports:transparency_index", EVERYONE),
    Row("reports:transparency", EVERYONE, {"slug": "region.slug"}),
    Row("reports:photo", TOWN, {"pk": "photo.pk"}),
    # -- visits and the night
    Row("visits:index", SIGNED_IN),
    Row("visits:service_worker", EVERYONE),
    Row("visits:plan", TOWN, {"season": "season.slug"}),
    Row("visits:version", TOWN, {"season": "season.slug", "number": "version.number"}),
    Row("visits:units", POLICE_SCHEDULE, {"season": "season.slug"}),
    Row("visits:units_sheet", TOWN_AND_ITS_AGENCIES, {"season": "season.slug"},
        note="a liaison adds their own agency's units"),
    Row("visits:agencies", TOWN_AND_ITS_AGENCIES, {"season": "season.slug"}),
    Row("visits:agency", TOWN_AND_ITS_AGENCIES,
        {"season": "season.slug", "agency": "car.agency.slug"}, note="the police"),
    Row("visits:agency", TOWN, {"season": "season.slug", "agency": "engine.agency.slug"},
        note="the fire department: not the police's liaison"),
    Row("visits:station", TOWN_AND_ITS_AGENCIES,
        {"season": "season.slug", "station": "car.start_station.pk"}, note="the police's"),
    Row("visits:board", TOWN_AND_ITS_AGENCIES, {"season": "season.slug"},
        note="a liaison sees their agency's units on it, and re-plans nothing"),
    *(Row(f"visits:{page}", POLICE_SCHEDULE, {"season": "season.slug", "unit": "car.pk"},
          note="police car")
      for page in ("itinerary", "run_sheet", "phone", "calendar")),
    *(Row(f"visits:{page}", FIRE_SCHEDULE, {"season": "season.slug", "unit": "engine.pk"},
          note="fire engine")
      for page in ("itinerary", "run_sheet", "phone", "calendar")),
    Row("visits:unit_edit", TOWN | {"liaison"}, {"season": "season.slug", "unit": "car.pk"},
        note="police car: its agency's liaison too, not its crew"),
    Row("visits:unit_edit", TOWN, {"season": "season.slug", "unit": "engine.pk"},
        note="fire engine"),
    Row("visits:report", POLICE_SCHEDULE, {"stop": "stop.pk"}, method="POST",
        data={"status": "arrived"}, note="a crew's tap on the police car's stop"),
    # -- accounts
    Row("accounts:login", EVERYONE),
    Row("accounts:logout", EVERYONE, method="POST"),
    Row("accounts:me", SIGNED_IN),
    Row("accounts:landing", SIGNED_IN),
    Row("accounts:invitation", EVERYONE, {"token": "forged_invitation"}, ok=frozenset({410}),
        note="a made-up link: the page that says what to do"),
    Row("accounts:password_reset", EVERYONE),
    Row("accounts:password_reset_done", EVERYONE),
    Row("accounts:password_reset_confirm", EVERYONE, {"uidb64": "forged_uid", "token": "forged"},
        note="a made-up link: the page that says so"),
    Row("accounts:password_reset_complete", EVERYONE),
    # -- the JSON API: public reads and registration; agency operations need an agency token,
    #    which no session role carries
    Row("api:api-root", NOBODY, note="no page at /api/ itself"),
    Row("api:openapi-json", EVERYONE),
    Row("api:openapi-view", EVERYONE),
    Row("api:event_search", EVERYONE),
    Row("api:event_detail", EVERYONE, {"event_id": "event.pk"}),
    Row("api:season_list", EVERYONE),
    Row("api:season_detail", EVERYONE, {"slug": "season.slug"}),
    Row("api:registration_create", EVERYONE, {"slug": "season.slug"}, method="POST",
        ok=frozenset({422}), note="an empty body reaches validation"),
    Row("api:unit_list", NOBODY),
    Row("api:unit_itinerary", NOBODY, {"unit_id": "car.pk"}),
    Row("api:plan_summary", NOBODY, {"slug": "season.slug"}),
    # -- the administration, one group: staff only
    Row("admin:index", STAFF),
    Row("admin:registry_event_changelist", STAFF),
    Row("admin:registry_event_change", STAFF, {"object_id": "event.pk"}),
    Row("admin:accounts_user_changelist", STAFF),
]

ADMIN_PREFIX = "admin/"


def _patterns(patterns, prefix="", namespace=""):
    """(route, name) of every URL pattern the site serves; /admin/ as one group."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route == ADMIN_PREFIX:
                yield route, "admin:*"
                continue
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (namespace + pattern.name) if pattern.name else route


def test_every_url_pattern_has_a_row_in_the_table():
    patterns = list(_patterns(get_resolver().url_patterns))
    shared = sorted(name for name, n in Counter(name for _, name in patterns).items() if n > 1)
    assert not shared, f"one name for several URL patterns (the table tells them by name): {shared}"
    served = {name: route for route, name in patterns}
    assert "admin:*" in served, "the administration should be served at /admin/"
    in_table = {row.name for row in MATRIX}
    missing = sorted(f"{name}  ({route})" for name, route in served.items()
                     if name != "admin:*" and name not in in_table)
    assert not missing, ("URL patterns with no row in the access table; add one saying who "
                         "may open each:\n  " + "\n  ".join(missing))
    stale = sorted(name for name in in_table
                   if not name.startswith("admin:") and name not in served)
    assert not stale, f"rows for URL patterns the site no longer serves: {stale}"


def _value(world, path: str, role: str):
    if path == "host_token" and role != "host":
        return _forged_token(world)
    if path == "zero":
        return 0
    if path == "police_list":
        return "police"
    if path in ("csv", "xlsx"):  # the import template's kind
        return path
    if path == "forged_invitation":
        return "not-an-invitation"
    if path in ("forged_uid", "forged"):  # a password reset link nobody was sent
        return {"forged_uid": "MQ", "forged": "cw1lpk-0123456789abcdef0123456789abcdef"}[path]
    obj = world
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _forged_token(world) -> str:
    """A link for the host's party made without the site's key."""
    return signing.dumps({"e": world.event.pk, "s": world.event.manage_secret}, salt=SALT,
                         key="guessed-" + "x" * 40, compress=True)


def _url(world, row: Row, role: str) -> str:
    url = reverse(row.name, kwargs={k: _value(world, v, role) for k, v in row.args.items()})
    return url + (f"?{row.query}" if row.query else "")


def _sign_in_pages():
    return {reverse("accounts:login"), reverse("admin:login")}


def _let_in(row: Row, response) -> bool | None:
    """True (let in), False (kept out) or None (neither: an error)."""
    status = response.status_code
    if status in row.ok:
        return True
    if status in (301, 302, 303):
        return urlsplit(response["Location"]).path not in _sign_in_pages()
    if status in (401, 403, 404, 405):
        return False
    return None


def _request(client, method: str, url: str, data: dict | None = None):
    if method == "POST" and url.startswith("/api/"):
        return client.post(url, data or {}, content_type="application/json")
    if method == "POST":
        return client.post(url, data or {})
    return client.get(url)


def _describe(let_in: bool | None) -> str:
    return {True: "let in", False: "kept out", None: "an error"}[let_in]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_the_table_allows(client, world, role):
    user = world.users.get(role)
    wrong = []
    for row in MATRIX:
        if user is not None:
            client.force_login(user)
        url = _url(world, row, role)
        response = _request(client, row.method, url, row.data)
        expected = role in row.allowed
        got = _let_in(row, response)
        if got is not expected:
            wrong.append(f"{row.method} {url} ({row.name}{', ' + row.note if row.note else ''})"
                         f": {response.status_code}, {_describe(got)}; the table says "
                         f"{_describe(expected)}")
        if not expected:
            posted = _request(client, "POST", url)
            if _let_in(row, posted) is not False:
                wrong.append(f"POST {url} ({row.name}): {posted.status_code}; a role kept out "
                             "of a page must be kept out of posting to it too")
    assert not wrong, f"as {role}:\n  " + "\n  ".join(wrong)


def test_a_host_link_opens_its_own_party_and_no_other(client, world):
    from nightout.registry.links import manage_url

    own = client.get(manage_url(world.event))
    assert own.status_code == 200
    assert world.event.title in own.content.decode()
    assert world.other_event.title not in own.content.decode()
    # The other party's number in a link signed for this one: a new signature is needed, and
    # even one made with the site's key carries the wrong party's secret.
    payload = {"e": world.other_event.pk, "s": world.event.manage_secret}
    swapped = signing.dumps(payload, salt=SALT, compress=True)
    for token in (swapped, _forged_token(world)):
        for page in ("registry:manage", "registry:manage_edit", "registry:manage_report"):
            response = client.get(reverse(page, args=[token]))
            assert response.status_code == 404, page
            assert world.other_event.title not in response.content.decode()


def test_a_host_link_cannot_post_to_another_party(client, world):
    payload = {"e": world.other_event.pk, "s": world.event.manage_secret}
    token = signing.dumps(payload, salt=SALT, compress=True)
    response = client.post(reverse("registry:manage", args=[token]), {"action": "cancel"})
    assert response.status_code == 404
    world.other_event.refresh_from_db()
    assert world.other_event.status == "approved"


def test_a_crew_cannot_report_a_stop_of_another_agency(client, world):
    """Refused for the unit's agency first, whatever the tap says."""
    from nightout.visits.models import Stop

    fire_stop = Stop.objects.create(
        version=world.version, unit=world.engine, event=world.other_event, kind="fire",
        order=1, arrival=world.stop.arrival, start=world.stop.start,
        departure=world.stop.departure)
    client.force_login(world.users["crew"])
    for tap in ({"status": "done"}, {"status": "nonsense"}, {"status": "done", "unit": "x"}):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(reverse("visits:report", args=[fire_stop.pk]), tap,
                                   headers=headers)
            assert response.status_code == 403, (tap, headers)
    fire_stop.refresh_from_db()
    assert fire_stop.status == "planned" and not fire_stop.reports.exists()
