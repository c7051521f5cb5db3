"""The API's reference at /api/docs: made on the server from the description the API serves,
so every operation, parameter, answer and shape of /api/openapi.json is on the page, in the
site's layout, with nothing fetched from elsewhere and no script."""

import json
from html.parser import HTMLParser

import pytest

from nightout.api.reference import prose, reference

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Page(HTMLParser):
    """A page's text inside each element that has an id, the links, and every element with
    its attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.open: list[tuple[str, str]] = []
        self.text: dict[str, str] = {}
        self.elements: list[tuple[str, dict, list[str]]] = []  # tag, attributes, ancestors
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attrs, [t for t, _ in self.open]))
        if tag in VOID:
            return
        self.open.append((tag, attrs.get("id", "")))
        if attrs.get("id"):
            self.text.setdefault(attrs["id"], "")

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, element_id in self.open:
            if element_id:
                self.text[element_id] += data

    def all(self, tag: str) -> list[dict]:
        return [attrs for t, attrs, _ in self.elements if t == tag]

    def words(self, element_id: str) -> str:
        return " ".join(self.text[element_id].split())


@pytest.fixture
def served(client):
    description = client.get("/api/openapi.json").json()
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    return description, Page(response.content.decode())


def operations(description):
    return [(path, method, op) for path, methods in description["paths"].items()
            for method, op in methods.items()]


def test_every_operation_of_the_description_has_its_section_and_a_link_to_it(served):
    description, page = served
    ops = operations(description)
    assert len(ops) == 8
    links = [a["href"] for a in page.all("a")]
    for path, method, op in ops:
        section = page.words(op["operationId"])
        assert f"{method.upper()} {path}" in section, op["operationId"]
        assert op["summary"] in section
        first_sentence = " ".join(op["description"].split())[:60]
        assert first_sentence.replace("`", "") in section
        assert f"#{op['operationId']}" in links


def test_every_parameter_is_on_the_page_with_where_it_goes_its_example_and_its_limits(served):
    description, page = served
    checked = 0
    for _, _, op in operations(description):
        section = page.words(op["operationId"])
        for parameter in op["parameters"]:
            schema = parameter["schema"]
            said = f"{parameter['name']} in {parameter['in']}"
            assert said in section, (op["operationId"], said)
            example = parameter["example"]
            written = example if isinstance(example, str) else json.dumps(example)
            assert f"Example: {written}" in section, (op["operationId"], parameter["name"])
            assert " ".join(parameter["description"].replace("`", "").split()) in section
            if "maxLength" in schema:
                assert f"{schema['maxLength']} characters" in section
            if "maximum" in schema:
                assert f"from {schema['minimum']} to {schema['maximum']}" in section
            if "enum" in schema:
                assert "one of " + ", ".join(schema["enum"]) in section
            checked += 1
    assert checked >= 15


def test_every_answer_is_on_the_page_with_its_status_and_its_example(served):
    description, page = served
    for _, _, op in operations(description):
        section = page.words(op["operationId"])
        for status, answer in op["responses"].items():
            assert f"{status} " in section
            assert " ".join(answer["description"].replace("`", "").split()) in section
            example = answer.get("content", {}).get("application/json", {}).get("example")
            if example is not None:
                for key in example if isinstance(example, dict) else example[0]:
                    assert f'"{key}":' in section, (op["operationId"], status, key)


def test_the_request_body_lists_every_field_named_as_a_refusal_names_it(served):
    description, page = served
    (op,) = [op for _, method, op in operations(description) if method == "post"]
    section = page.words(op["operationId"])
    schemas = description["components"]["schemas"]
    body = schemas["RegistrationIn"]
    for name in body["properties"]:
        assert f" {name} " in f" {section} ", name
    for name in schemas["HostIn"]["properties"]:
        assert f"host.{name} " in section, name
    for name in schemas["ClosureIn"]["properties"]:
        assert f"closure.{name} " in section, name
    assert "title string required" in section
    assert "host.phone string optional" in section
    assert '"Maple Street Block Party"' in section  # the body's example


def test_every_shape_and_its_properties_are_on_the_page(served):
    description, page = served
    for name, schema in description["components"]["schemas"].items():
        shape = page.words(f"shape-{name}")
        assert shape.startswith(name)
        for prop in schema.get("properties", {}):
            assert f" {prop} " in f" {shape} ", (name, prop)


def test_public_operations_say_so_and_agency_ones_name_the_token(served):
    description, page = served
    for path, _, op in operations(description):
        access = page.words(op["operationId"])
        if path.startswith("/api/agency/"):
            assert "AgencyTokenAuth: a token sent as “Authorization: Bearer <token>”" in access
            assert 'Authorization: Bearer $TOKEN' in access
            assert "Public: no token needed" not in access
        else:
            assert "Public: no token needed" in access


def test_the_page_is_the_sites_own_links_the_description_and_loads_nothing_from_elsewhere(
        served):
    _, page = served
    (html,) = page.all("html")
    assert html["lang"] == "en"
    assert any("site" in attrs.get("class", "") for attrs in page.all("header"))
    assert "/api/openapi.json" in [a["href"] for a in page.all("a")]
    scripts = [s["src"] for s in page.all("script")]
    assert scripts and all(src.startswith("/static/nightout/") for src in scripts)
    sheets = [link["href"] for link in page.all("link") if link.get("rel") == "stylesheet"]
    assert sheets and all(href.startswith("/static/nightout/") for href in sheets)
    assert not any("swagger" in src or "ninja" in src for src in scripts + sheets)
    assert page.all("img") == [] and page.all("iframe") == []


def test_every_block_of_code_scrolls_in_its_own_labelled_focusable_region(served):
    _, page = served
    pres = [ancestors for tag, _, ancestors in page.elements if tag == "pre"]
    regions = [attrs for attrs in page.all("div") if "api-code" in attrs.get("class", "")]
    assert len(pres) == len(regions) >= 8 + 8
    for region in regions:
        assert region["role"] == "region" and region["tabindex"] == "0"
        assert region["aria-label"].startswith("Example ")
    assert len({r["aria-label"] for r in regions}) == len(regions)


def test_the_example_request_fills_in_the_path_and_uses_this_sites_address(served):
    description, page = served
    detail = description["paths"]["/api/events/{event_id}"]["get"]
    example = detail["parameters"][0]["example"]
    assert f'curl "http://testserver/api/events/{example}"' in page.words(detail["operationId"])
    register = description["paths"]["/api/seasons/{slug}/registrations"]["post"]
    words = page.words(register["operationId"])
    assert 'curl -X POST "http://testserver/api/seasons/lakeport-2027/registrations"' in words
    assert '-H "Content-Type: application/json"' in words and "--data @body.json" in words


# -- reading a description: what the page says of a schema ------------------------------------

SMALL = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "2", "description": "One `thing`.\n\nTwo <b>."},
    "paths": {"/things/{id}": {"put": {
        "operationId": "thing_put", "summary": "Change a thing",
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1}, "example": 7},
                       {"name": "dry", "in": "query", "required": True,
                        "schema": {"type": "boolean"}, "example": True}],
        "requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Thing"}}}},
        "responses": {"200": {"description": "Changed.", "content": {"application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}},
            "example": [{"name": "lamp"}]}}}},
        "security": [{"Key": []}]}}},
    "components": {
        "securitySchemes": {"Key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
        "schemas": {
            "Thing": {"type": "object", "required": ["name"],
                      "examples": [{"name": "lamp", "owner": None}],
                      "properties": {
                          "name": {"type": "string", "minLength": 1, "maxLength": 9,
                                   "pattern": "^[a-z]+$"},
                          "tags": {"type": "array", "items": {"type": "string"},
                                   "maxItems": 3, "uniqueItems": True},
                          "owner": {"anyOf": [{"$ref": "#/components/schemas/Owner"},
                                              {"type": "null"}]}}},
            "Owner": {"type": "object", "properties": {
                "age": {"anyOf": [{"type": "integer"}, {"type": "null"}], "minimum": 0,
                        "maximum": 130, "default": None}}}}},
}


def test_a_description_is_read_into_fields_types_and_limits_in_words():
    (op,) = reference(SMALL, base_url="https://nno.example.org/").operations
    assert (op.method, op.path, op.public, op.schemes) == ("PUT", "/things/{id}", False, ("Key",))
    ident, dry = op.parameters
    assert (ident.where, ident.required, ident.constraints, ident.example) == (
        "path", True, ("at least 1",), "7")
    assert dry.example == "true"
    fields = {f.name: f for f in op.body_fields}
    assert list(fields) == ["name", "tags", "owner", "owner.age"]
    assert fields["name"].required and not fields["tags"].required
    assert fields["name"].constraints == ("1 to 9 characters",)
    assert fields["name"].pattern == "^[a-z]+$"
    assert fields["tags"].constraints == ("0 to 3 items", "no item twice")
    assert [(p.text, p.shape) for p in fields["owner"].type] == [
        ("Owner", "Owner"), (" or ", ""), ("null", "")]
    assert fields["owner.age"].constraints == ("from 0 to 130",)
    assert fields["owner.age"].default == "null"
    (answer,) = op.answers
    assert [(p.text, p.shape) for p in answer.type] == [("array of ", ""), ("Thing", "Thing")]
    assert answer.example == '[\n  {\n    "name": "lamp"\n  }\n]'
    assert op.body_example == ""  # the shape's example is no example of this body
    assert op.example_request == (
        'curl -X PUT "https://nno.example.org/things/7?dry=true" \\\n'
        '     -H "X-Key: $KEY" \\\n'
        '     -H "Content-Type: application/json" \\\n     --data @body.json')


def test_a_descriptions_words_are_escaped_and_only_code_and_strong_are_marked_up():
    assert prose("One `thing`.\n\nTwo <b>, **Find a party** and `**x**`.") == (
        "<p>One <code>thing</code>.</p><p>Two &lt;b&gt;, <strong>Find a party</strong> and "
        "<code>**x**</code>.</p>")
    assert reference(SMALL).schemes == {"Key": "a key in the header “X-Key”"}
