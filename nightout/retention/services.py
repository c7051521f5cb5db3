"""Personal data is kept for a set time after a season's night, then purged.

Purged: the host's name, email, phone and organisation and the town's own notes on the
event (the event itself stays, for the season's records), the secret behind the host's
private link (so old links stop working), and the raw survey answers, comments included,
once the survey has closed and its figures are published (and kept). And, whatever the
season, the rows a spreadsheet import staged, once applied or abandoned, or left waiting
longer than `imports.batches.STAGED_FOR`.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nightout.registry.imports.batches import STAGED_FOR, batches_purge, batches_stale
from nightout.registry.models import Event, HostContact, Season
from nightout.surveys.models import SurveyResponse
from nightout.surveys.selectors import survey_closes_at
from nightout.surveys.services import summary_publish


@dataclass
class PurgeReport:
    seasons: list[str] = field(default_factory=list)
    host_contacts: int = 0
    notes: int = 0
    links: int = 0
    survey_answers: int = 0
    staged_imports: int = 0

    def lines(self, applied: bool) -> list[str]:
        verb = "Purged" if applied else "Would purge"
        if not self.seasons and not self.staged_imports:
            return ["Nothing is past its retention period."]
        seasons = [
            f"Seasons past retention: {', '.join(self.seasons)}",
            f"{verb} {self.host_contacts} host contacts, {self.notes} events' coordinator "
            f"notes, {self.links} private links and {self.survey_answers} survey answers.",
        ] if self.seasons else []
        staged = [
            f"{verb} the rows of {self.staged_imports} staged imports (applied, abandoned, "
            f"or waiting longer than {STAGED_FOR.days} days).",
        ] if self.staged_imports else []
        return [*seasons, *staged,
                *([] if applied else ["Dry run: nothing was changed. Add --apply to purge."])]


def seasons_past_retention(*, today: dt.date) -> list[Season]:
    cutoff = today - dt.timedelta(days=settings.RETENTION_DAYS)
    return list(Season.objects.filter(nno_date__lt=cutoff).select_related("jurisdiction"))


def personal_data_purge(*, apply: bool, today: dt.date | None = None) -> PurgeReport:
    """Purge what is past retention; a dry run (the default of the command) only counts."""
    report = PurgeReport()
    with transaction.atomic():
        today = today or timezone.localdate()
        for season in seasons_past_retention(today=today):
            contacts = HostContact.objects.filter(event__season=season).exclude(
                name="", email="", phone="", organization="")
            links = Event.objects.filter(season=season).exclude(manage_secret="")
            notes = Event.objects.filter(season=season).exclude(coordinator_notes="")
            answers = SurveyResponse.objects.filter(season=season)
            # Raw answers go once the survey's figures are published: after it closed.
            start_of_today = season.at(today, dt.time(0))
            if start_of_today < survey_closes_at(season=season):
                answers = answers.none()
            counts = (contacts.count(), links.count(), answers.count(), notes.count())
            if not any(counts):
                continue
            report.seasons.append(str(season))
            report.host_contacts += counts[0]
            report.links += counts[1]
            report.survey_answers += counts[2]
            report.notes += counts[3]
            if not apply:
                continue
            if counts[2]:
                summary_publish(season=season, now=start_of_today)
            contacts.update(name="", email="", phone="", organization="")
            links.update(manage_secret="")
            notes.update(coordinator_notes="")
            answers.delete()
        now = timezone.now()
        report.staged_imports = batches_stale(now=now, older_than=STAGED_FOR).count()
        if apply and report.staged_imports:
            batches_purge(now=now, older_than=STAGED_FOR)
    return report
