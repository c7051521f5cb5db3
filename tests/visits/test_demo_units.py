import pytest
from django.core.management import call_command

from nightout.registry.models import Season
from nightout.visits.adapter import build_problem
from nightout.visits.models import Unit

pytestmark = pytest.mark.django_db


def test_the_demo_gives_lakeport_sixty_units_once_and_a_problem_to_plan():
    call_command("demo", "--url", "http://x")
    call_command("demo", "--url", "http://x")
    season = Season.objects.get(slug="lakeport-2027")
    units = Unit.objects.filter(season=season)
    assert units.count() == 60
    assert units.filter(ride_along_with__isnull=False, agency__kind="state_police").count() == 2
    problem = build_problem(season)
    assert len(problem.units) == 58 and len(problem.sites) > 1000
    assert {"police", "fire", "official"} <= set(problem.kinds())
