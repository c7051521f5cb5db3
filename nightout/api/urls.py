"""The API's URLs. Every operation that answers GET answers HEAD too, as Django's own views
do (django-ninja routes only the methods named, and its description lists GET alone). The
public reads are kept like the finder's public files (`nightout.finder.caching`): served
again, with their ETag and Last-Modified, until the public data changes."""

import functools

from django.urls import URLPattern

from nightout.api.api import api
from nightout.api.events import EventSearch
from nightout.finder.caching import public_response

# The public reads, and the query parameters each reads.
PUBLIC_READS = {"event_search": tuple(EventSearch.model_fields),
                "event_detail": (), "season_list": (), "season_detail": ()}


def head_as_get(view):
    """HEAD is answered by the GET operation (the server sends its headers only)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    return wrapped


def _served(pattern: URLPattern) -> URLPattern:
    view = head_as_get(pattern.callback)
    if pattern.name in PUBLIC_READS:
        view = public_response(view, reads=PUBLIC_READS[pattern.name])
    return URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)


app_name = "api"  # the namespace django-ninja reverses its own pages in
urlpatterns = [_served(pattern) for pattern in api.urls[0]]
