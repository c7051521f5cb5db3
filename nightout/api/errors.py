"""How the API says no: one shape (`Problem`) for every refusal, with messages per field."""

from django import forms

# Ids in paths stop here: larger numbers are no row's id, and some databases refuse them.
MAX_ID = 2**53

INVALID = "Some of what was sent is not valid; see the messages per field."


class InvalidInput(Exception):
    """Input that does not pass: answered 422 with `errors` per field (404 when a well-formed
    value names nothing that exists, such as a filter's unknown town)."""

    def __init__(self, errors: dict[str, list[str]], detail: str = INVALID,
                 status: int = 422) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.status = status


def form_errors(form: forms.Form, names: dict[str, str] | None = None) -> dict[str, list[str]]:
    """A Django form's errors by field, renamed to the request's names."""
    names = names or {}
    found: dict[str, list[str]] = {}
    for field, errors in form.errors.items():
        found.setdefault(names.get(field, field), []).extend(str(e) for e in errors)
    return found


def pydantic_errors(errors: list[dict]) -> dict[str, list[str]]:
    """Ninja's validation errors (pydantic's, with where they were found) by field:
    `["body", "data", "host", "email"]` is `host.email`, `["query", "page"]` is `page`."""
    found: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] == "body":
            loc = loc[2:]
        elif loc:
            loc = loc[1:]
        name = ".".join(loc) or "__all__"
        found.setdefault(name, []).append(str(error.get("msg", "Not valid.")))
    return found
