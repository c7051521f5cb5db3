"""The API's reference page at /api/docs, rendered on the server from the description the API
serves at /api/openapi.json, in the site's own layout.

`reference()` reads an OpenAPI description into what the page shows: each operation with its
method, path, summary, description, who may call it, its parameters (where they go, their
type, constraints and example), its request body (every field, nested ones named as the
refusals name them, `host.email`), its answers (status, description, shape, example) and an
example request; then every shape (schema) with its properties. `ReferencePage` is the
django-ninja docs class that renders it, so `/api/docs` keeps its URL name
(`api:openapi-view`). No script runs on the page: it works offline and without JavaScript.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from ninja.openapi.docs import DocsBase

SCHEMA_REF = "#/components/schemas/"
# A pattern longer than this is folded away behind its own disclosure: the character classes
# that keep control characters out of a text field run to hundreds of characters.
SHORT_PATTERN = 48
METHODS = ("get", "put", "post", "patch", "delete", "head", "options")


@dataclass(frozen=True)
class TypePart:
    """A piece of a type as the page writes it: words, or the name of a shape to link to."""
    text: str
    shape: str = ""


@dataclass(frozen=True)
class Field:
    """A parameter, or a property of a shape or a request body."""
    name: str
    where: str                      # query, path, header; "" for a property
    type: tuple[TypePart, ...]
    required: bool
    description: SafeString
    constraints: tuple[str, ...]
    pattern: str
    example: str                    # as it is written in a URL or in JSON; "" when none
    default: str


@dataclass(frozen=True)
class Answer:
    status: str
    description: SafeString
    type: tuple[TypePart, ...]
    example: str                    # JSON, indented


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: SafeString
    public: bool
    schemes: tuple[str, ...]
    parameters: tuple[Field, ...]
    body_description: SafeString = SafeString("")
    body_type: tuple[TypePart, ...] = ()
    body_fields: tuple[Field, ...] = ()
    body_example: str = ""
    answers: tuple[Answer, ...] = ()
    example_request: str = ""


@dataclass(frozen=True)
class Shape:
    name: str
    description: SafeString
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Reference:
    title: str
    version: str
    openapi: str
    description: SafeString
    license: str
    operations: tuple[Operation, ...]
    shapes: tuple[Shape, ...]
    schemes: dict[str, str] = field(default_factory=dict)


def prose(text: str) -> SafeString:
    """A description's text as HTML: paragraphs at blank lines, `code` in backquotes and
    **strong** words (the part of CommonMark the descriptions use); every other character
    escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return format_html_join("", "<p>{}</p>", ((_inline(p),) for p in paragraphs))


def _inline(text: str) -> SafeString:
    html = []
    for i, piece in enumerate(re.split(r"`([^`]*)`", text)):
        if i % 2:
            html.append(format_html("<code>{}</code>", piece))
            continue
        for j, words in enumerate(re.split(r"\*\*([^*]+)\*\*", piece)):
            html.append(format_html("<strong>{}</strong>" if j % 2 else "{}", words))
    return SafeString("".join(html))


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _literal(value: Any) -> str:
    """A parameter's value as it is written in a URL: strings bare, others as JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _ref_name(schema: dict) -> str:
    ref = schema.get("$ref", "")
    return ref[len(SCHEMA_REF):] if ref.startswith(SCHEMA_REF) else ""


def type_parts(schema: dict) -> tuple[TypePart, ...]:
    """`string (date)`, `integer`, `array of <Activity>`, `<ClosureIn> or null`, `object of
    array of string`: the shapes named link to their own section."""
    if name := _ref_name(schema):
        return (TypePart(name, shape=name),)
    for combined in ("anyOf", "oneOf"):
        if combined in schema:
            parts: list[TypePart] = []
            for i, option in enumerate(schema[combined]):
                if i:
                    parts.append(TypePart(" or "))
                parts.extend(type_parts(option))
            return tuple(parts)
    kind = schema.get("type", "")
    if isinstance(kind, list):
        return (TypePart(" or ".join(kind)),)
    if kind == "array":
        return (TypePart("array of "), *type_parts(schema.get("items", {})))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return (TypePart("object of "), *type_parts(schema["additionalProperties"]))
    if not kind:
        return (TypePart("any"),)
    return (TypePart(f"{kind} ({schema['format']})" if "format" in schema else kind),)


def _bounds(schema: dict) -> dict:
    """The schema's own limits, or those of its one non-null option (`integer or null`)."""
    options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
    return {**(options[0] if len(options) == 1 else {}), **schema}


def constraints(schema: dict) -> tuple[str, ...]:
    """What a value must be, in words: lengths, ranges, items, the values allowed."""
    said = []
    schema = _bounds(schema)
    for low_key, high_key, both, unit in (("minLength", "maxLength", "{} to {}", " characters"),
                                          ("minimum", "maximum", "from {} to {}", "")):
        low, high = schema.get(low_key), schema.get(high_key)
        if low is not None and high is not None:
            said.append(both.format(low, high) + unit)
        elif high is not None:
            said.append(f"at most {high}{unit}")
        elif low is not None:
            said.append(f"at least {low}{unit}")
    if "exclusiveMinimum" in schema:
        said.append(f"more than {schema['exclusiveMinimum']}")
    if "exclusiveMaximum" in schema:
        said.append(f"less than {schema['exclusiveMaximum']}")
    if "minItems" in schema or "maxItems" in schema:
        said.append(f"{schema.get('minItems', 0)} to {schema.get('maxItems', 'any number of')} "
                    "items")
    if schema.get("uniqueItems"):
        said.append("no item twice")
    if "enum" in schema:
        said.append("one of " + ", ".join(_literal(v) for v in schema["enum"]))
    if "const" in schema:
        said.append(f"always {_literal(schema['const'])}")
    return tuple(said)


class Description:
    """One OpenAPI description, read for the page."""

    def __init__(self, description: dict):
        self.description = description
        self.schemas: dict[str, dict] = description.get("components", {}).get("schemas", {})

    def resolve(self, schema: dict) -> dict:
        """A schema with its `$ref` followed (the referring schema's own words kept)."""
        seen = set()
        while (name := _ref_name(schema)) and name not in seen:
            seen.add(name)
            schema = {**self.schemas.get(name, {}),
                      **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema

    def _object_of(self, schema: dict) -> dict:
        """The object a property holds, through `$ref` and `X or null`; {} for a scalar."""
        schema = self.resolve(schema)
        options = [o for o in schema.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            schema = self.resolve(options[0])
        return schema if "properties" in schema else {}

    def property_fields(self, schema: dict, prefix: str = "", nested: bool = False,
                        depth: int = 0) -> list[Field]:
        """The properties of an object schema; with `nested`, an object property's own
        properties follow it, named `outer.inner` (as a refusal names them)."""
        schema = self.resolve(schema)
        required = set(schema.get("required", []))
        fields = []
        for name, prop in schema.get("properties", {}).items():
            full = f"{prefix}{name}"
            fields.append(self.field(full, prop, required=name in required))
            inner = self._object_of(prop) if nested and depth < 4 else {}
            if inner:
                fields.extend(self.property_fields(inner, f"{full}.", nested, depth + 1))
        return fields

    def field(self, name: str, schema: dict, *, required: bool, where: str = "",
              description: str = "", example: Any = None) -> Field:
        shown = {k: v for k, v in schema.items() if k != "$ref"} if _ref_name(schema) else schema
        target = self.resolve(schema)
        if example is None:
            examples = shown.get("examples") or (
                [] if _ref_name(schema) else target.get("examples", []))
            example = examples[0] if examples else shown.get("example")
        if example is None:
            written = ""
        elif where:
            written = _literal(example)
        else:
            written = json.dumps(example, ensure_ascii=False)
        bounds = _bounds(shown)
        return Field(
            name=name, where=where, type=type_parts(schema), required=required,
            description=prose(description or shown.get("description", "")),
            constraints=constraints(shown), pattern=bounds.get("pattern", ""),
            example=written,
            default=json.dumps(shown["default"], ensure_ascii=False)
            if "default" in shown else "")

    def media_example(self, content: dict) -> str:
        """The example of a body or an answer, as JSON; "" when its media type gives none
        (a shape's own example fits no particular status, so it is not shown for one)."""
        if "example" in content:
            return _json(content["example"])
        first = next(iter(content.get("examples", {}).values()), {})
        return _json(first["value"]) if "value" in first else ""

    def operation(self, path: str, method: str, op: dict, base_url: str) -> Operation:
        security = op.get("security", self.description.get("security", []))
        schemes = tuple(sorted({name for requirement in security for name in requirement}))
        parameters = tuple(
            self.field(p["name"], p.get("schema", {}), where=p["in"],
                       required=bool(p.get("required")), description=p.get("description", ""),
                       example=p.get("example"))
            for p in op.get("parameters", []))
        answers = []
        for status, answer in op.get("responses", {}).items():
            content = answer.get("content", {}).get("application/json", {})
            answers.append(Answer(status=str(status),
                                  description=prose(answer.get("description", "")),
                                  type=type_parts(content["schema"])
                                  if "schema" in content else (),
                                  example=self.media_example(content) if content else ""))
        body = op.get("requestBody", {})
        body_content = body.get("content", {}).get("application/json", {})
        body_schema = body_content.get("schema", {})
        return Operation(
            id=op.get("operationId") or f"{method}-{path}",
            method=method.upper(), path=path, summary=op.get("summary", ""),
            description=prose(op.get("description", "")),
            public=not schemes, schemes=schemes, parameters=parameters,
            body_description=prose(body.get("description", "")),
            body_type=type_parts(body_schema) if body_schema else (),
            body_fields=tuple(self.property_fields(body_schema, nested=True))
            if body_schema else (),
            body_example=self.media_example(body_content) if body_content else "",
            answers=tuple(answers),
            example_request=self.example_request(method, path, op, schemes, base_url,
                                                 bool(body_content)))

    def example_request(self, method: str, path: str, op: dict, schemes: tuple[str, ...],
                        base_url: str, has_body: bool) -> str:
        """A curl command for the operation: its path with the path parameters' examples,
        the query parameters that are required, the token's header and the body's example."""
        query = []
        for parameter in op.get("parameters", []):
            example = parameter.get("example")
            if example is None:
                continue
            if parameter["in"] == "path":
                path = path.replace("{" + parameter["name"] + "}", _literal(example))
            elif parameter["in"] == "query" and parameter.get("required"):
                query.append(f"{parameter['name']}={_literal(example)}")
        url = base_url.rstrip("/") + path + ("?" + "&".join(query) if query else "")
        lines = ["curl" + ("" if method == "get" else f" -X {method.upper()}") + f' "{url}"']
        for name in schemes:
            scheme = self.description.get("components", {}).get("securitySchemes", {}).get(
                name, {})
            if scheme.get("scheme") == "bearer":
                lines.append('-H "Authorization: Bearer $TOKEN"')
            elif scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                lines.append(f'-H "{scheme["name"]}: $KEY"')
        if has_body:
            lines.append('-H "Content-Type: application/json"')
            lines.append("--data @body.json")
        return " \\\n     ".join(lines)

    def shape(self, name: str, schema: dict) -> Shape:
        return Shape(name=name, description=prose(schema.get("description", "")),
                     fields=tuple(self.property_fields(schema)))

    def scheme_words(self) -> dict[str, str]:
        words = {}
        for name, scheme in self.description.get("components", {}).get(
                "securitySchemes", {}).items():
            if scheme.get("type") == "http" and scheme.get("scheme") == "bearer":
                words[name] = "a token sent as “Authorization: Bearer <token>”"
            elif scheme.get("type") == "apiKey":
                words[name] = f"a key in the {scheme.get('in')} “{scheme.get('name')}”"
            else:
                words[name] = scheme.get("description") or scheme.get("type", "")
        return words


def reference(description: dict, *, base_url: str = "") -> Reference:
    """What the reference page shows of an OpenAPI description, in the description's order."""
    read = Description(description)
    info = description.get("info", {})
    operations = tuple(
        read.operation(path, method, op, base_url)
        for path, methods in description.get("paths", {}).items()
        for method, op in methods.items() if method in METHODS)
    return Reference(
        title=info.get("title", ""), version=str(info.get("version", "")),
        openapi=description.get("openapi", ""), description=prose(info.get("description", "")),
        license=info.get("license", {}).get("name", ""), operations=operations,
        shapes=tuple(read.shape(name, schema) for name, schema in read.schemas.items()),
        schemes=read.scheme_words())


class ReferencePage(DocsBase):
    """django-ninja's docs page, as the site's own page: the reference of the description the
    API serves, rendered on the server."""

    template = "api/reference.html"

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        openapi_url = self.get_openapi_url(api, kwargs)
        description = api.get_openapi_schema(path_params=kwargs)
        server = (description.get("servers") or [{"url": "/"}])[0]["url"]
        base_url = request.build_absolute_uri(server) if server.startswith("/") else server
        return render(request, self.template, {
            "reference": reference(description, base_url=base_url),
            "openapi_url": openapi_url,
            "openapi_absolute_url": request.build_absolute_uri(openapi_url),
            "short_pattern": SHORT_PATTERN,
        })
