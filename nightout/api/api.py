"""The JSON API at /api/, described by the OpenAPI document it serves at /api/openapi.json.

Public: event search and detail, seasons, registration. With an agency token: the agency's
units, their itineraries and the season's locked plan. One shape for every refusal
(`Problem`); see docs/api.md.
"""

from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError

from nightout.api import events, itineraries, registrations, seasons
from nightout.api.errors import INVALID, InvalidInput, pydantic_errors
from nightout.errors import DomainError, messages_of

DESCRIPTION = """National Night Out, from the first registration to the night's itineraries.

Public operations need no authentication. The agency operations need an agency token, made
by a site administrator (in the administration, or with `nightout api-token create`) and
sent as `Authorization: Bearer <token>`.
Times are ISO 8601 in the town's own zone, with its offset. A party at a private home is
given at block level; no host's name, email or phone is ever in a response.
"""

api = NinjaAPI(
    title="nightout",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    # Swagger UI from the files django-ninja ships (its app is installed), so the page
    # works offline; no validator badge, which would call out to the internet.
    docs=Swagger(settings={"validatorUrl": None}),
)
api.add_router("", events.router)
api.add_router("", seasons.router)
api.add_router("", registrations.router)
api.add_router("", itineraries.router)


def _problem(request, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}},
                               status=status)


@api.exception_handler(InvalidInput)
def invalid_input(request, exc: InvalidInput):
    return _problem(request, 422, exc.detail, exc.errors)


@api.exception_handler(ValidationError)
def invalid_request(request, exc: ValidationError):
    return _problem(request, 422, INVALID,
                    pydantic_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc: AuthenticationError):
    response = _problem(request, 401, "An agency token is needed: send it as "
                                      "“Authorization: Bearer <token>”. It may have been "
                                      "revoked.")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _problem(request, exc.status_code, exc.message)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    """The project's own errors (nightout.errors): 403, 404 or 422, with their messages."""
    detail, fields = messages_of(exc)
    return _problem(request, exc.status, detail, fields)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    return _problem(request, 404, str(exc) or "Not found.")
