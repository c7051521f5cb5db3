"""A coordinator imports a town's list on a phone and on a laptop: reads the columns (the file
stays chosen while the mapping appears), leaves the hosts' names out, checks, downloads the
lines to fix, uploads them corrected and applies. No page is wider than its screen, and
axe-core finds no serious or critical violation."""

import codecs
import csv
import io
import re

import pytest

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import Event, HostContact
from nightout.registry.services import activities_ensure_standard, season_create
from tests.browser.test_change_review import fits, no_serious_violations
from tests.browser.test_finder import ARTIFACTS, axe_script  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIST = ("Party Host Name,Email,Address,Latitude,Longitude,Date,Time,Expected Attendance,"
        "Street Closure,Departments Requested\n"
        "Dana Secretname,dana@example.org,120 Elm Street,42.0702,-72.6155,8/6/2030,6-8:30,"
        "30-40,No,\"Police, Fire Truck\"\n"
        "\n"
        "Lee Host,lee@example.org,40 Oak Street,42.0690,-72.6170,8/6/2030,6pm-9pm,lots,Yes,"
        "Mayor\n"
        "Kim Cho,not-an-email,3 Cedar Road,42.0680,-72.6190,8/5/2030,6-9,50+,,\n")


@pytest.fixture
def season(jurisdiction):
    activities_ensure_standard()  # a transactional test starts from an emptied database
    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    user = User.objects.create_user("casey", password="nightout-demo")
    Membership.objects.create(user=user, role=Role.COORDINATOR, jurisdiction=jurisdiction)
    return season


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill("nightout-demo")
    page.get_by_role("button", name="Sign in").click()


def upload(page, season, name: str, content: bytes, width: int) -> None:
    page.goto(f"/coordinate/{season.slug}/import/")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content})
    page.get_by_role("button", name="Read the columns").click()
    page.get_by_role("heading", name="Which column holds what").wait_for()
    fits(page, width)
    no_serious_violations(page)


def test_a_list_is_mapped_checked_fixed_and_applied_on_any_screen(
        page, season, axe_script, tmp_path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page.add_init_script(path=str(axe_script))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page)
    upload(page, season, "nno-2030.csv", LIST.encode(), 390)
    host = page.get_by_label("Party Host Name", exact=True)
    assert host.input_value() == "host_name"
    host.select_option(label="Leave out (never stored)")
    page.screenshot(path=ARTIFACTS / "import-mapping-390.png", full_page=True)
    # htmx kept the chosen file: checking needs no second choice of it.
    page.get_by_role("button", name="Check every line with these columns").click()
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    status = page.get_by_role("status").first.inner_text()
    assert "2 of 3 lines have 3 problems" in status
    faults = page.locator("table.faults tbody tr")
    assert faults.count() == 3
    assert "lots" in faults.nth(0).inner_text() and faults.nth(0).inner_text().startswith("4")
    fits(page, 390)
    no_serious_violations(page)
    page.screenshot(path=ARTIFACTS / "import-faults-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    fits(page, 1366)
    page.screenshot(path=ARTIFACTS / "import-faults-1366.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the lines to fix")).click()
    saved = download.value.path().read_bytes()
    assert saved.startswith(codecs.BOM_UTF8)  # so that Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(saved.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["line", "problem"] and [r[-2] for r in rows[1:]] == ["4", "5"]
    assert "Party Host Name" not in rows[0]  # left out: never stored, never given back
    fixed = [rows[0][:-2]]
    for row in rows[1:]:
        cells = dict(zip(rows[0], row, strict=True))
        cells.update({"Expected Attendance": "40", "Email": "kim@example.org",
                      "Date": "8/6/2030"})
        fixed.append([cells[c] for c in rows[0][:-2]])
    fixed.append([c for c in LIST.splitlines()[1].replace('"Police, Fire Truck"', "Police")
                  .split(",")][1:])  # the good first line, without its host's name
    out = io.StringIO()
    csv.writer(out).writerows(fixed)
    page.set_viewport_size({"width": 390, "height": 844})
    upload(page, season, "nno-2030-fixed.csv", out.getvalue().encode(), 390)
    page.get_by_role("button", name="Check every line with these columns").click()
    page.wait_for_url(re.compile(r"/import/\d+/$"))
    assert "Every line is right" in page.get_by_role("status").first.inner_text()
    fits(page, 390)
    no_serious_violations(page)
    page.get_by_role("button", name=re.compile(r"Apply: write 3 lines")).click()
    page.get_by_text(re.compile("Written: 3 new")).wait_for()
    page.screenshot(path=ARTIFACTS / "import-applied-390.png", full_page=True)
    assert Event.objects.filter(season=season).count() == 3
    assert not HostContact.objects.filter(name__contains="Secretname").exists()
