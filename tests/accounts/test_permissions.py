"""Who may do what, role by role (table-driven)."""

import pytest
from django.db import IntegrityError, transaction

from nightout.accounts import permissions
from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import Agency, AgencyKind, Jurisdiction, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(event):
    """Agawam (the event's town) and Springfield, their police, a state agency, a region,
    and one user per role."""
    agawam = event.season.jurisdiction
    springfield = Jurisdiction.objects.create(
        name="Springfield", slug="springfield", state="MA", center_latitude=42.1,
        center_longitude=-72.59,
    )
    region = Region.objects.create(name="Western Massachusetts", slug="wm")
    agawam_police = Agency.objects.create(name="Agawam Police Department", slug="apd",
                                          kind=AgencyKind.LOCAL_POLICE, jurisdiction=agawam)
    springfield_police = Agency.objects.create(
        name="Springfield Police Department", slug="spd", kind=AgencyKind.LOCAL_POLICE,
        jurisdiction=springfield,
    )
    state_police = Agency.objects.create(name="Massachusetts State Police", slug="msp",
                                         kind=AgencyKind.STATE_POLICE)
    users = {"anonymous": None}

    def user(name, role=None, superuser=False, active=True, **scope):
        users[name] = User.objects.create_user(name, password="x", is_superuser=superuser,
                                               is_active=active)
        if role:
            Membership.objects.create(user=users[name], role=role, **scope)

    user("admin", superuser=True)
    user("coordinator", Role.COORDINATOR, jurisdiction=agawam)
    user("other_coordinator", Role.COORDINATOR, jurisdiction=springfield)
    user("liaison", Role.AGENCY_LIAISON, agency=agawam_police)
    user("other_liaison", Role.AGENCY_LIAISON, agency=springfield_police)
    user("state_liaison", Role.AGENCY_LIAISON, agency=state_police)
    user("crew", Role.CREW, agency=agawam_police)
    user("organizer", Role.REGIONAL_ORGANIZER, region=region)
    user("disabled_coordinator", Role.COORDINATOR, active=False, jurisdiction=agawam)
    user("nobody")
    return {"users": users, "event": event, "season": event.season, "agawam": agawam,
            "region": region, "agawam_police": agawam_police, "state_police": state_police}


def allowed(world, check, target) -> set[str]:
    from django.contrib.auth.models import AnonymousUser

    obj = world[target]
    return {
        name for name, user in world["users"].items()
        if check(user or AnonymousUser(), obj)
    }


@pytest.mark.parametrize(("check", "target", "expected"), [
    (permissions.can_manage_jurisdiction, "agawam", {"admin", "coordinator"}),
    (permissions.can_manage_season, "season", {"admin", "coordinator"}),
    (permissions.can_review_event, "event", {"admin", "coordinator"}),
    (permissions.can_view_host_contact, "event", {"admin", "coordinator", "liaison"}),
    (permissions.can_manage_agency, "agawam_police", {"admin", "coordinator", "liaison"}),
    (permissions.can_manage_agency, "state_police", {"admin", "state_liaison"}),
    (permissions.can_view_agency_schedule, "agawam_police",
     {"admin", "coordinator", "liaison", "crew"}),
    (permissions.can_view_region, "region", {"admin", "organizer"}),
])
def test_exactly_these_roles_are_allowed(world, check, target, expected):
    assert allowed(world, check, target) == expected


def test_memberships_are_read_once_per_user(world, django_assert_num_queries):
    coordinator = User.objects.get(username="coordinator")
    with django_assert_num_queries(1):
        for _ in range(5):
            assert permissions.can_review_event(coordinator, world["event"])
            assert not permissions.can_view_region(coordinator, world["region"])


@pytest.mark.parametrize(("role", "scope"), [
    (Role.COORDINATOR, "agency"),
    (Role.CREW, "jurisdiction"),
    (Role.REGIONAL_ORGANIZER, "agency"),
    (Role.AGENCY_LIAISON, None),
])
def test_a_membership_scope_must_match_its_role(world, role, scope):
    objects = {"agency": world["agawam_police"], "jurisdiction": world["agawam"]}
    user = User.objects.get(username="nobody")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=role,
                                  **({scope: objects[scope]} if scope else {}))


def test_a_role_is_held_once_per_place(world):
    user = User.objects.get(username="coordinator")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.COORDINATOR, jurisdiction=world["agawam"])
