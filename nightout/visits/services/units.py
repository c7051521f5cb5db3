"""Units: add, change, send out or keep home, and remove the vehicles that go out on the night.

A version already built keeps what it planned; the next build or re-plan plans with the units
as they are then.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from nightout.accounts.permissions import can_manage_agency, can_manage_season
from nightout.errors import Invalid
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import Agency, Season, Station
from nightout.visits.models import Stop, Unit
from nightout.visits.services.access import require

RIDES_WITH_ITSELF = "A unit cannot ride along with itself."
RIDES_WITH_A_RIDER = "{unit} rides along with another unit itself; choose the unit it rides with."
HAS_RIDERS = "Other units ride along with this one; it cannot ride along itself."
UNIT_IN_PLAN = ("{unit} has stops in version {versions} of the plan, which keep them: it cannot "
                "be removed. If it will not go out, mark it as not going out instead.")
UNIT_HAS_RIDERS = "{riders} {verb} along with {unit}: change or remove {them} first."


@transaction.atomic
def unit_create(*, actor: Actor, season: Season, agency: Agency, kind: str, name: str,
                shift_start: dt.time, shift_end: dt.time, start_station: Station,
                end_station: Station | None = None, district: str = "",
                max_stops: int | None = None, ride_along_with: Unit | None = None) -> Unit:
    require(can_manage_agency(actor.user, agency) or can_manage_season(actor.user, season),
            agency, actor=actor)
    unit = Unit(season=season, agency=agency, kind=kind, name=name, shift_start=shift_start,
                shift_end=shift_end, start_station=start_station,
                end_station=end_station or start_station, district=district,
                max_stops=max_stops, ride_along_with=ride_along_with)
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, season=season, action="unit_create", changes={"unit": name})
    return unit


UNIT_FIELDS = ("agency", "kind", "name", "shift_start", "shift_end", "start_station",
               "end_station", "district", "max_stops", "ride_along_with")


@transaction.atomic
def unit_update(*, actor: Actor, unit: Unit, **fields) -> Unit:
    """Change a unit's details (any of UNIT_FIELDS). Versions already built keep what they
    planned; the next build or re-plan plans with the new details. An empty end station means
    back where it starts, as when the unit was added."""
    season = unit.season
    require(can_manage_season(actor.user, season) or can_manage_agency(actor.user, unit.agency),
            unit, actor=actor)
    if "agency" in fields:
        require(can_manage_season(actor.user, season)
                or can_manage_agency(actor.user, fields["agency"]), fields["agency"], actor=actor)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unit_update() does not change {', '.join(sorted(unknown))}")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if "end_station" in fields and fields["end_station"] is None:
        fields["end_station"] = fields.get("start_station", unit.start_station)
    rides = fields.get("ride_along_with")
    if rides is not None:
        if rides.pk == unit.pk:
            raise Invalid({"ride_along_with": RIDES_WITH_ITSELF})
        if rides.ride_along_with_id is not None:
            raise Invalid({"ride_along_with": RIDES_WITH_A_RIDER.format(unit=rides)})
        if unit.riders.exists():
            raise Invalid({"ride_along_with": HAS_RIDERS})
    changes = {}
    for name, value in fields.items():
        old = getattr(unit, name)
        if old != value:
            changes[name] = ["" if old is None else str(old), "" if value is None else str(value)]
            setattr(unit, name, value)
    if not changes:
        return unit
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, season=season, action="unit_update",
                 changes={"unit": unit.name, **changes})
    return unit


@transaction.atomic
def unit_set_active(*, actor: Actor, unit: Unit, active: bool) -> Unit:
    require(can_manage_season(actor.user, unit.season)
            or can_manage_agency(actor.user, unit.agency), unit, actor=actor)
    Unit.objects.filter(pk=unit.pk).update(active=active)
    unit.active = active
    audit_record(actor=actor, season=unit.season, action="unit_active" if active else "unit_drop",
                 changes={"unit": unit.name})
    return unit


def unit_kept(unit: Unit) -> str | None:
    """Why `unit` cannot be removed, or None: a plan version has stops for it (the version
    keeps its history), or other units ride along with it."""
    versions = sorted(set(Stop.objects.filter(unit=unit).values_list("version__number", flat=True)))
    if versions:
        return UNIT_IN_PLAN.format(unit=unit.name, versions=", ".join(str(n) for n in versions))
    riders = list(unit.riders.order_by("name").values_list("name", flat=True))
    if riders:
        one = len(riders) == 1
        return UNIT_HAS_RIDERS.format(riders=", ".join(riders), unit=unit.name,
                                      verb="rides" if one else "ride", them="it" if one else "them")
    return None


@transaction.atomic
def unit_delete(*, actor: Actor, unit: Unit) -> None:
    """Remove a unit added by mistake, unless it is kept (`unit_kept`)."""
    season = unit.season
    require(can_manage_season(actor.user, season) or can_manage_agency(actor.user, unit.agency),
            unit, actor=actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    kept = unit_kept(unit)
    if kept:
        raise Invalid(kept)
    audit_record(actor=actor, season=season, action="unit_delete", changes={"unit": unit.name})
    unit.delete()

