"""One login per role, so every screen of the demo can be tried."""

from dataclasses import dataclass

from django.db import transaction

from nightout.accounts.models import Membership, Role, User
from nightout.registry.models import Agency, Jurisdiction, Region

PASSWORD = "nightout-demo"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    what: str


LOGINS = [
    DemoLogin("admin", "Site Administrator", "site administrator: everything, and the admin"),
    DemoLogin("coordinator", "Casey Coordinator", "coordinator of Lakeport"),
    DemoLogin("chicopee", "Chris Chicopee", "coordinator of Chicopee"),
    DemoLogin("liaison", "Lee Liaison", "liaison of the Lakeport Police Department"),
    DemoLogin("crew", "Carmen Crew", "crew of the Lakeport Police Department"),
    DemoLogin("organizer", "Riley Regional", "regional organizer of Western Massachusetts"),
]


@transaction.atomic
def load_accounts() -> list[DemoLogin]:
    """Create the demo logins that do not exist yet; existing ones are left as they are."""
    scopes = {
        "coordinator": (Role.COORDINATOR,
                        {"jurisdiction": Jurisdiction.objects.get(slug="lakeport")}),
        "chicopee": (Role.COORDINATOR, {"jurisdiction": Jurisdiction.objects.get(slug="chicopee")}),
        "liaison": (Role.AGENCY_LIAISON,
                    {"agency": Agency.objects.get(slug="lakeport-police-department")}),
        "crew": (Role.CREW, {"agency": Agency.objects.get(slug="lakeport-police-department")}),
        "organizer": (Role.REGIONAL_ORGANIZER,
                      {"region": Region.objects.get(slug="western-massachusetts")}),
    }
    for login in LOGINS:
        first, last = login.name.split(" ", 1)
        user = User.objects.filter(username=login.username).first()
        if user is None:
            user = User(username=login.username, first_name=first, last_name=last,
                        email=f"{login.username}@nightout.invalid")
            user.is_staff = user.is_superuser = login.username == "admin"
            user.set_password(PASSWORD)
            user.save()
        if login.username in scopes:
            role, scope = scopes[login.username]
            Membership.objects.get_or_create(user=user, role=role, **scope)
    return LOGINS
