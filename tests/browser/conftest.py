"""What the coordinators' browser walks start from."""

import pytest


@pytest.fixture
def casey_season(jurisdiction):
    """Agawam's 2030 season and its coordinator, casey (password "nightout-demo"), in a
    database a transactional test has emptied (the standard activities made again)."""
    from nightout.accounts.models import Membership, Role, User
    from nightout.registry.services import activities_ensure_standard, season_create

    activities_ensure_standard()
    season = season_create(jurisdiction=jurisdiction, year=2030, slug="agawam-2030")
    user = User.objects.create_user("casey", password="nightout-demo")
    Membership.objects.create(user=user, role=Role.COORDINATOR, jurisdiction=jurisdiction)
    season.coordinator = user
    return season
