"""Agency tokens: made once (admin or command line), stored hashed, revocable; the agency
operations answer 401 without a good one."""

import hashlib

import pytest
from django.core.management import call_command

from nightout.api.models import AgencyToken
from nightout.api.services import agency_token_create, agency_token_revoke

pytestmark = pytest.mark.django_db

UNITS = "/api/agency/units"


def test_only_a_digest_of_the_token_is_stored(police):
    token, raw = agency_token_create(agency=police, name="Dispatch")
    stored = AgencyToken.objects.values().get(pk=token.pk)
    assert raw not in str(stored)
    assert stored["digest"] == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nno_not-a-real-token",
                                    "Basic dXNlcjpwdw==", "Token {token}"])
def test_without_a_good_token_the_agency_operations_answer_401(client, police_token, header):
    extra = {"HTTP_AUTHORIZATION": header.format(token=police_token)} if header else {}
    response = client.get(UNITS, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "agency token is needed" in response.json()["detail"]


def test_a_revoked_token_stops_working_at_once(client, police, units):
    token, raw = agency_token_create(agency=police, name="Dispatch")
    header = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(UNITS, **header).status_code == 200
    agency_token_revoke(token=token)
    assert client.get(UNITS, **header).status_code == 401


def test_a_token_notes_when_it_was_last_used(client, police, bearer):
    client.get(UNITS, **bearer)
    assert AgencyToken.objects.get().last_used_at is not None


def test_the_command_line_prints_a_token_once_lists_and_revokes_it(police, capsys):
    call_command("api-token", "create", "--agency", "agawam-police", "--name", "Dispatch")
    raw = capsys.readouterr().out.splitlines()[-1]
    token = AgencyToken.objects.get()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    call_command("api-token", "list")
    listed = capsys.readouterr().out
    assert token.prefix in listed and "active" in listed and raw not in listed
    call_command("api-token", "revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_command_line_refuses_an_unknown_agency(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No agency"):
        call_command("api-token", "create", "--agency", "nobody", "--name", "x")


def test_the_admin_makes_a_token_shows_it_once_and_revokes_it(admin_client, police):
    response = admin_client.post("/admin/api/agencytoken/add/",
                                 {"agency": police.pk, "name": "Dispatch"}, follow=True)
    token = AgencyToken.objects.get()
    page = response.content.decode()
    assert "shown only this once" in page and token.prefix in page
    raw = page.split("copy it now. ")[1].split("<")[0].strip()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in admin_client.get(f"/admin/api/agencytoken/{token.pk}/change/"
                                       ).content.decode()
    admin_client.post("/admin/api/agencytoken/", {"action": "revoke",
                                                  "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_staff_who_are_not_site_administrators_make_tokens_only_for_their_agencies(
        client, police, fire):
    from django.contrib.auth.models import Permission

    from nightout.accounts.models import Membership, Role, User

    liaison = User.objects.create_user("lee", password="pw", is_staff=True)
    liaison.user_permissions.set(Permission.objects.filter(
        content_type__app_label="api", codename__in=["add_agencytoken", "view_agencytoken"]))
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    agency_token_create(agency=fire, name="Fire dispatch")
    client.force_login(liaison)
    form = client.get("/admin/api/agencytoken/add/").content.decode()
    assert "Agawam Police" in form and "Agawam Fire" not in form
    refused = client.post("/admin/api/agencytoken/add/", {"agency": fire.pk, "name": "x"})
    assert refused.status_code == 200 and AgencyToken.objects.count() == 1
    listing = client.get("/admin/api/agencytoken/").content.decode()
    assert "Fire dispatch" not in listing
