"""The JSON API at /api/, described by the OpenAPI document it serves at /api/openapi.json.

Public: event search and detail, seasons, registration. With an agency token: the agency's
units, their itineraries and the season's locked plan. One shape for every refusal
(`Problem`); see docs/api.md.
"""

import json

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from nightout.api import events, itineraries, registrations, seasons
from nightout.api.errors import INVALID, InvalidInput, pydantic_errors
from nightout.api.reference import ReferencePage
from nightout.errors import DomainError, messages_of

DESCRIPTION = """National Night Out, from the first registration to the night's itineraries.

Public operations need no authentication. The agency operations need an agency token, made
by a site administrator (in the administration, or with `nightout api-token create`) and
sent as `Authorization: Bearer <token>`.
Times are ISO 8601 in the town's own zone, with its offset. A party at a private home is
given at block level; no host's name, email or phone is ever in a response.
"""
LICENSE = "AGPL-3.0-or-later"  # the project's, as pyproject.toml says


class DescribedAPI(NinjaAPI):
    """The API, whose description says what every client must know of each operation:
    `security: []` on the public ones (no token wanted), and each parameter's example in
    the parameter's own form (`example`: django-ninja copies its schema's list of
    `examples`, which a parameter of OpenAPI 3.1 holds as a map); and no schema that nothing
    refers to (django-ninja also lists the query's own schema, whose fields are the
    parameters)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict | None = None) -> OpenAPISchema:
        description = super().get_openapi_schema(path_prefix=path_prefix,
                                                  path_params=path_params)
        for operations in description["paths"].values():
            for operation in operations.values():
                operation.setdefault("security", [])
                for parameter in operation.get("parameters", []):
                    examples = parameter.pop("examples", None)
                    if examples:
                        parameter["example"] = examples[0]
        schemas = description["components"]["schemas"]
        while unused := [name for name in schemas if not _referred_to(description, name)]:
            for name in unused:
                del schemas[name]
        return description


def _referred_to(description: dict, name: str) -> bool:
    ref = json.dumps(f"#/components/schemas/{name}")
    others = {k: v for k, v in description["components"]["schemas"].items() if k != name}
    return ref in json.dumps(description["paths"]) or ref in json.dumps(others)


api = DescribedAPI(
    title="nightout",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    servers=[{"url": "/", "description": "This site."}],
    openapi_extra={"info": {"license": {"name": LICENSE, "identifier": LICENSE}}},
    # /api/docs: the reference rendered on the server from this description, in the site's
    # layout (nightout/api/reference.py); no script, nothing fetched from elsewhere.
    docs=ReferencePage(),
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
    return _problem(request, exc.status, exc.detail, exc.errors)


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
