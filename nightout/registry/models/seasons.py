"""A jurisdiction's season: the night of one year, its rules and its closure fee tiers."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from nightout.registry.models.agencies import UnitKind
from nightout.registry.models.places import PERCENT_VALIDATORS, Jurisdiction
from nightout.text import multi_line, one_line


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
    report_narrative = models.TextField(
        blank=True, max_length=10_000, validators=[multi_line("The narrative")],
        help_text="The story of the night, in the town's words, for the post-event report.")
    # db_default: a row written by code older than this column (a rolling deploy, an older
    # migration's state) still gets an empty mapping.
    import_mapping = models.JSONField(
        default=dict, db_default=models.Value({}, output_field=models.JSONField()), blank=True,
        help_text="How the last spreadsheet's columns were read: the column's name (without "
                  "case, spaces or punctuation) -> the field, or '-' for a column left out.",
    )

    class Meta:
        ordering = ["-year", "jurisdiction__name"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="season_one_per_year"),
            models.CheckConstraint(
                name="season_hours_end_after_start", condition=Q(default_end__gt=F("default_start"))
            ),
            models.CheckConstraint(
                name="season_window_holds_default_hours",
                condition=Q(earliest_start__lte=F("default_start"),
                            latest_end__gte=F("default_end")),
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
