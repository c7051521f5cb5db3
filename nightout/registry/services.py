"""Writes to the registry. Each is keyword-only, validated and transactional."""

import datetime as dt

from django.db import transaction

from nightout.registry.activities import STANDARD_ACTIVITIES
from nightout.registry.dates import default_nno_date
from nightout.registry.models import Activity, Jurisdiction, Season


@transaction.atomic
def season_create(
    *,
    jurisdiction: Jurisdiction,
    year: int,
    slug: str,
    nno_date: dt.date | None = None,
    **rules,
) -> Season:
    """A new season; without a date it takes the default NNO date for the state."""
    season = Season(
        jurisdiction=jurisdiction,
        year=year,
        slug=slug,
        nno_date=nno_date or default_nno_date(year, jurisdiction.state),
        **rules,
    )
    season.full_clean()
    season.save()
    return season


@transaction.atomic
def activities_ensure_standard() -> None:
    """Add any standard activity that is missing (a migration adds them on a new database)."""
    for position, (slug, name) in enumerate(STANDARD_ACTIVITIES):
        Activity.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
