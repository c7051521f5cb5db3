"""The registry: who holds National Night Out, when, where, and what each party asks for.

Times are stored as aware datetimes and shown in the jurisdiction's zone
(`Jurisdiction.zone`). Coordinates are WGS 84 degrees.
"""

import datetime as dt
import hashlib
import json
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

from nightout.geo.geojson import GeoJSONError, check_districts, check_polygon
from nightout.text import multi_line, one_line, text_problem

LATITUDE_VALIDATORS = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE_VALIDATORS = [MinValueValidator(-180), MaxValueValidator(180)]
PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"{value!r} is not a time zone name; use one like America/New_York."
        ) from exc


def coordinate_constraints(prefix: str) -> list[models.CheckConstraint]:
    lat, lon = f"{prefix}latitude", f"{prefix}longitude"
    return [
        models.CheckConstraint(
            name=f"%(class)s_{lat}_range", condition=Q(**{f"{lat}__gte": -90, f"{lat}__lte": 90})
        ),
        models.CheckConstraint(
            name=f"%(class)s_{lon}_range",
            condition=Q(**{f"{lon}__gte": -180, f"{lon}__lte": 180}),
        ),
    ]


class Region(models.Model):
    """Several jurisdictions seen together, such as western Massachusetts or a state."""

    name = models.CharField(max_length=120, unique=True, validators=[one_line("The name")])
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True, validators=[multi_line("The description")])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Jurisdiction(models.Model):
    """A town or department that runs National Night Out."""

    name = models.CharField(max_length=120, validators=[one_line("The name")])
    slug = models.SlugField(max_length=120, unique=True)
    state = models.CharField(
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use the two-letter state code, like MA.")],
        help_text="Two-letter code, such as MA or TX.",
    )
    time_zone = models.CharField(
        max_length=64, validators=[validate_time_zone], default="America/New_York"
    )
    center_latitude = models.FloatField(validators=LATITUDE_VALIDATORS)
    center_longitude = models.FloatField(validators=LONGITUDE_VALIDATORS)
    boundary = models.JSONField(
        null=True, blank=True, help_text="GeoJSON Polygon or MultiPolygon of the town's limits."
    )
    districts = models.JSONField(
        null=True,
        blank=True,
        help_text="GeoJSON FeatureCollection of polygons, each with properties.name.",
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="jurisdictions")
    website = models.URLField(blank=True, validators=[one_line("The website")])

    class Meta:
        ordering = ["name"]
        constraints = [
            *coordinate_constraints("center_"),
            models.UniqueConstraint(fields=["name", "state"], name="jurisdiction_name_state"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.state}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def district_names(self) -> list[str]:
        return [f["properties"]["name"] for f in (self.districts or {}).get("features", [])]

    def clean(self) -> None:
        errors = {}
        for field, check in (("boundary", check_polygon), ("districts", check_districts)):
            value = getattr(self, field)
            if value in (None, ""):
                continue
            try:
                check(value) if field == "districts" else check(value, field)
            except GeoJSONError as exc:
                errors[field] = str(exc)
        if "districts" not in errors:
            for name in self.district_names if self.districts else []:
                problem = text_problem(str(name))
                if problem:
                    errors["districts"] = problem.message(f"The district name {name!r}")
                    break
        if errors:
            raise ValidationError(errors)


class RainDateRule(models.TextChoices):
    NONE = "none", "No rain date"
    NEXT_DAY = "next_day", "The next day, unless the host declines"
    HOST_CHOOSES = "host_chooses", "The host may pick one"
    FIXED = "fixed", "One rain date for the whole town"


class Season(models.Model):
    """One jurisdiction's National Night Out of one year, with its rules."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="seasons")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1984)])
    slug = models.SlugField(max_length=140, unique=True)
    nno_date = models.DateField(
        "National Night Out date",
        help_text="First Tuesday of August by default (first Tuesday of October in Texas).",
    )
    default_start = models.TimeField(default=dt.time(17, 0))
    default_end = models.TimeField(default=dt.time(21, 0))
    earliest_start = models.TimeField(
        default=dt.time(15, 0), help_text="No event on the night may start before this."
    )
    latest_end = models.TimeField(
        default=dt.time(22, 0), help_text="No event on the night may end after this."
    )
    registration_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Registrations after this moment are refused."
    )
    one_event_per_block = models.BooleanField(
        default=False,
        help_text="A second registration on the same block is flagged for the coordinator.",
    )
    closures_enabled = models.BooleanField(
        default=True, help_text="Hosts may ask to close their street."
    )
    permit_prefix = models.CharField(
        max_length=12, blank=True, validators=[one_line("The permit prefix")],
        help_text="Closure permit numbers read PREFIX-YEAR-00001; the town's slug if empty.",
    )
    visit_kinds = models.JSONField(
        default=list, blank=True,
        help_text="Kinds of visit hosts may ask for (empty: all kinds).",
    )
    visit_request_lead_days = models.PositiveSmallIntegerField(
        null=True, blank=True,
        help_text="Visit requests must come at least this many days before the night.",
    )
    visit_times_allowed = models.BooleanField(
        default=True, help_text="Hosts may ask for a visit at a particular time."
    )
    neighbor_consent_percent = models.PositiveSmallIntegerField(
        default=0,
        validators=PERCENT_VALIDATORS,
        help_text="Share of neighbors on the block who must agree to a street closure.",
    )
    rain_date_rule = models.CharField(
        max_length=16, choices=RainDateRule.choices, default=RainDateRule.NONE
    )
    rain_date = models.DateField(null=True, blank=True, help_text="With the 'one rain date' rule.")
    notes = models.TextField(blank=True, validators=[multi_line("The notes")])

    class Meta:
        ordering = ["-year", "jurisdiction__name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="season_one_per_year"),
            models.CheckConstraint(
                name="season_hours_end_after_start", condition=Q(default_end__gt=F("default_start"))
            ),
            models.CheckConstraint(
                name="season_window_holds_default_hours",
                condition=Q(earliest_start__lte=F("default_start"), latest_end__gte=F("default_end")),
                violation_error_message="The default hours must fall within the night's window.",
            ),
            models.CheckConstraint(
                name="season_consent_percent_range", condition=Q(neighbor_consent_percent__lte=100)
            ),
            models.CheckConstraint(
                name="season_fixed_rain_date_given",
                condition=~Q(rain_date_rule="fixed") | Q(rain_date__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction.name} {self.year}"

    def at(self, day: dt.date, time: dt.time) -> dt.datetime:
        """An aware datetime on `day` at `time` in the jurisdiction's zone."""
        return dt.datetime.combine(day, time, tzinfo=self.jurisdiction.zone)

    @property
    def starts_at(self) -> dt.datetime:
        return self.at(self.nno_date, self.default_start)

    @property
    def ends_at(self) -> dt.datetime:
        return self.at(self.nno_date, self.default_end)

    @property
    def window(self) -> tuple[dt.datetime, dt.datetime]:
        """The earliest start and latest end of any event on the night."""
        return self.at(self.nno_date, self.earliest_start), self.at(self.nno_date, self.latest_end)

    @property
    def offered_visit_kinds(self) -> list[str]:
        return [k for k in UnitKind.values if not self.visit_kinds or k in self.visit_kinds]

    @property
    def permit_label(self) -> str:
        return (self.permit_prefix or self.jurisdiction.slug).upper()

    def clean(self) -> None:
        if self.nno_date and self.year and self.nno_date.year != self.year:
            raise ValidationError({"nno_date": "The date must fall in the season's year."})
        if self.rain_date_rule == RainDateRule.FIXED and not self.rain_date:
            raise ValidationError({"rain_date": "Give the town's rain date, or pick another rule."})


class ClosureFeeTier(models.Model):
    """A closure filed up to `filed_by` pays `fee` (the first tier that applies wins).
    A closure filed after the last tier's `filed_by` is refused."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="closure_tiers")
    filed_by = models.DateTimeField()
    fee = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    label = models.CharField(max_length=80, blank=True, validators=[one_line("The label")],
                             help_text="Such as 'On time' or 'Late fee'.")
    max_blocks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only for closures of at most this many blocks."
    )
    residential_only = models.BooleanField(
        default=False, help_text="Only for closures of residential streets."
    )

    class Meta:
        ordering = ["season", "filed_by", "fee"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "filed_by", "residential_only"],
                condition=Q(max_blocks__isnull=True), name="closure_tier_unique",
            ),
            models.UniqueConstraint(
                fields=["season", "filed_by", "residential_only", "max_blocks"],
                condition=Q(max_blocks__isnull=False), name="closure_tier_unique_with_blocks",
            ),
            models.CheckConstraint(name="closure_tier_fee_not_negative", condition=Q(fee__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.label or 'Fee'} ${self.fee} until {self.filed_by:%Y-%m-%d %H:%M}"

    def applies_to(self, *, filed_at: dt.datetime, blocks: int, residential: bool) -> bool:
        return (
            filed_at <= self.filed_by
            and (self.max_blocks is None or blocks <= self.max_blocks)
            and (residential or not self.residential_only)
        )


class AgencyKind(models.TextChoices):
    LOCAL_POLICE = "local_police", "Local police"
    SHERIFF = "sheriff", "Sheriff"
    STATE_POLICE = "state_police", "State police"
    FEDERAL = "federal", "Federal agency"
    MILITARY = "military", "Military"
    FIRE = "fire", "Fire department"
    EMS = "ems", "EMS / ambulance"
    ELECTED = "elected", "Elected officials"
    OTHER = "other", "Other"


class Agency(models.Model):
    """Who visits: a police or fire department, a state or federal agency, the mayor's office."""

    name = models.CharField(max_length=160, unique=True, validators=[one_line("The name")])
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=16, choices=AgencyKind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text="The home town; empty for state, federal and military agencies.",
    )
    website = models.URLField(blank=True, validators=[one_line("The website")])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """A place an agency's units start from and return to (a police or fire station)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(max_length=120, validators=[one_line("The name")])
    address = models.CharField(max_length=200, blank=True, validators=[one_line("The address")])
    latitude = models.FloatField(validators=LATITUDE_VALIDATORS)
    longitude = models.FloatField(validators=LONGITUDE_VALIDATORS)

    class Meta:
        ordering = ["agency", "name"]
        constraints = [
            *coordinate_constraints(""),
            models.UniqueConstraint(fields=["agency", "name"], name="station_name_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.name}"


class Activity(models.Model):
    """Something to do at a party: free food, music, a safety demonstration, a fire truck..."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True, validators=[one_line("The name")])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    BLOCK_PARTY = "block_party", "Block party"
    COMMUNITY_EVENT = "community_event", "Community event"
    KICKOFF = "kickoff", "Kickoff"


class EventStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class LocationPrecision(models.TextChoices):
    ADDRESS = "address", "Exact address or venue"
    BLOCK = "block", "Block"
    POSTAL_CODE = "postal_code", "ZIP code"
    TOWN = "town", "Town centre"


class Event(models.Model):
    """A party or community event in a season."""

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=160, validators=[one_line("The title")])
    description = models.TextField(blank=True, validators=[multi_line("The description")])
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.BLOCK_PARTY)
    status = models.CharField(
        max_length=12, choices=EventStatus.choices, default=EventStatus.SUBMITTED, db_index=True
    )
    status_reason = models.TextField(blank=True, validators=[multi_line("The reason")],
                                     help_text="Why it was rejected or cancelled.")

    venue = models.CharField(max_length=160, blank=True, validators=[one_line("The place name")],
                             help_text="Such as a park or a church.")
    address = models.CharField(max_length=200, validators=[one_line("The address")])
    postal_code = models.CharField(max_length=10, blank=True,
                                   validators=[one_line("The ZIP code")])
    latitude = models.FloatField(validators=LATITUDE_VALIDATORS)
    longitude = models.FloatField(validators=LONGITUDE_VALIDATORS)
    location_precision = models.CharField(
        max_length=12, choices=LocationPrecision.choices, default=LocationPrecision.ADDRESS
    )
    is_private_home = models.BooleanField(
        default=True, help_text="At a private home: shown to the public at block level."
    )
    show_exact_location = models.BooleanField(
        default=False, help_text="The host chose to publish the exact address."
    )
    district = models.CharField(max_length=80, blank=True)

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    rain_date = models.DateField(null=True, blank=True)

    activities = models.ManyToManyField(Activity, blank=True, related_name="events")
    agencies = models.ManyToManyField(
        Agency, through="EventAgency", blank=True, related_name="events"
    )
    expected_attendance = models.PositiveIntegerField(null=True, blank=True)
    accessibility_notes = models.TextField(
        blank=True, validators=[multi_line("The accessibility notes")])

    block_key = models.CharField(
        max_length=200, blank=True, db_index=True,
        help_text="The block, from the address: '1200 elm st'. Same key, same block.",
    )
    same_block_as = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="An earlier registration on the same block, for the coordinator to review.",
    )
    source = models.CharField(
        max_length=12, default="web", help_text="web, import, admin or demo"
    )
    import_key = models.CharField(
        max_length=64, blank=True, db_index=True,
        help_text="Which spreadsheet row this event came from, to import the same file again.",
    )
    import_fingerprint = models.CharField(max_length=64, blank=True)
    manage_secret = models.CharField(
        max_length=64, blank=True, help_text="Part of the host's private link; reset to revoke it."
    )
    renewed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="renewals"
    )
    submitted_at = models.DateTimeField(
        help_text="When the host registered; first-come-first-served order."
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [
            models.Index(fields=["season", "status", "starts_at"], name="event_season_status"),
            models.Index(fields=["latitude", "longitude"], name="event_coordinates"),
            models.Index(fields=["status", "postal_code"], name="event_status_postal_code"),
        ]
        constraints = [
            *coordinate_constraints(""),
            models.CheckConstraint(
                name="event_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == EventStatus.APPROVED

    @property
    def pin_is_approximate(self) -> bool:
        return self.location_precision in (LocationPrecision.POSTAL_CODE, LocationPrecision.TOWN)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The event must end after it starts."})


class PendingChange(models.Model):
    """A host's change to the public side of an approved event (its text, place, hours or
    activities), waiting for the coordinator. Until it is accepted the event keeps showing
    its approved version; accepted, the values are written to the event; declined, they are
    dropped. One per event: a later edit replaces the earlier one."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="pending_change")
    values = models.JSONField(help_text="Field name -> the new value, as JSON.")
    activities = models.JSONField(
        null=True, blank=True, help_text="The new activities' slugs; empty when unchanged.")
    changes = models.JSONField(
        help_text="What changed, as shown to the coordinator: field -> [before, after].")
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Change to {self.event} waiting for the coordinator"

    @property
    def version(self) -> str:
        """Which change this is: the coordinator decides on the one they saw, not on one the
        host sent after they opened the page."""
        text = json.dumps([self.values, self.activities], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class HostContact(models.Model):
    """The host's name, email and phone. Never public; purged after the retention period."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="host_contact")
    # Required on the registration form; a coordinator's import may leave them out.
    name = models.CharField(max_length=120, blank=True, validators=[one_line("The name")])
    email = models.EmailField(blank=True, validators=[one_line("The email")])
    phone = models.CharField(max_length=32, blank=True, validators=[one_line("The phone")])
    organization = models.CharField(
        max_length=160, blank=True, validators=[one_line("The organization")],
        help_text="Block club, HOA, church or business, if any.",
    )

    def __str__(self) -> str:
        return f"Host of {self.event}"


class EventAgency(models.Model):
    """An agency attending an event (State Police, the U.S. Marshals, military members...)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="attendances")
    note = models.CharField(max_length=200, blank=True, validators=[one_line("The note")])

    class Meta:
        verbose_name = "attending agency"
        verbose_name_plural = "attending agencies"
        constraints = [
            models.UniqueConstraint(fields=["event", "agency"], name="event_agency_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} at {self.event}"


class ClosureStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_CLOSURE = Q(status__in=[ClosureStatus.REQUESTED, ClosureStatus.APPROVED])


class Closure(models.Model):
    """A request to close a street or alley for an event, and its permit."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="closures")
    street = models.CharField(max_length=160, validators=[one_line("The street")])
    from_street = models.CharField("from cross street", max_length=160, blank=True,
                                   validators=[one_line("The cross street")])
    to_street = models.CharField("to cross street", max_length=160, blank=True,
                                 validators=[one_line("The cross street")])
    blocks = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    residential = models.BooleanField(default=True, help_text="A residential street.")
    barricades = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(
        max_length=12, choices=ClosureStatus.choices, default=ClosureStatus.REQUESTED
    )
    status_reason = models.TextField(blank=True, validators=[multi_line("The reason")])
    fee = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    fee_label = models.CharField(max_length=80, blank=True, validators=[one_line("The label")])
    consent_attested = models.BooleanField(
        default=False, help_text="The host confirms the neighbors' consent the season requires."
    )
    consent_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    permit_number = models.CharField(max_length=40, blank=True,
                                     validators=[one_line("The permit number")])
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=ACTIVE_CLOSURE, name="closure_one_active_per_event",
                violation_error_message="This event already has an active closure request.",
            ),
            models.UniqueConstraint(
                fields=["permit_number"], condition=~Q(permit_number=""),
                name="closure_permit_number_unique",
            ),
            models.CheckConstraint(
                name="closure_approved_has_permit",
                condition=~Q(status=ClosureStatus.APPROVED) | ~Q(permit_number=""),
                violation_error_message="An approved closure needs a permit number.",
            ),
            models.CheckConstraint(name="closure_fee_not_negative", condition=Q(fee__gte=0)),
            models.CheckConstraint(
                name="closure_consent_percent_range",
                condition=Q(consent_percent__isnull=True) | Q(consent_percent__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} ({self.get_status_display()})"


class UnitKind(models.TextChoices):
    """Kinds of visit a host can ask for, and kinds of unit that make them."""

    POLICE = "police", "Police officers"
    FIRE = "fire", "Fire engine"
    EMS = "ems", "Ambulance / EMS"
    K9 = "k9", "K9 unit"
    MCGRUFF = "mcgruff", "McGruff the Crime Dog"
    OFFICIAL = "official", "Elected official"
    GEAR_DEMO = "gear_demo", "Gear demonstration"
    OUTSIDE_AGENCY = "outside_agency", "Outside agency (state, federal, military)"


class VisitRequest(models.Model):
    """An event asks for a kind of unit to visit."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="visit_requests")
    unit_kind = models.CharField(max_length=16, choices=UnitKind.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="visit_requests",
        help_text="A particular agency, if the host asked for one.",
    )
    note = models.CharField(max_length=200, blank=True, validators=[one_line("The note")])
    preferred_time = models.TimeField(
        null=True, blank=True, help_text="Where the season allows time-specific requests."
    )
    requested_at = models.DateTimeField()

    class Meta:
        ordering = ["event", "unit_kind"]
        constraints = [
            models.UniqueConstraint(fields=["event", "unit_kind"], name="visit_request_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()} at {self.event}"


class AuditEntry(models.Model):
    """Who changed what, and when: every write to an event, its closure or its requests."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(
        max_length=80, help_text="The user, or 'host' for the private link, 'import', 'demo'."
    )
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="audit_entries")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class ImportStatus(models.TextChoices):
    CHECKED = "checked", "Checked, not applied"
    APPLIED = "applied", "Applied"


class ImportBatch(models.Model):
    """A spreadsheet a coordinator uploaded: kept between the preview and the apply."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    drop_columns = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=ImportStatus.choices)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]


class HostReport(models.Model):
    """What the host reports after the night: how many came, which agencies, notes, photos."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="host_report")
    attendance = models.PositiveIntegerField(validators=[MaxValueValidator(1_000_000)])
    agencies_came = models.ManyToManyField(Agency, blank=True, related_name="+")
    notes = models.TextField(blank=True, max_length=2000, validators=[multi_line("The notes")])
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Report on {self.event}"


class EventPhoto(models.Model):
    """A photo from the night, re-encoded on upload so no camera or location data is kept.
    Shown to the town's coordinators, not to the public."""

    report = models.ForeignKey(HostReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="event-photos/%Y/")
    caption = models.CharField(max_length=200, blank=True, validators=[one_line("The caption")])
    uploaded_at = models.DateTimeField()
