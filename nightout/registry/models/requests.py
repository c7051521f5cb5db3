"""What an event asks for: a street closure (with its permit) and visits by kind of unit."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from nightout.registry.models.agencies import Agency, UnitKind
from nightout.registry.models.events import Event
from nightout.registry.models.places import PERCENT_VALIDATORS
from nightout.text import multi_line, one_line


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
            models.UniqueConstraint(fields=["event", "unit_kind"],
                                    name="visit_request_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_unit_kind_display()} at {self.event}"
