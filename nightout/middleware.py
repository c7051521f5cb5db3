"""Rules every request passes through, whatever the app.

`UploadLimitMiddleware` refuses a request body larger than UPLOAD_MAX_MB before Django reads a
byte of it: with its Content-Length over the cap it answers 413 at once; without one (a chunked
upload) it reads at most the cap and answers 413 past it. It stands before every middleware that
could read the body (the CSRF check reads the form), after the two that only add headers, so
that its page carries the security policy too.

`CacheControlMiddleware` says who may keep each answer, and for how long. The host's
private-link pages, the survey's form, every page for signed-in staff, every answer to a
signed-in user or an agency's token, and every page that carries a CSRF token, a session or
sets a cookie are `Cache-Control: no-store, private` (with Django's `never_cache` headers), so
that neither a shared proxy nor the browser's own cache keeps a host's contacts, an itinerary's
addresses, a coordinator's queue or a form's token. The public files and pages, for visitors
who are not signed in, are `public` with the `max-age` of `PUBLIC_MAX_AGE`; any other answer is
`no-cache` (a cache may keep it, but asks again each time: the ETag makes that cheap).

`ConditionalGetMiddleware` is Django's (an ETag made from the body, 304 for a matching
If-None-Match or If-Modified-Since), for HEAD as for GET. `MachineReadableGZipMiddleware` is
Django's gzip, for JSON, calendars and feeds only: never for an HTML page, which may carry a
CSRF token (BREACH).
"""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream, WSGIRequest
from django.middleware import http
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

MEGABYTE = 1024 * 1024
READ_SIZE = 64 * 1024

TOO_LARGE = ("The photo is larger than {mb} MB; choose a smaller one, or send fewer photos at a "
             "time (you can add more afterwards).")
TOO_LARGE_SPREADSHEET = ("The spreadsheet is larger than {mb} MB; split it into smaller files "
                         "(an import takes at most 5 MB).")
# Pages whose 413 says something more fitting than the photo's message.
TOO_LARGE_BY_PAGE = {"registry:import": TOO_LARGE_SPREADSHEET}


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > limit:
            return too_large(request)
        if not length and _chunked(request) and not _read_within(request, limit):
            return too_large(request)
        return self.get_response(request)


def _chunked(request) -> bool:
    """A body without a length that the server ends for us (granian, gunicorn): Django alone
    would read none of it."""
    return (isinstance(request, WSGIRequest)
            and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
            and bool(request.META.get("wsgi.input_terminated")))


def _read_within(request, limit: int) -> bool:
    """Read a chunked body up to `limit` bytes and hand it on as if it had had its length;
    False, having read no more than `limit` and one block, when it is longer."""
    stream, body = request.META["wsgi.input"], io.BytesIO()
    while block := stream.read(READ_SIZE):
        body.write(block)
        if body.tell() > limit:
            return False
    request.META["CONTENT_LENGTH"] = str(body.tell())
    request._stream = LimitedStream(io.BytesIO(body.getvalue()), body.tell())
    return True


def too_large(request):
    """413, in the site's layout, saying what to do."""
    try:
        page = resolve(request.path_info).view_name
    except Resolver404:
        page = ""
    message = TOO_LARGE_BY_PAGE.get(page, TOO_LARGE)
    return render(request, "413.html", {
        "message": message.format(mb=settings.UPLOAD_MAX_BYTES // MEGABYTE),
        "back": request.get_full_path(),
    }, status=413)


# The host's private-link pages, the survey's form (its token is the event's, and it reads the
# visitor's own cookie), and the apps (or single pages) that are for signed-in staff.
PRIVATE_PAGES = {"registry:manage", "registry:manage_edit", "registry:manage_report",
                 "registry:manage_rain_date", "registry:review_rain_date",
                 "registry:review_seasons", "registry:season_new", "registry:queue",
                 "registry:season_settings", "registry:review_event", "registry:official_list",
                 "registry:import", "registry:import_template", "registry:import_batch",
                 "registry:import_batch_apply", "registry:import_batch_abandon",
                 "registry:import_batch_faults", "reports:season",
                 "reports:region", "reports:photo", "surveys:answer", "surveys:moderate"}
PRIVATE_APPS = {"accounts", "visits", "admin"}

MINUTE, FIVE_MINUTES, HOUR = 60, 300, 3600
# Public answers that a shared cache (nginx) and browsers may keep, and for how long (seconds),
# by page. What a resident searches (the finder, the map, an event, the API's events) a
# minute, as long as the finder keeps its own copy (FINDER_CACHE_SECONDS), so an approval or a
# cancellation shows within about a minute behind any cache; what calendar and feed readers
# poll, and what changes with a season's settings, five minutes; the sitemap an hour.
PUBLIC_MAX_AGE = {
    "finder:search": MINUTE, "finder:event": MINUTE, "finder:map_points": MINUTE,
    "finder:events_geojson": MINUTE, "api:event_search": MINUTE, "api:event_detail": MINUTE,
    "finder:event_ics": FIVE_MINUTES, "finder:season_ics": FIVE_MINUTES,
    "finder:town_ics": FIVE_MINUTES, "finder:events_atom": FIVE_MINUTES,
    "finder:season_atom": FIVE_MINUTES, "finder:widget": FIVE_MINUTES,
    "finder:widget_snippets": FIVE_MINUTES, "api:season_list": FIVE_MINUTES,
    "api:season_detail": FIVE_MINUTES, "api:openapi-json": FIVE_MINUTES,
    "surveys:results": FIVE_MINUTES, "surveys:poster": FIVE_MINUTES,
    "reports:transparency": FIVE_MINUTES, "reports:transparency_index": FIVE_MINUTES,
    "finder:search_ics": FIVE_MINUTES, "finder:event_image": HOUR, "finder:site_image": HOUR,
    "finder:robots": HOUR, "finder:sitemap": HOUR, "finder:sitemap_events": HOUR,
}


def is_private(request) -> bool:
    """A page that is private by its address (whoever asks, even a visitor about to be sent
    to sign in), or any answer to someone who showed who they are."""
    match = getattr(request, "resolver_match", None)
    if match is not None and (match.view_name in PRIVATE_PAGES
                              or set(match.namespaces) & PRIVATE_APPS):
        return True
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def is_personal(request, response) -> bool:
    """An answer made for this visitor alone: it carries a CSRF token (a form), comes with a
    session (a host's messages, a sign-in on its way) or sets a cookie."""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    session = getattr(request, "session", None)
    return bool((session is not None and not session.is_empty()) or response.cookies)


class CacheControlMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(request) or is_personal(request, response):
            add_never_cache_headers(response)
        elif request.method in ("GET", "HEAD") and not response.has_header("Cache-Control"):
            match = getattr(request, "resolver_match", None)
            max_age = PUBLIC_MAX_AGE.get(match.view_name) if match is not None else None
            if max_age is not None and response.status_code == 200:
                patch_cache_control(response, public=True, max_age=max_age)
            else:
                patch_cache_control(response, no_cache=True)
        return response


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's conditional GET, for HEAD too: Django's handlers keep the body of a HEAD
    answer until the server drops it, so its ETag is the GET's."""

    def process_response(self, request, response):
        if request.method != "HEAD":
            return super().process_response(request, response)
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if etag or last_modified:
            return get_conditional_response(request, etag=etag, last_modified=last_modified,
                                            response=response)
        return response


# What gzip is used for: the machine-readable answers, which hold no CSRF token.
COMPRESSED_TYPES = {"application/json", "application/geo+json", "application/problem+json",
                    "text/calendar", "application/atom+xml", "application/rss+xml",
                    "application/xml"}


class MachineReadableGZipMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for JSON, GeoJSON, calendars and feeds; HTML
    pages are left as they are (the finder's kept pages, which carry no token, come
    compressed from its cache)."""

    def process_response(self, request, response):
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if kind not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
