"""Where National Night Out is held: regions and jurisdictions (towns or departments),
and the checks their coordinates and zones share with every other model."""

import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

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
