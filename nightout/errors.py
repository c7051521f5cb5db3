"""The project's own errors: what a service refuses, in words a person can act on.

Services raise these and never think about HTTP. One place turns them into answers:
`nightout.error_pages` for pages (in the site's layout, saying what to do next) and
`nightout.api.api` for the JSON API (its `Problem` shape). Each also is the Django exception
of its kind, so Django, forms and tests that know only Django's treat it as one:

- `NotAllowed` (403): the actor may not do this. A `PermissionDenied`.
- `NotFound` (404): there is no such thing, or not for this actor. An `Http404`.
- `Invalid` (422): the input is wrong; the messages say what to fix, per field when they can.
  A `ValidationError`, so a form view shows its messages beside the fields.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


class DomainError(Exception):
    """Base of the project's errors; `status` is the HTTP status it is answered with."""

    status = 400


class NotAllowed(DomainError, PermissionDenied):
    status = 403


class NotFound(DomainError, Http404):
    status = 404


class Invalid(DomainError, ValidationError):
    status = 422


def messages_of(error: BaseException) -> tuple[str, dict[str, list[str]]]:
    """The error's message for a person, and its messages by field (empty if it has none)."""
    if isinstance(error, ValidationError):
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        return " ".join(error.messages), fields
    return str(error), {}
