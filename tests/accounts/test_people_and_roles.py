"""People and their roles: a coordinator invites a crew member by email; the invited person
sets a password through the signed link and has the role; a link used, withdrawn or expired
no longer works; a role is taken back; nobody gives a role they do not manage. And where each
role leads: signing in, the header's links, an organizer's way to a town's report."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nightout.accounts.models import Invitation, Membership, Role, User
from nightout.accounts.services import (
    LINK_GONE,
    invitation_from_token,
    invitation_send,
    invitation_token,
    membership_revoke,
)
from nightout.errors import NotAllowed

pytestmark = pytest.mark.django_db


def test_a_crew_member_is_invited_sets_a_password_and_has_the_role(
        client, season, coordinator, police, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    people = reverse("registry:people", args=[season.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(people, {"action": "invite", "email": "sam@agawam.example",
                                         "what": f"crew:{police.pk}"})
    assert response.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["sam@agawam.example"] and "as crew member of Agawam Police" in mail.body
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/invitation/\S+/)", mail.body)[1]
    page = client.get(people).content.decode()
    assert "sam@agawam.example" in page and "Withdraw" in page
    client.logout()
    weak = client.post(link, {"username": "sam", "password1": "sam", "password2": "sam"})
    assert weak.status_code == 400 and not User.objects.filter(username="sam").exists()
    made = client.post(link, {"username": "sam", "first_name": "Sam", "last_name": "Ortiz",
                              "password1": "Night-0ut-2030!", "password2": "Night-0ut-2030!"})
    assert made.status_code == 302
    sam = User.objects.get(username="sam")
    assert sam.email == "sam@agawam.example"
    assert Membership.objects.filter(user=sam, role=Role.CREW, agency=police).exists()
    assert client.get(reverse("accounts:me")).status_code == 200  # signed in
    client.logout()
    used = client.get(link)
    assert used.status_code == 410 and "used already" in used.content.decode()


def test_a_withdrawn_or_expired_or_forged_link_says_what_to_do(client, season, coordinator,
                                                                police):
    sent = invitation_send(user=coordinator, email="kim@example.org", role=Role.CREW,
                           scope=police)
    client.force_login(coordinator)
    client.post(reverse("registry:people", args=[season.slug]),
                {"action": "revoke_invitation", "invitation": sent.pk})
    client.logout()
    gone = client.get(reverse("accounts:invitation", args=[invitation_token(sent)]))
    assert gone.status_code == 410 and "withdrawn" in gone.content.decode()
    late = invitation_send(user=coordinator, email="lee@example.org", role=Role.CREW,
                           scope=police, now=timezone.now() - dt.timedelta(days=8))
    assert invitation_from_token(invitation_token(late))[1] == "expired"
    forged = client.get(reverse("accounts:invitation", args=["not-a-token"]))
    assert forged.status_code == 410
    assert LINK_GONE["unknown"].replace("'", "&#x27;") in forged.content.decode()


def test_nobody_gives_a_role_they_do_not_manage(season, coordinator, police, fire):
    crew = User.objects.create_user("crew1", password="pw")
    Membership.objects.create(user=crew, role=Role.CREW, agency=police)
    with pytest.raises(NotAllowed):  # a crew member invites nobody
        invitation_send(user=crew, email="x@example.org", role=Role.CREW, scope=police)
    with pytest.raises(NotAllowed):  # a coordinator does not make coordinators
        invitation_send(user=coordinator, email="x@example.org", role=Role.COORDINATOR,
                        scope=season.jurisdiction)
    liaison = User.objects.create_user("liaison1", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    with pytest.raises(NotAllowed):  # a liaison gives roles in their own agency only
        invitation_send(user=liaison, email="x@example.org", role=Role.CREW, scope=fire)
    assert not Invitation.objects.exists()


def test_an_organizer_invites_a_coordinator_of_a_town_of_their_region(season):
    from nightout.registry.models import Region

    region = Region.objects.create(name="Western Massachusetts", slug="western-ma")
    season.jurisdiction.regions.add(region)
    organizer = User.objects.create_user("org", password="pw")
    Membership.objects.create(user=organizer, role=Role.REGIONAL_ORGANIZER, region=region)
    invitation = invitation_send(user=organizer, email="new@agawam.example",
                                 role=Role.COORDINATOR, scope=season.jurisdiction)
    assert invitation.jurisdiction == season.jurisdiction


def test_a_role_is_taken_back_and_the_account_stays(client, season, coordinator, police):
    crew = User.objects.create_user("crew1", password="pw")
    membership = Membership.objects.create(user=crew, role=Role.CREW, agency=police)
    client.force_login(coordinator)
    page = client.get(reverse("registry:people", args=[season.slug])).content.decode()
    assert "crew1" in page and "Take back: crew member of Agawam Police" in page
    client.post(reverse("registry:people", args=[season.slug]),
                {"action": "revoke_membership", "membership": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(username="crew1").exists()
    own = Membership.objects.get(user=coordinator)
    with pytest.raises(NotAllowed):
        membership_revoke(user=User.objects.create_user("nobody"), membership=own)


@pytest.mark.parametrize("role", ["coordinator", "liaison", "crew", "nobody"])
def test_signing_in_leads_to_the_season_the_person_works_on(client, season, police, role):
    user = User.objects.create_user("pat", password="Night-0ut-2030!")
    if role == "coordinator":
        Membership.objects.create(user=user, role=Role.COORDINATOR,
                                  jurisdiction=season.jurisdiction)
    elif role in ("liaison", "crew"):
        Membership.objects.create(user=user, role={"liaison": Role.AGENCY_LIAISON,
                                                   "crew": Role.CREW}[role], agency=police)
    response = client.post(reverse("accounts:login"),
                           {"username": "pat", "password": "Night-0ut-2030!"}, follow=True)
    expected = {"coordinator": reverse("registry:queue", args=[season.slug]),
                "liaison": reverse("visits:units", args=[season.slug]),
                "crew": reverse("visits:index"), "nobody": reverse("accounts:me")}[role]
    assert response.redirect_chain[-1][0] == expected


@pytest.mark.parametrize("role, shown, hidden", [
    ("coordinator", ["Coordinate", "Visits"], ["Region", "Towns"]),
    ("crew", ["Visits"], ["Coordinate", "Region", "Towns"]),
    ("organizer", ["Region", "Towns"], ["Coordinate", "Visits"]),
])
def test_the_header_offers_what_the_role_leads_to(client, season, police, role, shown, hidden):
    from nightout.registry.models import Region

    user = User.objects.create_user("pat", password="pw")
    if role == "coordinator":
        Membership.objects.create(user=user, role=Role.COORDINATOR,
                                  jurisdiction=season.jurisdiction)
    elif role == "crew":
        Membership.objects.create(user=user, role=Role.CREW, agency=police)
    else:
        region = Region.objects.create(name="Western Massachusetts", slug="western-ma")
        Membership.objects.create(user=user, role=Role.REGIONAL_ORGANIZER, region=region)
    client.force_login(user)
    header = client.get(reverse("accounts:me")).content.decode().split("</header>")[0]
    for link in shown:
        assert f">{link}</a>" in header, link
    for link in hidden:
        assert f">{link}</a>" not in header, link


def test_an_organizer_opens_a_towns_season_report_from_the_roll_up(client, season):
    from nightout.registry.models import Region

    region = Region.objects.create(name="Western Massachusetts", slug="western-ma")
    season.jurisdiction.regions.add(region)
    organizer = User.objects.create_user("org", password="pw")
    Membership.objects.create(user=organizer, role=Role.REGIONAL_ORGANIZER, region=region)
    client.force_login(organizer)
    report = reverse("reports:season", args=[season.slug])
    rollup = client.get(reverse("reports:region", args=[region.slug]), {"year": season.year})
    assert f'href="{report}"' in rollup.content.decode()
    assert client.get(report).status_code == 200
    public = client.get(reverse("reports:transparency", args=[region.slug]),
                        {"year": season.year})
    assert f'href="{report}"' not in public.content.decode()
    elsewhere = Region.objects.create(name="Elsewhere", slug="elsewhere")
    stranger = User.objects.create_user("org2", password="pw")
    Membership.objects.create(user=stranger, role=Role.REGIONAL_ORGANIZER, region=elsewhere)
    client.force_login(stranger)
    assert client.get(report).status_code == 403


def test_an_invitation_withdrawn_while_its_page_was_open_makes_no_account(
        client, season, coordinator, police):
    from nightout.accounts.services import invitation_revoke

    sent = invitation_send(user=coordinator, email="kim@example.org", role=Role.CREW,
                           scope=police)
    link = reverse("accounts:invitation", args=[invitation_token(sent)])
    assert client.get(link).status_code == 200
    invitation_revoke(user=coordinator, invitation=sent)
    response = client.post(link, {"username": "kim", "password1": "Night-0ut-2030!",
                                  "password2": "Night-0ut-2030!"})
    assert response.status_code == 410 and not User.objects.filter(username="kim").exists()
