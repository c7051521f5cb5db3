"""What is kept of what happened: the audit trail, spreadsheet uploads, and the host's report
after the night with its photos."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from nightout.registry.models.agencies import Agency
from nightout.registry.models.events import Event
from nightout.registry.models.places import Jurisdiction
from nightout.registry.models.seasons import Season
from nightout.text import multi_line, one_line


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
    season = models.ForeignKey(Season, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="audit_entries")
    # A town's own changes (its name, area, districts) have a town and no season.
    jurisdiction = models.ForeignKey(Jurisdiction, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="audit_entries")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_entries"
    )
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        constraints = [models.CheckConstraint(
            name="audit_entry_of_season_or_town",
            condition=models.Q(season__isnull=False) | models.Q(jurisdiction__isnull=False))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked, not applied"
    APPLYING = "applying", "Being written"
    APPLIED = "applied", "Applied"
    ABANDONED = "abandoned", "Abandoned"
    FAILED = "failed", "Failed"


# A batch in one of these is finished: it keeps no staged rows and no faults.
IMPORT_FINISHED = (ImportStatus.APPLIED, ImportStatus.ABANDONED, ImportStatus.FAILED)


class ImportBatch(models.Model):
    """A spreadsheet a coordinator uploaded, staged between the check and the apply.

    The upload itself is never kept: only the values of the columns mapped to a field
    (`rows`, each an `ImportRow.as_json()`), the faults found, and the names of the columns
    that were not read. The staged rows and faults go once the batch is applied, abandoned
    or failed, and `nightout purge` removes those of a batch left waiting."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField(max_length=200)
    sheet = models.CharField(max_length=200, blank=True,
                             help_text="The workbook's sheet that was read; empty for a CSV.")
    mapping = models.JSONField(
        default=list, blank=True,
        help_text="[column as the file spells it, the field it was read as or '-'], in the "
                  "file's order.")
    status = models.CharField(max_length=12, choices=ImportStatus.choices)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    rows = models.JSONField(default=list, blank=True,
                            help_text="The staged rows: only the mapped columns' values.")
    faults = models.JSONField(default=list, blank=True)
    fault_rows = models.JSONField(
        default=dict, blank=True,
        help_text="Line -> the mapped cells of a line that could not be read (to fix it).")
    unmapped = models.JSONField(default=list, blank=True,
                                help_text="The columns that were not read, as spelled.")
    counts = models.JSONField(
        default=dict, blank=True, help_text="rows, created, changed and unchanged.")
    message = models.TextField(blank=True, help_text="Why the check or the apply failed.")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def busy(self) -> bool:
        """Being checked or written by a background task."""
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)


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
    chosen_for_report = models.BooleanField(
        default=False, help_text="The coordinator chose it for the post-event awards report.")

    def __str__(self) -> str:
        return f"Photo of {self.report.event}"
