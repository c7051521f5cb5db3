"""Visits: the units that go out on the night, the plans that send them, and their stops.

Times of a unit's shift are times of day on the season's night, in the jurisdiction's zone;
stop times are aware datetimes. A plan keeps every version it was given.
"""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q

from nightout.registry.models import Agency, Event, Season, Station, UnitKind
from nightout.text import one_line


class Unit(models.Model):
    """A squad car, an engine, the mayor's car: one vehicle or person that moves on the night.

    An outside agency (State Police, U.S. Marshals, military) either brings units of its own or
    rides along with a local unit (`ride_along_with`): then it goes wherever that unit goes.
    """

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="units")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units")
    kind = models.CharField(max_length=16, choices=UnitKind.choices)
    name = models.CharField(max_length=120, validators=[one_line("The name")])
    shift_start = models.TimeField()
    shift_end = models.TimeField()
    start_station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    end_station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    district = models.CharField(
        max_length=80, blank=True, validators=[one_line("The district")],
        help_text="Keep the unit in this district (empty: anywhere).",
    )
    max_stops = models.PositiveSmallIntegerField(null=True, blank=True)
    ride_along_with = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="riders",
        help_text="An outside agency riding along with a local unit.",
    )
    active = models.BooleanField(default=True, help_text="Off when the unit dropped out.")

    class Meta:
        ordering = ["season", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["season", "name"], name="unit_name_per_season"),
            models.CheckConstraint(
                name="unit_shift_end_after_start", condition=Q(shift_end__gt=F("shift_start"))
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VersionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class VersionOrigin(models.TextChoices):
    """How a version was made: solved from scratch, a stop moved by hand, or the rest of the
    night re-planned."""

    BUILD = "build", "Build"
    MOVE = "move", "Move"
    REPLAN = "replan", "Re-plan"

    @classmethod
    def solved_by_worker(cls) -> tuple[str, ...]:
        """The origins a worker solves, and so the ones a retry can queue again."""
        return (cls.BUILD, cls.REPLAN)


class Plan(models.Model):
    """The season's visit plan: its versions, of which one may be locked."""

    season = models.OneToOneField(Season, on_delete=models.CASCADE, related_name="plan")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Plan of {self.season}"


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    origin = models.CharField(max_length=16, choices=VersionOrigin.choices,
                              default=VersionOrigin.BUILD)
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=8, choices=VersionStatus.choices, default=VersionStatus.QUEUED
    )
    time_budget = models.PositiveIntegerField(default=30, help_text="Seconds of solving.")
    seed = models.PositiveIntegerField(default=1)
    fair_share = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)],
        help_text="Percent of each district's visits asked for that come first; 0 = off.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent.")
    progress_note = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    score = models.IntegerField(null=True, blank=True)
    visits_made = models.PositiveIntegerField(null=True, blank=True)
    parties_reached = models.PositiveIntegerField(null=True, blank=True)
    fcfs_score = models.IntegerField(null=True, blank=True)
    fcfs_parties = models.PositiveIntegerField(null=True, blank=True)
    feasible = models.BooleanField(null=True)
    problems = models.JSONField(default=list, blank=True, help_text="The validator's findings.")
    accepted = models.JSONField(default=list, blank=True, help_text="Check keys accepted.")
    # Re-planning: when the rest of the night starts (seconds of the night); null for a build.
    replan_from = models.DateTimeField(null=True, blank=True)
    locked = models.BooleanField(default=False)
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The background job: its id in the task queue, the worker solving it (host:pid:token) and
    # that worker's last sign of life. A running version whose worker stopped beating (killed,
    # out of memory, machine lost) is marked failed (`worker.versions_fail_stale`).
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Re-planning: minutes late by unit id, kept so that a failed re-plan can be retried.
    late = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number"),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(locked=True), name="plan_one_locked_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def season(self) -> Season:
        return self.plan.season

    @property
    def is_finished(self) -> bool:
        return self.status in (VersionStatus.DONE, VersionStatus.FAILED)

    @property
    def more_parties_than_fcfs(self) -> int | None:
        if self.parties_reached is None or self.fcfs_parties is None:
            return None
        return self.parties_reached - self.fcfs_parties


class StopStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ARRIVED = "arrived", "Arrived"
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class Stop(models.Model):
    """One visit of one unit at one party, in a plan version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="stops")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="stops")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="planned_stops")
    kind = models.CharField(max_length=16, choices=UnitKind.choices)
    order = models.PositiveSmallIntegerField()
    arrival = models.DateTimeField()
    start = models.DateTimeField()
    departure = models.DateTimeField()
    pinned = models.BooleanField(default=False)
    status = models.CharField(
        max_length=8, choices=StopStatus.choices, default=StopStatus.PLANNED
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    # The unit whose crew tapped the visit done. A re-plan may give a visit to another unit
    # than the one that made it (the tap came from a phone that still had the old plan): then
    # this stop is done, so nobody drives there, but it was made by `done_by`, not by `unit`.
    done_by = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["version", "unit", "order"]
        constraints = [
            # A visit (an event's request for a kind) is made by at most one unit per version,
            # and so a unit has at most one stop per (version, event, kind).
            models.UniqueConstraint(fields=["version", "event", "kind"], name="stop_visit_once"),
            models.UniqueConstraint(
                fields=["version", "unit", "order"], name="stop_order_per_unit"
            ),
            models.CheckConstraint(
                name="stop_times_in_order",
                condition=Q(start__gte=F("arrival"), departure__gte=F("start")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} at {self.event}"

    @property
    def done_by_another(self) -> bool:
        return (self.status == StopStatus.DONE and self.done_by_id is not None
                and self.done_by_id != self.unit_id)

    @property
    def status_label(self) -> str:
        """'Done by Engine 3' for a visit another unit made, else the status."""
        if self.done_by_another:
            return f"Done by {self.done_by.name}"
        return self.get_status_display()


class StopReport(models.Model):
    """Every tap a crew makes, kept even when it changes nothing: nothing is lost.

    A tap made without signal waits on the phone and is sent later, perhaps more than once:
    `tap` is the phone's own id for it, so a tap sent again is recognised, and `at` is the time
    it was tapped (`tapped_at`, the phone's clock) when that is plausible, or else the time the
    server received it.
    """

    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(max_length=8, choices=StopStatus.choices)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    tap = models.UUIDField(null=True, blank=True, help_text="The phone's id for this tap.")
    tapped_at = models.DateTimeField(
        null=True, blank=True, help_text="The time on the phone's clock when it was tapped.")
    received_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stop", "tap"], name="stop_report_tap_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} by {self.by}"
