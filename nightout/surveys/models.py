"""The trust pulse: anonymous answers to a short survey after the night.

An answer holds no IP address, no name, no cookie id, only the day it was given and a random
key (not a sequence number): nothing that points at a person or at the order answers came in.
Aggregates are published once the survey has closed, with noise (`surveys.noise`), and only
for groups large enough (`surveys.privacy`).
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from nightout.registry.models import Event, Season

LIKERT = [MinValueValidator(1), MaxValueValidator(5)]


class Changed(models.TextChoices):
    BETTER = "better", "Better"
    SAME = "same", "No change"
    WORSE = "worse", "Worse"


class ComeAgain(models.TextChoices):
    YES = "yes", "Yes"
    MAYBE = "maybe", "Maybe"
    NO = "no", "No"


class CommentStatus(models.TextChoices):
    NONE = "none", "No comment"
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


class SurveyResponse(models.Model):
    # A random key, not a number counting up: answers to one event carry no order in which they
    # came, that a log of the survey's requests could be matched against.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="survey_responses")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="survey_responses")
    district = models.CharField(max_length=80, blank=True)
    language = models.CharField(max_length=8, default="en")
    # 1 (strongly disagree) to 5 (strongly agree); empty: preferred not to say.
    respect = models.PositiveSmallIntegerField(null=True, blank=True, validators=LIKERT)
    listen = models.PositiveSmallIntegerField(null=True, blank=True, validators=LIKERT)
    safe = models.PositiveSmallIntegerField(null=True, blank=True, validators=LIKERT)
    changed = models.CharField(max_length=8, choices=Changed.choices, blank=True)
    come_again = models.CharField(max_length=8, choices=ComeAgain.choices, blank=True)
    comment = models.TextField(blank=True, max_length=1000)
    comment_status = models.CharField(max_length=10, choices=CommentStatus.choices,
                                      default=CommentStatus.NONE)
    submitted_on = models.DateField(help_text="The day only, never the time.")

    class Meta:
        # By day, then by the random key: never in the order the answers came.
        ordering = ["-submitted_on", "id"]
        indexes = [models.Index(fields=["season", "district"], name="survey_season_district")]
        constraints = [
            models.CheckConstraint(
                name=f"survey_{name}_1_to_5",
                condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1,
                                                               f"{name}__lte": 5}),
            )
            for name in ("respect", "listen", "safe")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.season} on {self.submitted_on}"


class SurveySummary(models.Model):
    """The figures of a season published once its survey closed, with their noise: stored, so
    every request shows the same numbers, and kept when the raw answers are purged."""

    season = models.OneToOneField(Season, on_delete=models.CASCADE, related_name="survey_summary")
    figures = models.JSONField()
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Published figures of {self.season}"
