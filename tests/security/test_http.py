"""HTTP as clients expect it, on every public file and on the private pages.

Every public file (the API's public reads, the GeoJSON, the calendars, the feeds, the sitemap)
answers with an ETag and a Last-Modified and gives 304 to a client that asks again with
either; answers HEAD as it answers GET; says how long a shared cache may keep it; is
compressed for a client that takes gzip; and is readable by another site's pages (CORS: GET,
HEAD and the preflight, no credentials) except the sitemap. Private pages are kept by no cache,
get no ETag and are readable from no other site. The table below is the specification.
"""

import gzip
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from nightout.api.services import agency_token_create
from tests.security.test_access_matrix import EVERYONE, MATRIX, _url

pytestmark = pytest.mark.django_db

ORIGIN = "https://www.agawam-ma.example"
MINUTE, FIVE_MINUTES, HOUR = 60, 300, 3600


@dataclass(frozen=True)
class File:
    name: str
    args: dict = field(default_factory=dict)
    query: str = ""
    type: str = ""                  # the Content-Type, without its parameters
    max_age: int = MINUTE           # how long a shared cache may keep it
    cors: bool = True               # readable by another site's pages
    last_modified: bool = True      # besides the ETag


PUBLIC_FILES = [
    File("api:event_search", query="when=all", type="application/json"),
    File("api:event_detail", {"event_id": "event.pk"}, type="application/json"),
    File("api:season_list", type="application/json", max_age=FIVE_MINUTES),
    File("api:season_detail", {"slug": "season.slug"}, type="application/json",
         max_age=FIVE_MINUTES),
    # The description changes only with a new release: the ETag says so.
    File("api:openapi-json", type="application/json", max_age=FIVE_MINUTES,
         last_modified=False),
    File("finder:events_geojson", query="when=all", type="application/geo+json"),
    File("finder:map_points", query="when=all", type="application/geo+json"),
    File("finder:event_ics", {"pk": "event.pk"}, type="text/calendar", max_age=FIVE_MINUTES),
    File("finder:season_ics", {"slug": "season.slug"}, type="text/calendar",
         max_age=FIVE_MINUTES),
    File("finder:town_ics", {"slug": "town.slug"}, type="text/calendar",
         max_age=FIVE_MINUTES),
    File("finder:events_atom", type="application/atom+xml", max_age=FIVE_MINUTES),
    File("finder:season_atom", {"slug": "season.slug"}, type="application/atom+xml",
         max_age=FIVE_MINUTES),
    File("finder:sitemap", type="application/xml", max_age=HOUR, cors=False),
    File("finder:sitemap_events", {"chunk": "zero"}, type="application/xml", max_age=HOUR,
         cors=False),
]


def url_of(world, file: File) -> str:
    kwargs = {}
    for name, path in file.args.items():
        value = 0 if path == "zero" else world
        for part in ([] if path == "zero" else path.split(".")):
            value = getattr(value, part)
        kwargs[name] = value
    return reverse(file.name, kwargs=kwargs) + (f"?{file.query}" if file.query else "")


def directives(response) -> dict[str, str]:
    found = {}
    for part in response.get("Cache-Control", "").split(","):
        if part.strip():
            name, _, value = part.strip().partition("=")
            found[name.lower()] = value
    return found


def each(world, check) -> None:
    """`check(file, url)` for every public file; every failure is reported at once."""
    wrong = []
    for file in PUBLIC_FILES:
        url = url_of(world, file)
        try:
            check(file, url)
        except AssertionError as error:
            wrong.append(f"{url}: {error}")
    assert not wrong, "\n  ".join(["public files not as specified:", *wrong])


def test_every_public_file_has_an_etag_and_a_last_modified_and_gives_304_to_either(
        client, world):
    def check(file, url):
        first = client.get(url)
        assert first.status_code == 200, first.status_code
        assert first["Content-Type"].split(";")[0] == file.type, first["Content-Type"]
        etag = first.get("ETag")
        assert etag, "no ETag"
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"", f"If-None-Match: {again}"
        assert again["ETag"] == etag
        if file.last_modified:
            assert first.has_header("Last-Modified"), "no Last-Modified"
            since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
            assert since.status_code == 304, f"If-Modified-Since: {since.status_code}"
        stale = client.get(url, headers={"If-None-Match": '"an-older-version"'})
        assert stale.status_code == 200 and stale.content == first.content

    each(world, check)


def test_a_changed_file_answers_200_with_a_new_etag(client, world):
    from nightout.registry.services import Actor, event_cancel

    urls = [url_of(world, f) for f in PUBLIC_FILES
            if f.name in ("finder:season_ics", "finder:events_geojson", "api:event_search")]
    before = {url: client.get(url)["ETag"] for url in urls}
    event_cancel(event=world.other_event, actor=Actor.host(world.other_event), reason="Rain")
    for url in urls:
        after = client.get(url, headers={"If-None-Match": before[url]})
        assert after.status_code == 200, url
        assert after["ETag"] != before[url], url


def test_every_public_file_answers_head_as_it_answers_get(client, world):
    def check(file, url):
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == 200, f"HEAD: {head.status_code}"
        assert head.content == b""
        for name in ("Content-Type", "ETag", "Cache-Control"):
            assert head.get(name) == get.get(name), f"{name}: {head.get(name)!r}"
        assert client.head(url, headers={"If-None-Match": get["ETag"]}).status_code == 304

    each(world, check)


def test_every_public_file_may_be_kept_by_a_shared_cache_for_its_own_time(client, world):
    def check(file, url):
        found = directives(client.get(url))
        assert "public" in found and "private" not in found and "no-store" not in found, found
        assert found.get("max-age") == str(file.max_age), found

    each(world, check)


def test_json_is_compressed_for_clients_that_take_gzip(client, world, settings):
    """Every JSON answer gzip makes shorter: a short one may come out longer, with the random
    padding Django adds against BREACH, and is then sent as it is."""
    json_files = [f for f in PUBLIC_FILES if f.type.endswith("json")]
    for cache_seconds in (60, 0):  # from the kept copy, and built afresh
        settings.FINDER_CACHE_SECONDS = cache_seconds
        for file in json_files:
            url = url_of(world, file)
            plain = client.get(url)
            zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
            assert "Content-Encoding" not in plain, url
            assert "Accept-Encoding" in zipped["Vary"], url
            if len(plain.content) >= 1000:
                assert zipped["Content-Encoding"] == "gzip", url
            if zipped.get("Content-Encoding") == "gzip":
                assert gzip.decompress(zipped.content) == plain.content, url
                assert len(zipped.content) < len(plain.content), url
            else:
                assert zipped.content == plain.content, url
        long = [f.name for f in json_files if len(client.get(url_of(world, f)).content) >= 1000]
        assert {"api:event_search", "api:openapi-json"} <= set(long)


def test_an_agencys_json_is_compressed_too(client, world):
    _, raw = agency_token_create(agency=world.police, name="Dispatch console")
    url = reverse("api:unit_itinerary", args=[world.car.pk])
    auth = {"Authorization": f"Bearer {raw}"}
    plain = client.get(url, headers=auth)
    zipped = client.get(url, headers={**auth, "Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content


def test_a_page_with_a_csrf_token_is_never_compressed(client, world):
    """BREACH: a compressed page that carries a secret and echoes what the visitor sent."""
    response = client.get(reverse("registry:register", args=[world.season.slug]),
                          headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response


def test_other_sites_may_read_the_public_files_and_nothing_more(client, world):
    def check(file, url):
        response = client.get(url, headers={"Origin": ORIGIN})
        if not file.cors:
            assert "Access-Control-Allow-Origin" not in response, "readable by other sites"
            return
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response
        assert "etag" in response["Access-Control-Expose-Headers"].lower()
        preflight = client.options(url, headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match"})
        assert preflight.status_code == 200
        methods = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
        assert methods == {"GET", "HEAD", "OPTIONS"}, methods
        assert "if-none-match" in preflight["Access-Control-Allow-Headers"]

    each(world, check)


def private_urls(world) -> list[tuple[str, dict]]:
    """Private pages and answers, each with what shows who asks."""
    _, raw = agency_token_create(agency=world.police, name="Dispatch console")
    coordinator = {"user": world.users["coordinator"]}
    token = {"headers": {"Authorization": f"Bearer {raw}"}}
    return [
        (reverse("registry:manage", args=[world.host_token]), {}),
        (reverse("surveys:answer", args=[world.survey_token]), {}),
        (reverse("registry:register", args=[world.season.slug]), {}),
        (reverse("visits:calendar", kwargs={"season": world.season.slug,
                                            "unit": world.car.pk}), coordinator),
        (reverse("registry:queue", args=[world.season.slug]), coordinator),
        (reverse("finder:search") + "?when=all", coordinator),
        (reverse("api:unit_itinerary", args=[world.car.pk]), token),
        (reverse("api:unit_list"), token),
        # The public API asked with a token: answered to someone who showed who they are.
        (reverse("api:event_search") + "?when=all", token),
    ]


def test_private_pages_are_kept_by_no_cache_and_readable_from_no_other_site(client, world):
    wrong = []
    for url, who in private_urls(world):
        client.logout()
        if "user" in who:
            client.force_login(who["user"])
        headers = {"Origin": ORIGIN, **who.get("headers", {})}
        response = client.get(url, headers=headers)
        found = directives(response)
        if response.status_code != 200:
            wrong.append(f"{url}: {response.status_code}")
        if not {"no-store", "private"} <= set(found) or "public" in found:
            wrong.append(f"{url}: Cache-Control {response.get('Cache-Control')!r}")
        if response.has_header("ETag"):
            wrong.append(f"{url}: an ETag")
        if url.startswith("/api/agency/") or not url.startswith("/api/"):
            if response.has_header("Access-Control-Allow-Origin"):
                wrong.append(f"{url}: readable by other sites")
    assert not wrong, "\n  ".join(["private answers a cache may keep or another site read:",
                                   *wrong])


def test_the_agency_api_and_registration_answer_no_preflight(client, world):
    for url, method in ((reverse("api:unit_list"), "GET"),
                        (reverse("api:registration_create", args=[world.season.slug]),
                         "POST")):
        preflight = client.options(url, headers={
            "Origin": ORIGIN, "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization, content-type"})
        assert "Access-Control-Allow-Origin" not in preflight, url
        assert "Access-Control-Allow-Methods" not in preflight, url


def test_every_public_page_says_whether_a_cache_may_keep_it(client, world):
    """Public pages outside the table: a cache asks again each time (no-cache) or keeps
    them for their time; none goes without a word."""
    silent = []
    for row in MATRIX:
        if row.allowed != EVERYONE or row.method != "GET":
            continue
        url = _url(world, row, "anonymous")
        response = client.get(url)
        if not response.has_header("Cache-Control"):
            silent.append(url)
    assert not silent, f"public pages without Cache-Control: {silent}"


def test_a_parameter_the_view_does_not_read_is_served_from_the_kept_copy(
        client, world, django_assert_max_num_queries):
    calendar = url_of(world, File("finder:season_ics", {"slug": "season.slug"}))
    first = client.get(calendar)
    with django_assert_max_num_queries(0):
        again = client.get(calendar + "?x=1")
    assert again.content == first.content and again["ETag"] == first["ETag"]

    geojson = reverse("finder:events_geojson")
    ordered = client.get(geojson, {"when": "all", "town": world.town.slug})
    with django_assert_max_num_queries(0):
        reordered = client.get(geojson + f"?utm_source=mail&town={world.town.slug}&when=all")
    assert reordered.content == ordered.content


def test_an_unread_parameter_changes_nothing_on_the_page(client, world):
    search = reverse("finder:search")
    plain = client.get(search)
    with_x = client.get(search, {"x": "1"})
    assert with_x.content == plain.content
    # ... while a parameter the search reads is a search of its own.
    assert client.get(search, {"when": "all"}).content != plain.content
