"""Lists for police, fire and public works, with host contacts only for the roles allowed."""

import codecs
import csv
import io

import pytest
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import Agency, AgencyKind
from nightout.registry.services import ClosureInput, event_approve, event_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(season, event_input, at, coordinator):
    kinds = [["police"], ["fire"], []]
    events = [
        event_register(season=season, data=event_input(
            title=f"Party {i}", address=f"{100 * (i + 1)} Oak Street", visits=visits,
            closure=ClosureInput(street="Oak Street", blocks=i + 1) if i != 1 else None),
            submitted_at=at(7, 1 + i))
        for i, visits in enumerate(kinds)
    ]
    for event in events:
        event_approve(event=event, user=coordinator)
    return events


def user_with(role, **scope):
    user = User.objects.create_user(f"u-{role}-{User.objects.count()}", password="pw")
    Membership.objects.create(user=user, role=role, **scope)
    return user


def read_csv(client, season, which):
    response = client.get(reverse("registry:official_list", args=[season.slug, which]),
                          {"format": "csv"})
    assert response.status_code == 200
    # For Excel: UTF-8 with its byte order mark, or accents come out in the code page.
    assert response.content.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_public_works_gets_the_closures_with_barricades(client, approved, coordinator, season):
    client.force_login(coordinator)
    rows = read_csv(client, season, "public-works")
    assert [(r["Street"], r["Blocks"], r["Barricades"]) for r in rows] == [
        ("Oak Street", "1", "2"), ("Oak Street", "3", "6")]
    assert all(r["Permit"].startswith("AGAWAM-2017-") for r in rows)


def test_fire_list_has_fire_requests_and_closures(client, approved, coordinator, season):
    client.force_login(coordinator)
    assert {r["Event"] for r in read_csv(client, season, "fire")} == {"Party 0", "Party 1",
                                                                      "Party 2"}
    assert len(read_csv(client, season, "police")) == 3


def test_contacts_for_coordinators_and_the_towns_liaisons_only(client, approved, season,
                                                                coordinator):
    police = Agency.objects.create(name="Agawam Police Department", slug="apd",
                                   kind=AgencyKind.LOCAL_POLICE, jurisdiction=season.jurisdiction)
    state = Agency.objects.create(name="State Police", slug="msp", kind=AgencyKind.STATE_POLICE)
    client.force_login(coordinator)
    assert read_csv(client, season, "police")[0]["Host email"] == "pat@example.org"
    client.force_login(user_with(Role.AGENCY_LIAISON, agency=police))
    assert "Host email" in read_csv(client, season, "police")[0]
    for outsider in (user_with(Role.CREW, agency=police),
                     user_with(Role.AGENCY_LIAISON, agency=state)):
        client.force_login(outsider)
        url = reverse("registry:official_list", args=[season.slug, "police"])
        assert client.get(url).status_code == 403


def test_printable_page_lists_the_rows(client, approved, coordinator, season):
    client.force_login(coordinator)
    html = client.get(reverse("registry:official_list", args=[season.slug, "police"])).content
    assert b"Party 2" in html and b"Download CSV" in html


def opener(role, season, coordinator):
    """Each role that may open the official lists: the town's coordinator, the liaison of one
    of its own agencies, a site admin."""
    if role == "coordinator":
        return coordinator
    if role == "liaison":
        police = Agency.objects.create(name="Agawam Police Department", slug="apd",
                                       kind=AgencyKind.LOCAL_POLICE,
                                       jurisdiction=season.jurisdiction)
        return user_with(Role.AGENCY_LIAISON, agency=police)
    return User.objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.mark.parametrize("which", ["police", "fire", "public-works"])
@pytest.mark.parametrize("role", ["coordinator", "liaison", "site admin"])
def test_an_event_without_a_host_contact_is_listed_with_blank_contact_cells(
        client, approved, season, coordinator, role, which):
    """A contact purged after the retention period, or an import without one: the event is
    still on every list, in the page and the CSV, with its contact cells blank."""
    from nightout.registry.models import HostContact

    HostContact.objects.filter(event=approved[0]).delete()
    client.force_login(opener(role, season, coordinator))
    rows = read_csv(client, season, which)
    assert "Party 0" in {r["Event"] for r in rows}
    for row in rows:
        expected = ("", "", "") if row["Event"] == "Party 0" else (
            "Pat Host", "413-555-0100", "pat@example.org")
        assert (row["Host"], row["Host phone"], row["Host email"]) == expected
    page = client.get(reverse("registry:official_list", args=[season.slug, which]))
    assert page.status_code == 200
    assert b"Party 0" in page.content and b"pat@example.org" in page.content


def test_a_list_shows_one_district_at_a_time_with_each_districts_count(client, approved,
                                                                        coordinator, season):
    """On a phone, a district's officers open their district only; its CSV holds it only; the
    host's phone and email open the dialer and the mail program."""
    from nightout.registry.models import Event

    Event.objects.filter(pk=approved[0].pk).update(district="North")
    Event.objects.filter(pk__in=[approved[1].pk, approved[2].pk]).update(district="South")
    client.force_login(coordinator)
    url = reverse("registry:official_list", args=[season.slug, "police"])
    page = client.get(url).content.decode()
    assert '<a href="?district=North">North (1)</a>' in page
    assert '<a href="?district=South">South (2)</a>' in page
    north = client.get(url, {"district": "North"}).content.decode()
    assert "Party 0" in north and "Party 1" not in north and "Party 2" not in north
    assert 'href="mailto:' in north and 'data-label="Host email"' in north
    rows = list(csv.reader(io.StringIO(client.get(url, {"district": "South", "format": "csv"})
                                       .content.decode("utf-8-sig"))))
    assert sorted(r[1] for r in rows[1:]) == ["Party 1", "Party 2"]
    everything = client.get(url, {"district": "Nowhere"}).content.decode()  # an unknown: all
    assert "Party 0" in everything and "Party 2" in everything
