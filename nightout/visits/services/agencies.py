"""Agencies and their stations, on the coordinator's (and the liaison's) own screens: add,
change and retire an agency; add, change and remove the stations its units start from.

A town's coordinators add agencies of their town; an agency's liaisons and its town's
coordinators change it and its stations (`can_manage_agency`). A retired agency is offered for
no new unit; its units, and the plans that have them, stay. A station a unit starts or ends at
is not removed. Each write is recorded in the season's audit trail (the season whose pages it
was made from).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from nightout.accounts.permissions import (
    can_manage_agency,
    can_manage_jurisdiction,
    is_site_admin,
)
from nightout.errors import Invalid
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import Agency, Jurisdiction, Season, Station
from nightout.visits.models import Unit
from nightout.visits.services.access import require

STATION_IN_USE = ("{units} {verb} from or back to {station}: move {them} to another station "
                  "first.")
AGENCY_FIELDS = ("name", "kind", "website")
STATION_FIELDS = ("name", "address", "latitude", "longitude")


def _slug(name: str) -> str:
    base = slugify(name)[:150] or "agency"
    slug, n = base, 1
    while Agency.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _save(*, actor: Actor, season: Season, instance, fields: dict, allowed: tuple,
          action: str, named: dict) -> None:
    """Set `fields` (of `allowed`) on `instance`, and save and record what changed, if any."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{action}() does not change {', '.join(sorted(unknown))}")
    changes = {}
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        old = getattr(instance, name)
        if old != value:
            changes[name] = ["" if old is None else str(old), "" if value is None else str(value)]
            setattr(instance, name, value)
    if changes:
        instance.full_clean()
        instance.save()
        audit_record(actor=actor, season=season, action=action, changes={**named, **changes})


OUTSIDE_AGENCIES = "agencies of no town (only site administrators add them)"


@transaction.atomic
def agency_create(*, actor: Actor, season: Season, name: str, kind: str,
                  website: str = "", outside: bool = False) -> Agency:
    """An agency of the season's town (its police, its fire department, its mayor's office),
    or, `outside`, one of no town that any town's units may come from (the State Police, a
    federal agency): only site administrators add those."""
    town: Jurisdiction = season.jurisdiction
    if outside:
        require(is_site_admin(actor.user), OUTSIDE_AGENCIES, actor=actor)
    else:
        require(can_manage_jurisdiction(actor.user, town), town, actor=actor)
    agency = Agency(name=name.strip(), slug=_slug(name), kind=kind,
                    jurisdiction=None if outside else town, website=website.strip())
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, season=season, action="agency_create",
                 changes={"agency": agency.name, "kind": agency.get_kind_display()})
    return agency


@transaction.atomic
def agency_update(*, actor: Actor, season: Season, agency: Agency, **fields) -> Agency:
    """Change an agency's name, kind or website (any of AGENCY_FIELDS)."""
    require(can_manage_agency(actor.user, agency), agency, actor=actor)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    _save(actor=actor, season=season, instance=agency, fields=fields, allowed=AGENCY_FIELDS,
          action="agency_update", named={"agency": agency.name})
    return agency


@transaction.atomic
def agency_retire(*, actor: Actor, season: Season, agency: Agency, retired: bool) -> Agency:
    """Retire an agency (or bring it back): a retired one is offered for no new unit."""
    require(can_manage_agency(actor.user, agency), agency, actor=actor)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.retired != retired:
        agency.retired = retired
        agency.save(update_fields=["retired"])
        audit_record(actor=actor, season=season,
                     action="agency_retire" if retired else "agency_return",
                     changes={"agency": agency.name})
    return agency


@transaction.atomic
def station_create(*, actor: Actor, season: Season, agency: Agency, name: str,
                   latitude: float, longitude: float, address: str = "") -> Station:
    require(can_manage_agency(actor.user, agency), agency, actor=actor)
    station = Station(agency=agency, name=name.strip(), address=address.strip(),
                      latitude=latitude, longitude=longitude)
    station.full_clean()
    station.save()
    audit_record(actor=actor, season=season, action="station_create",
                 changes={"station": str(station)})
    return station


@transaction.atomic
def station_update(*, actor: Actor, season: Season, station: Station, **fields) -> Station:
    """Change a station's name, address or place (any of STATION_FIELDS). Versions already
    built keep the routes they planned from it."""
    require(can_manage_agency(actor.user, station.agency), station, actor=actor)
    station = Station.objects.select_for_update().select_related("agency").get(pk=station.pk)
    _save(actor=actor, season=season, instance=station, fields=fields, allowed=STATION_FIELDS,
          action="station_update", named={"station": str(station)})
    return station


@transaction.atomic
def station_delete(*, actor: Actor, season: Season, station: Station) -> None:
    require(can_manage_agency(actor.user, station.agency), station, actor=actor)
    using = list(Unit.objects.filter(Q(start_station=station) | Q(end_station=station))
                 .values_list("name", flat=True).distinct())
    if using:
        names = ", ".join(sorted(using))
        raise Invalid(STATION_IN_USE.format(
            units=names, verb="starts" if len(using) == 1 else "start", station=station.name,
            them="it" if len(using) == 1 else "them"))
    label = str(station)
    station.delete()
    audit_record(actor=actor, season=season, action="station_delete",
                 changes={"station": label})
