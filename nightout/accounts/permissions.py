"""Who may do what. Each rule is a function `can_<verb>_<entity>(user, obj)`.

Services call these before they write; templates may call them to hide what a user
cannot use, but hiding is never the protection. Memberships are read once per user
object and kept on it, so a page that asks many questions costs one query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nightout.accounts.models import Membership, Role

if TYPE_CHECKING:
    from nightout.registry.models import Agency, Event, Jurisdiction, Region, Season


def memberships_of(user) -> list[Membership]:
    """The user's roles, read once per request (kept on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_nightout_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user).select_related("agency", "region")
        )
        user._nightout_memberships = cached
    return cached


def is_site_admin(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def _has(user, role: Role, **scope) -> bool:
    if not getattr(user, "is_active", False):
        return False
    (field, value), = scope.items()
    return any(
        m.role == role and getattr(m, f"{field}_id") == getattr(value, "pk", None)
        for m in memberships_of(user)
    )


def can_manage_jurisdiction(user, jurisdiction: Jurisdiction) -> bool:
    """Set up seasons, rules and districts of a town: its coordinators and site admins."""
    return is_site_admin(user) or _has(user, Role.COORDINATOR, jurisdiction=jurisdiction)


def can_add_town(user) -> bool:
    """Add a town to nightout: site admins, and regional organizers (into their region)."""
    return is_site_admin(user) or any(
        m.role == Role.REGIONAL_ORGANIZER for m in memberships_of(user)
        if getattr(user, "is_active", False))


def can_set_up_jurisdiction(user, jurisdiction: Jurisdiction) -> bool:
    """A town's name, zone, area and districts: those who manage it, and the organizers of a
    region it is in (who add towns and invite their coordinators, but do not see their
    registrations)."""
    return can_manage_jurisdiction(user, jurisdiction) or any(
        can_view_region(user, region) for region in jurisdiction.regions.all())


def can_manage_season(user, season: Season) -> bool:
    return can_manage_jurisdiction(user, season.jurisdiction)


def can_review_event(user, event: Event) -> bool:
    """Approve, reject or edit a registration: the coordinators of its town."""
    return can_manage_season(user, event.season)


def can_view_host_contact(user, event: Event) -> bool:
    """A host's name, phone and email: the town's coordinators, and the liaisons of the
    town's own agencies (the police and fire departments that call hosts). Never crews,
    organizers of other towns, regional organizers or the public."""
    if can_review_event(user, event):
        return True
    jurisdiction_id = event.season.jurisdiction_id
    return any(
        m.role == Role.AGENCY_LIAISON and m.agency.jurisdiction_id == jurisdiction_id
        for m in memberships_of(user)
        if getattr(user, "is_active", False)
    )


def can_view_official_lists(user, season: Season) -> bool:
    """The official lists for police, fire and public works: the town's coordinators, the
    liaisons of its own agencies, and site admins."""
    if can_manage_season(user, season):
        return True
    return any(
        m.role == Role.AGENCY_LIAISON and m.agency.jurisdiction_id == season.jurisdiction_id
        for m in memberships_of(user)
        if getattr(user, "is_active", False)
    )


def can_manage_agency(user, agency: Agency) -> bool:
    """Edit an agency, its stations and units: its liaisons, the coordinators of its home
    town, and site admins."""
    if is_site_admin(user) or _has(user, Role.AGENCY_LIAISON, agency=agency):
        return True
    return agency.jurisdiction_id is not None and _has(
        user, Role.COORDINATOR, jurisdiction=agency.jurisdiction
    )


def can_view_agency_schedule(user, agency: Agency) -> bool:
    """See the itineraries of an agency's units: its crews too, on top of its managers."""
    return can_manage_agency(user, agency) or _has(user, Role.CREW, agency=agency)


def can_view_region(user, region: Region) -> bool:
    """The regional roll-up: the region's organizers and site admins."""
    return is_site_admin(user) or _has(user, Role.REGIONAL_ORGANIZER, region=region)


def can_view_season_report(user, season: Season) -> bool:
    """A town's season report: its coordinators, and the organizers of a region it is in
    (who open it from their roll-up), and site admins."""
    return can_manage_season(user, season) or any(
        can_view_region(user, region) for region in season.jurisdiction.regions.all())


def can_report_stop(user, agency: Agency, season: Season) -> bool:
    """Mark a stop arrived, done or skipped on the night: the unit's agency (its crews and
    liaisons, its managers) and the town's coordinators."""
    return can_view_agency_schedule(user, agency) or can_manage_season(user, season)
