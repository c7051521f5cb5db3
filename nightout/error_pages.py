"""Error pages in the site's layout, each saying what to do next (the HTML side of
`nightout.errors`; the API's side is in `nightout.api.api`).

Django calls the handlers named in `nightout.urls` for 400, 403, 404 and 500; a `NotAllowed` is
a `PermissionDenied` and a `NotFound` an `Http404`, so both come here. An `Invalid` that no view
caught (a form view catches its own, to show the messages beside the fields) is answered 422 by
`InvalidMiddleware`. A message is shown only when it is one of ours, written for people; others
may carry internals and get the page's general words.
"""

from __future__ import annotations

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from nightout.errors import DomainError, Invalid, messages_of

PAGES = {
    400: ("This request could not be read",
          "Something in the address or the form was not what we expected. Go back and try "
          "again; if it keeps happening, start again from the home page."),
    403: ("You may not open this page",
          "Your account does not give you this. If you think it should, ask your town's "
          "coordinator or the site's administrator."),
    404: ("Nothing here",
          "The page may have moved, or the party or plan it showed was removed. Search for "
          "parties, or start again from the home page."),
    422: ("This could not be done",
          "Go back, fix what the message says and try again."),
    500: ("Something went wrong on our side",
          "Nothing you did caused this, and nothing you sent was saved half-way. Try again in "
          "a minute; if it keeps happening, tell your town's coordinator."),
}


def _page(request, status: int, exception: BaseException | None = None):
    title, advice = PAGES[status]
    message, fields = messages_of(exception) if isinstance(exception, DomainError) else ("", {})
    return render(request, "error.html", {
        "status": status, "title": title, "advice": advice, "message": message,
        "fields": fields,
        # A private link cut short (a mail program's line break) lands here: offer a new one.
        "lost_link": status == 404 and request.path.startswith(reverse("registry:link_request")),
    }, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, exception)


def forbidden(request, exception=None):
    return _page(request, 403, exception)


def not_found(request, exception=None):
    return _page(request, 404, exception)


def server_error(request):
    # No request context: whatever failed may be what the context would read.
    title, advice = PAGES[500]
    try:
        html = loader.render_to_string("error_500.html", {"title": title, "advice": advice})
    except Exception:  # the page must answer even when templates are what broke
        html = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{advice}</p>"
    return HttpResponseServerError(html)


class InvalidMiddleware:
    """Answers an `Invalid` no view caught with the 422 page, its messages listed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Invalid) and not request.path.startswith("/api/"):
            return _page(request, 422, exception)
        return None
