"""Two rules every request passes through, whatever the app.

`UploadLimitMiddleware` refuses a request body larger than UPLOAD_MAX_MB before Django reads a
byte of it: with its Content-Length over the cap it answers 413 at once; without one (a chunked
upload) it reads at most the cap and answers 413 past it. It stands before every middleware that
could read the body (the CSRF check reads the form), after the two that only add headers, so
that its page carries the security policy too.

`PrivatePagesMiddleware` marks the host's private-link pages, every page for signed-in staff and
every answer to a signed-in user or an agency's token `Cache-Control: no-store, private` (with
Django's `never_cache` headers), so that neither a shared proxy nor the browser's own cache keeps
a host's contacts, an itinerary's addresses or a coordinator's queue. Public pages, for visitors
who are not signed in, keep their caching.
"""

import io

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream, WSGIRequest
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

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


# The host's private-link pages, and the apps (or single pages) that are for signed-in staff.
PRIVATE_PAGES = {"registry:manage", "registry:manage_edit", "registry:manage_report",
                 "registry:review_seasons", "registry:season_new", "registry:queue",
                 "registry:season_settings", "registry:review_event", "registry:official_list",
                 "registry:import", "registry:import_template", "registry:import_batch",
                 "registry:import_batch_apply", "registry:import_batch_abandon",
                 "registry:import_batch_faults", "reports:season",
                 "reports:region", "reports:photo", "surveys:moderate"}
PRIVATE_APPS = {"accounts", "visits", "admin"}


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


class PrivatePagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(request):
            add_never_cache_headers(response)
        return response
