"""Public responses built once and served again until the public data changes.

Every public page and feed of the finder is a function of the query string and of the
registry's data. `data_version()` reads a fingerprint of that data in one query of two index
probes: the newest audit entry (every registration, change, approval, rejection, cancellation
and renewal writes one, through `nightout.registry.services`) and the newest event. A write
through the services therefore changes the key at once in the web process that made it, and
within FINDER_VERSION_SECONDS in the others, whatever cache backend FINDER_CACHE_URL names (by
default each process keeps its own). Writes that bypass the services (the admin, a season's
or a town's own settings) show within `FINDER_CACHE_SECONDS`, the longest any response is
kept (in a search answered from `nightout.finder.index`, within one and a half times it);
"upcoming" also moves on within that time.

Only anonymous requests are served from the cache (no session or messages cookie, no
Authorization header): a signed-in coordinator always sees a fresh page with their own header.
The result cards and the search form's menus are kept the same way, so that a search nobody has
made yet draws only what it has not drawn before.

A kept response is keyed by the query parameters its view reads (`reads`), in a fixed order,
and the view is given only those: a parameter it does not read (`?x=1`) neither builds the
response again nor changes it. Each is kept with its ETag and Last-Modified (when it was
built, unless the view said when its content changed), so that a client asking again gets a
304 from `nightout.middleware.ConditionalGetMiddleware`.
"""

import contextvars
import functools
import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.text import compress_string

from nightout.registry.models import AuditEntry, Event

# A signed-in user's page shows their name and a form with a CSRF token; messages are one
# visitor's. The CSRF cookie alone changes nothing on an anonymous page.
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# The version read at the start of the request being served, so that it is read once.
_current = contextvars.ContextVar("finder_data_version", default=None)
# The version this process read last, and until when it may be used without reading again.
_recent: tuple[float, str] | None = None
# How many times this process was told of a write (`forget_data_version`): what it holds of
# the data besides the cache (`nightout.finder.index`) is read again after one.
_forgotten = 0


def data_version() -> str:
    """A fingerprint that changes with every write to a public event through the services.

    A process reads it at most once every FINDER_VERSION_SECONDS, so that a kept page costs no
    query; a write in the process forgets it at once (`forget_data_version`), a write in
    another process shows within that time."""
    global _recent
    if _current.get() is not None:
        return _current.get()
    now = time.monotonic()
    recent = _recent
    if recent is not None and now < recent[0]:
        return recent[1]
    audit, event = AuditEntry._meta.db_table, Event._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {audit}), (SELECT MAX(id) FROM {event})")
        newest_audit, newest_event = cursor.fetchone()
    version = f"{newest_audit or 0}.{newest_event or 0}"
    if settings.FINDER_VERSION_SECONDS > 0:
        _recent = (now + settings.FINDER_VERSION_SECONDS, version)
    return version


def forget_data_version(**kwargs) -> None:
    """The next request reads the version again (and once more when the write commits, in
    case another thread read it in between)."""
    global _recent, _forgotten
    _recent = None
    _forgotten += 1
    if kwargs.get("sender") is not None and connection.in_atomic_block:
        transaction.on_commit(forget_data_version)


def forgotten_count() -> int:
    return _forgotten


for _model in (AuditEntry, Event):
    post_save.connect(forget_data_version, sender=_model, dispatch_uid=f"finder-{_model.__name__}")
post_delete.connect(forget_data_version, sender=Event, dispatch_uid="finder-event-delete")


def cached_value(name: str, build, *, version: str | None = None):
    """`build()`, kept under `name` for the current data version."""
    key = f"finder:{version or data_version()}:{name}"
    value = caches["finder"].get(key)
    if value is None:
        value = build()
        caches["finder"].set(key, value, settings.FINDER_CACHE_SECONDS)
    return value


# What a process keeps of its own (`kept_here`, `held_here`): at most this many values, dropped
# together when the data's version changes, when full, or after FINDER_CACHE_SECONDS.
KEPT_HERE_MAX = 20_000
_here: tuple[tuple, float, dict] = ((), 0.0, {})


def kept_here(name: str, ids: list, build) -> dict:
    """The value of each id, kept under `name` for the current data version in this
    process's memory (the values themselves, neither copied nor pickled); `build(missing
    ids)` returns {id: value} for those not kept yet. For what a new search draws many of
    (its result cards): reading them from a shared cache cost about as much as drawing them."""
    if not settings.FINDER_CACHE_SECONDS:
        return build(ids)
    values = _values_here()
    found = {i: values[(name, i)] for i in ids if (name, i) in values}
    missing = [i for i in ids if i not in found]
    if missing:
        built = build(missing)
        values.update(((name, i), value) for i, value in built.items())
        found.update(built)
    return found


def held_here(name: str, build):
    """`build()`, kept under `name` in this process's memory for the current data version
    (as `kept_here`): for what every search reads whole (the page's frame, its menus, the
    choices they offer), which a shared cache would copy for each request."""
    if not settings.FINDER_CACHE_SECONDS:
        return build()
    values = _values_here()
    value = values.get(name)
    if value is None:
        value = values[name] = build()
    return value


def _values_here() -> dict:
    """What this process keeps for the data's current version: dropped when the version
    changes (a write of this process: at once), when full, and after FINDER_CACHE_SECONDS
    (as the shared cache's values expire: a write that bypassed the services shows then)."""
    global _here
    version, now = (data_version(), _forgotten), time.monotonic()
    held, since, values = _here
    if (held != version or len(values) > KEPT_HERE_MAX
            or now - since > settings.FINDER_CACHE_SECONDS):
        values = {}
        _here = (version, now, values)
    return values


def _key(request, version: str, gzip: bool) -> str:
    parts = "|".join((request.path, request.GET.urlencode(), request.get_host(),
                      request.scheme, "htmx" if request.headers.get("HX-Request") else "",
                      "gzip" if gzip else ""))
    return f"finder:{version}:response:{hashlib.sha256(parts.encode()).hexdigest()}"


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _only(query: QueryDict, names: tuple[str, ...]) -> QueryDict:
    """The parameters among `names`, in that order (each one's values in the order sent)."""
    return QueryDict(urlencode([(name, value) for name in names
                                for value in query.getlist(name)]))


def keepable(request) -> bool:
    """Whether the response to `request` may be kept and served to others: an anonymous GET
    or HEAD, with the cache on."""
    return (request.method in ("GET", "HEAD") and bool(settings.FINDER_CACHE_SECONDS)
            and "HTTP_AUTHORIZATION" not in request.META
            and not any(name in request.COOKIES for name in PERSONAL_COOKIES))


def public_response(view=None, *, reads: tuple[str, ...] = ()):
    """Serve an anonymous GET or HEAD from the cache while the data has not changed,
    compressed when the client takes gzip (only anonymous pages are compressed: they hold no
    secret). The view sees only the query parameters named in `reads`, and the response is
    kept under those. Only complete 200 responses that set no cookie and hold no CSRF token
    are kept.

    `@public_response` for a view that reads no parameter, `@public_response(reads=(...))`
    for one that does."""
    if view is None:
        return functools.partial(public_response, reads=tuple(reads))

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.GET = _only(request.GET, reads)
        if not keepable(request):
            return view(request, *args, **kwargs)
        gzip = _accepts_gzip(request)
        version = data_version()
        key = _key(request, version, gzip)
        kept = caches["finder"].get(key)
        if kept is None:
            token = _current.set(version)
            try:
                response = view(request, *args, **kwargs)
            finally:
                _current.reset(token)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (response.status_code != 200 or response.streaming or response.cookies
                    or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
                return response
            packed = compress_string(response.content) if gzip else b""
            if gzip and len(packed) < len(response.content):
                response.content = packed
                response["Content-Encoding"] = "gzip"
            set_response_etag(response)
            if not response.has_header("Last-Modified"):
                response["Last-Modified"] = http_date()
            headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
            kept = (headers, response.content)
            caches["finder"].set(key, kept, settings.FINDER_CACHE_SECONDS)
        headers, body = kept
        response = HttpResponse(body)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(body))
        patch_vary_headers(response, ("Cookie", "Accept-Encoding", "HX-Request"))
        return response

    return wrapped
