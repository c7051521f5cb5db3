"""Who visits: agencies (police, fire, officials...) and their stations."""

from django.db import models

from nightout.registry.models.places import (
    LATITUDE_VALIDATORS,
    LONGITUDE_VALIDATORS,
    Jurisdiction,
    coordinate_constraints,
)
from nightout.text import one_line


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
    retired = models.BooleanField(
        default=False, db_default=False,
        help_text="No longer visits: not offered for new units; its units and plans stay.")

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
