"""A town's seasons: a new one (from scratch, or from the year before), and its rules and
closure fee tiers as the coordinator sets them. Only the town's coordinators (and the system)
change them; anyone else is refused (`NotAllowed`)."""

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from nightout.accounts.permissions import can_manage_jurisdiction, can_manage_season
from nightout.errors import Invalid, NotAllowed
from nightout.registry.activities import STANDARD_ACTIVITIES
from nightout.registry.actors import Actor, audit_record
from nightout.registry.dates import default_nno_date
from nightout.registry.models import (
    Activity,
    ClosureFeeTier,
    Jurisdiction,
    RainDateRule,
    Season,
    UnitKind,
)
from nightout.registry.services._inputs import Errors, audit_text, model_errors


@transaction.atomic
def season_create(
    *,
    jurisdiction: Jurisdiction,
    year: int,
    slug: str,
    nno_date: dt.date | None = None,
    **rules_,
) -> Season:
    """A new season; without a date it takes the default NNO date for the state.

    It checks no one: it is for code a site administrator runs (the demo, the command line,
    the tests) and for `season_start`, which checks its actor first. No view calls it."""
    season = Season(
        jurisdiction=jurisdiction,
        year=year,
        slug=slug,
        nno_date=nno_date or default_nno_date(year, jurisdiction.state),
        **rules_,
    )
    try:
        season.full_clean()
    except ValidationError as exc:
        raise Invalid(exc) from None
    season.save()
    return season


SEASON_NOT_ALLOWED = "You may not change the seasons of {town}."
SEASON_EXISTS = "{town} already has a season for {year}: open it from Coordinate."
HOURS_END_BEFORE_START = "The usual hours must end after they start."
EARLIEST_AFTER_DEFAULT = "The earliest start must be at or before the usual start."
LATEST_BEFORE_DEFAULT = "The latest end must be at or after the usual end."
DEADLINE_AFTER_NIGHT = "The registration deadline must come before the night ends."
RAIN_DATE_NOT_AFTER = "The rain date must be after the night."
RAIN_DATE_REQUIRED = "Give the town's rain date, or pick another rule."
TIER_FEE_NEGATIVE = "The fee cannot be below zero; 0 is free."
NO_VISIT_KIND = "Offer at least one kind of visit."
UNKNOWN_VISIT_KIND = "Unknown kind of visit: {kinds}."
TIER_TWICE = "Another tier has the same moment, number of blocks and street type."
TIER_NOT_FOUND = "This tier is no longer in the season; reload the page."
TIER_ERROR = "closure_tiers.{n}.{field}"

# The rules a coordinator sets on the season's settings screen, in the order it shows them.
SEASON_RULES = (
    "nno_date", "default_start", "default_end", "earliest_start", "latest_end",
    "registration_deadline", "one_event_per_block", "closures_enabled", "permit_prefix",
    "neighbor_consent_percent", "visit_kinds", "visit_request_lead_days",
    "visit_times_allowed", "rain_date_rule", "rain_date", "notes",
)


@dataclass(frozen=True)
class FeeTierInput:
    """One closure fee tier as the coordinator typed it; `id` names an existing tier."""

    filed_by: dt.datetime
    fee: Decimal
    label: str = ""
    max_blocks: int | None = None
    residential_only: bool = False
    id: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class SeasonInput:
    """A season's rules (every name in SEASON_RULES) and, unless None, all its fee tiers:
    existing tiers left out of `tiers` are kept as they are."""

    rules: dict
    tiers: tuple[FeeTierInput, ...] | None = None


def _tier_text(tier, zone) -> str:
    fee = f"{tier.fee:.2f}" if tier.fee is not None else "?"
    text = f"${fee} until {audit_text(tier.filed_by, zone)}"
    if tier.max_blocks:
        text += f", at most {tier.max_blocks} blocks"
    if tier.residential_only:
        text += ", residential only"
    return f"{text} ({tier.label})" if tier.label else text


def _check_season_rules(season: Season, errors: Errors) -> None:
    """What the database's constraints would refuse, said for the coordinator, and the
    rules' own sense (a deadline after the night, a rain date before it)."""
    if season.default_start and season.default_end:
        if season.default_end <= season.default_start:
            errors.add("default_end", HOURS_END_BEFORE_START)
        if season.earliest_start and season.earliest_start > season.default_start:
            errors.add("earliest_start", EARLIEST_AFTER_DEFAULT)
        if season.latest_end and season.latest_end < season.default_end:
            errors.add("latest_end", LATEST_BEFORE_DEFAULT)
    if season.nno_date and season.latest_end and season.registration_deadline:
        if season.registration_deadline > season.window[1]:
            errors.add("registration_deadline", DEADLINE_AFTER_NIGHT)
    if season.rain_date_rule == RainDateRule.FIXED and not season.rain_date:
        errors.add("rain_date", RAIN_DATE_REQUIRED)
    if season.nno_date and season.rain_date and season.rain_date <= season.nno_date:
        errors.add("rain_date", RAIN_DATE_NOT_AFTER)
    kinds = season.visit_kinds or []
    unknown = sorted(set(kinds) - set(UnitKind.values))
    if unknown:
        errors.add("visit_kinds", UNKNOWN_VISIT_KIND.format(kinds=", ".join(unknown)))


def season_rules_check(*, season: Season, rules: dict) -> dict[str, list[str]]:
    """What `_check_season_rules` says of the season with `rules` (those of its form that
    could be read), written nowhere: the settings page shows it with the form's own errors,
    so that every error is found at once."""
    trial = Season.objects.select_related("jurisdiction").get(pk=season.pk)
    for name, value in rules.items():
        if name in SEASON_RULES:
            setattr(trial, name, value)
    if trial.rain_date_rule != RainDateRule.FIXED:
        trial.rain_date = None
    errors = Errors()
    _check_season_rules(trial, errors)
    return errors.messages


@transaction.atomic
def season_update(*, season: Season, data: SeasonInput, actor: Actor) -> Season:
    """A coordinator changes their season's rules and closure fee tiers, all or nothing.
    Visit kinds offered as every kind are stored as none (which means all kinds)."""
    season = Season.objects.select_for_update().select_related("jurisdiction").get(pk=season.pk)
    town = season.jurisdiction
    if not (actor.is_system or can_manage_season(actor.user, season)):
        raise NotAllowed(SEASON_NOT_ALLOWED.format(town=town.name))
    zone = town.zone
    errors = Errors()
    rules_ = dict(data.rules)
    kinds = rules_.get("visit_kinds", season.visit_kinds)
    if "visit_kinds" in rules_:
        if not kinds:
            errors.add("visit_kinds", NO_VISIT_KIND)
        elif set(kinds) >= set(UnitKind.values):
            kinds = []
        rules_["visit_kinds"] = [k for k in UnitKind.values if k in kinds] + sorted(
            set(kinds) - set(UnitKind.values))
    if rules_.get("rain_date_rule", season.rain_date_rule) != RainDateRule.FIXED:
        rules_["rain_date"] = None
    before = {name: getattr(season, name) for name in SEASON_RULES}
    for name, value in rules_.items():
        if name not in SEASON_RULES:
            raise TypeError(f"{name} is not a rule of the season")
        setattr(season, name, value.strip() if isinstance(value, str) else value)
    _check_season_rules(season, errors)
    model_errors(season, errors)

    existing = {t.pk: t for t in season.closure_tiers.all()}
    removed, changed, added, kept = [], [], [], []
    if data.tiers is not None:
        named = set()
        for n, given in enumerate(data.tiers):
            if given.id is not None and (given.id not in existing or given.id in named):
                errors.add(TIER_ERROR.format(n=n, field="__all__"), TIER_NOT_FOUND)
                continue
            if given.id is not None:
                named.add(given.id)
            if given.delete:
                if given.id is not None:
                    removed.append(existing[given.id])
                continue
            tier = existing.get(given.id) or ClosureFeeTier(season=season)
            old = _tier_text(tier, zone) if tier.pk else None
            tier.filed_by, tier.fee, tier.label = given.filed_by, given.fee, given.label.strip()
            tier.max_blocks, tier.residential_only = given.max_blocks, given.residential_only
            if tier.fee is not None and tier.fee < 0:
                errors.add(TIER_ERROR.format(n=n, field="fee"), TIER_FEE_NEGATIVE)
            model_errors(tier, errors, prefix=TIER_ERROR.format(n=n, field=""),
                          exclude=["season"])
            kept.append((n, tier))
            if old is None:
                added.append(tier)
            elif old != _tier_text(tier, zone):
                changed.append((old, tier))
        kept += [(None, t) for pk, t in existing.items() if pk not in named]
    seen = {}
    for n, tier in kept:
        key = (tier.filed_by, tier.residential_only, tier.max_blocks)
        if key in seen and n is not None:
            errors.add(TIER_ERROR.format(n=n, field="filed_by"), TIER_TWICE)
        seen.setdefault(key, n)
    errors.raise_if_any()

    changes = {
        name: [audit_text(old, zone), audit_text(getattr(season, name), zone)]
        for name, old in before.items() if old != getattr(season, name)
    }
    season.save()
    # Removed and changed tiers leave first, so that tiers trading moments never meet the
    # database's one-tier-per-moment rule half-way; changed ones come back with their ids.
    ClosureFeeTier.objects.filter(
        pk__in=[t.pk for t in removed] + [t.pk for _, t in changed]).delete()
    for n, tier in kept:
        if n is not None:
            tier.save()
    if removed:
        changes["closure tiers removed"] = [_tier_text(t, zone) for t in removed]
    if changed:
        changes["closure tiers changed"] = [[old, _tier_text(t, zone)] for old, t in changed]
    if added:
        changes["closure tiers added"] = [_tier_text(t, zone) for t in added]
    if changes:
        audit_record(actor=actor, season=season, action="season settings changed",
                     changes=changes)
    return season


def _moved(moment: dt.datetime | None, days: int, zone) -> dt.datetime | None:
    """The same wall-clock time in the town, `days` later (23:59 stays 23:59 across DST)."""
    if moment is None:
        return None
    local_ = moment.astimezone(zone)
    return dt.datetime.combine(local_.date() + dt.timedelta(days=days), local_.time(),
                               tzinfo=zone)


@transaction.atomic
def season_start(*, jurisdiction: Jurisdiction, year: int, actor: Actor) -> Season:
    """A town's season for a new year, with the rules and fee tiers of its latest earlier
    season. The night is the default one for the year (the first Tuesday of August; of
    October in Texas); the deadlines, fee tiers and rain date keep their distance from it."""
    if not (actor.is_system or can_manage_jurisdiction(actor.user, jurisdiction)):
        raise NotAllowed(SEASON_NOT_ALLOWED.format(town=jurisdiction.name))
    if Season.objects.filter(jurisdiction=jurisdiction, year=year).exists():
        raise Invalid({"year": SEASON_EXISTS.format(town=jurisdiction.name, year=year)})
    previous = (Season.objects.filter(jurisdiction=jurisdiction, year__lt=year)
                .order_by("-year").first())
    nno_date = default_nno_date(year, jurisdiction.state)
    copied = {}
    if previous is not None:
        zone = jurisdiction.zone
        days = (nno_date - previous.nno_date).days
        copied = {name: getattr(previous, name) for name in SEASON_RULES if name != "nno_date"}
        copied["visit_kinds"] = list(previous.visit_kinds or [])
        copied["registration_deadline"] = _moved(previous.registration_deadline, days, zone)
        if previous.rain_date:
            copied["rain_date"] = previous.rain_date + dt.timedelta(days=days)
    slug = f"{jurisdiction.slug}-{year}"
    if Season.objects.filter(slug=slug).exists():
        slug = f"{slug}-{secrets.token_hex(2)}"
    season = season_create(jurisdiction=jurisdiction, year=year, slug=slug, nno_date=nno_date,
                           **copied)
    if previous is not None:
        for tier in previous.closure_tiers.all():
            ClosureFeeTier.objects.create(
                season=season, filed_by=_moved(tier.filed_by, days, jurisdiction.zone),
                fee=tier.fee, label=tier.label, max_blocks=tier.max_blocks,
                residential_only=tier.residential_only)
    audit_record(actor=actor, season=season, action="season started",
                 changes={**({"copied from": previous.slug} if previous else {}),
                          "nno_date": str(season.nno_date)})
    return season


@transaction.atomic
def activities_ensure_standard() -> None:
    """Add any standard activity that is missing (a migration adds them on a new database)."""
    for position, (slug, name) in enumerate(STANDARD_ACTIVITIES):
        Activity.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
