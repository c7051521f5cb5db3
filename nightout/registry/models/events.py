"""A party or community event: what it is, where and when, its host, the agencies that came,
and a host's change waiting for the coordinator."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex, Substr

from nightout.registry.models.agencies import Agency
from nightout.registry.models.places import (
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    coordinate_constraints,
)
from nightout.registry.models.seasons import Season
from nightout.text import multi_line, one_line


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


# How a party reached the coordinator who entered it on their own screen: its `Event.source`
# (besides "web", "import", "admin" and "demo"), in the coordinator's words.
STAFF_SOURCES = {"phone": "phoned in", "walk-in": "walked in", "mail": "by email or letter",
                 "staff": "entered by the town"}


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
    # Where the public sees the event (`nightout.finder.places.public_point` of the fields
    # above), kept by every service that moves it, so that a search filters and measures
    # public points in the database: never shown as such, never an exact private pin.
    public_latitude = models.FloatField(
        editable=False, help_text="The public point: the block's fuzzed point for a home.")
    public_longitude = models.FloatField(editable=False)

    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    rain_date = models.DateField(null=True, blank=True)
    rescheduled_from = models.DateTimeField(
        null=True, blank=True,
        help_text="When the event was to start before it moved to its rain date.")

    activities = models.ManyToManyField(Activity, blank=True, related_name="events")
    agencies = models.ManyToManyField(
        Agency, through="EventAgency", blank=True, related_name="events"
    )
    expected_attendance = models.PositiveIntegerField(null=True, blank=True)
    accessibility_notes = models.TextField(
        blank=True, validators=[multi_line("The accessibility notes")])

    coordinator_notes = models.TextField(
        blank=True, max_length=2000, db_default="",
        validators=[multi_line("The notes"), MaxLengthValidator(2000)],
        help_text="The town's own notes on the event: never public, never shown to the host.",
    )

    block_key = models.CharField(
        max_length=200, blank=True, db_index=True,
        help_text="The block, from the address: '1200 elm st'. Same key, same block.",
    )
    street_key = models.GeneratedField(
        expression=Substr("block_key", StrIndex("block_key", Value(" ")) + 1),
        output_field=models.CharField(max_length=200), db_persist=True,
        help_text="The block's street: 'elm st' (the finder's look-up of an address).",
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
    sequence = models.PositiveIntegerField(
        default=0, db_default=0,
        help_text="How many times its time, date, place or status changed: a calendar's "
                  "SEQUENCE, so calendars that hold it take the change.")
    cancelled_in_public = models.BooleanField(
        default=False, db_default=False,
        help_text="Cancelled after it was public: calendars keep listing it, as cancelled.")

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [
            models.Index(fields=["season", "status", "starts_at"], name="event_season_status"),
            # The finder's near-me box and map box, on the points the public sees.
            models.Index(fields=["public_latitude", "public_longitude"],
                         name="event_public_point"),
            # With the status, so that SQLite's planner prefers it to (status, postal_code).
            models.Index(fields=["street_key", "status"], name="event_street_status"),
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
