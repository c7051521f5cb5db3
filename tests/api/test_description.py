"""What the served description tells a client: every operation and every property has a
description and an example, each example fits the schema it illustrates, the public
operations need no token (`security: []`) and the agency's keep the bearer token."""

import pytest
from jsonschema_rs import Draft202012Validator

pytestmark = pytest.mark.django_db

PUBLIC = {("get", "/api/events"), ("get", "/api/events/{event_id}"), ("get", "/api/seasons"),
          ("get", "/api/seasons/{slug}"), ("post", "/api/seasons/{slug}/registrations")}


@pytest.fixture
def description(client):
    return client.get("/api/openapi.json").json()


def operations(description):
    for path, methods in description["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def properties(schema, where):
    """Every property below `schema` (not through references), with where it is."""
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from properties(prop, f"{where}.{name}")
    for key in ("items", "anyOf", "oneOf", "allOf"):
        value = schema.get(key)
        for part in value if isinstance(value, list) else [value] if value else []:
            yield from properties(part, where)


def refers_to_an_object(prop, schemas) -> bool:
    """A property holding an object (or a list of them, or null) shown by its schema's own
    example."""
    parts = [prop, prop.get("items", {}), *prop.get("anyOf", [])]
    names = [p["$ref"].rsplit("/", 1)[1] for p in parts if "$ref" in p]
    return bool(names) and all(schemas[n].get("examples") for n in names)


def validator(description, schema):
    """A JSON Schema validator (jsonschema-rs, formats checked) for one schema of the
    description, its references resolved in the description's components."""
    return Draft202012Validator({**schema, "components": description["components"]},
                                validate_formats=True)


def test_every_operation_has_a_description_an_example_and_words_for_each_answer(description):
    missing = []
    for method, path, operation in operations(description):
        if not operation.get("summary") or not operation.get("description"):
            missing.append((method, path, "description"))
        success = [r for s, r in operation["responses"].items() if s.startswith("2")]
        if not all(r.get("content", {}).get("application/json", {}).get("example") is not None
                   for r in success):
            missing.append((method, path, "example of its answer"))
        for status, response in operation["responses"].items():
            if response["description"] in ("OK", "Unknown Status Code", "") or \
                    response["description"].startswith(("Bad Request", "Not Found",
                                                        "Unprocessable")):
                missing.append((method, path, f"words for {status}"))
        for parameter in operation["parameters"]:
            if not parameter.get("description") or "example" not in parameter:
                missing.append((method, path, parameter["name"]))
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None and "example" not in body:
            missing.append((method, path, "example of its body"))
    assert missing == []


def test_every_property_has_a_description_and_an_example(description):
    schemas = description["components"]["schemas"]
    missing = [where for name, schema in schemas.items()
               for where, prop in properties(schema, name)
               if not prop.get("description")
               or not (prop.get("examples") or refers_to_an_object(prop, schemas))]
    assert missing == []
    assert [name for name, schema in schemas.items() if not schema.get("examples")] == []


def test_every_example_fits_its_schema(description):
    wrong = []
    for name, schema in description["components"]["schemas"].items():
        for where, prop in [(name, schema), *properties(schema, name)]:
            check = validator(description, ({k: v for k, v in prop.items()
                                                      if k != "examples"}))
            for example in prop.get("examples", []):
                wrong += [(where, example, e.message) for e in check.iter_errors(example)]
    for method, path, operation in operations(description):
        for status, response in operation["responses"].items():
            content = response.get("content", {}).get("application/json", {})
            if "example" in content:
                check = validator(description, (content["schema"]))
                wrong += [(method, path, status, e.message)
                          for e in check.iter_errors(content["example"])]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            check = validator(description, (body["schema"]))
            wrong += [(method, path, "body", e.message) for e in check.iter_errors(body["example"])]
        for parameter in operation["parameters"]:
            check = validator(description, (parameter["schema"]))
            wrong += [(method, path, parameter["name"], e.message)
                      for e in check.iter_errors(parameter["example"])]
    assert wrong == []


def test_public_operations_need_no_token_and_the_agencys_keep_theirs(description):
    security = {(method, path): operation["security"]
                for method, path, operation in operations(description)}
    assert {k for k, v in security.items() if v == []} == PUBLIC
    assert all(v == [{"AgencyTokenAuth": []}] for k, v in security.items() if k not in PUBLIC)
    assert len(security) == 8


def test_no_schema_is_listed_that_nothing_uses(description):
    text = str(description["paths"]) + str(description["components"]["schemas"])
    unused = [name for name in description["components"]["schemas"]
              if text.count(f"#/components/schemas/{name}'") == 0]
    assert unused == []
