"""Personal data is kept for a set time after a season's night, then purged.

Purged: the host's name, email, phone and organisation (the event itself stays, for the
season's records), the secret behind the host's private link (so old links stop working),
and the raw survey answers, comments included, after their published figures are kept.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nightout.registry.models import Event, HostContact, Season
from nightout.surveys.models import SurveyResponse, SurveySummary
from nightout.surveys.selectors import results_as_json, trust_results


@dataclass
class PurgeReport:
    seasons: list[str] = field(default_factory=list)
    host_contacts: int = 0
    links: int = 0
    survey_answers: int = 0

    def lines(self, applied: bool) -> list[str]:
        verb = "Purged" if applied else "Would purge"
        if not self.seasons:
            return ["Nothing is past its retention period."]
        return [
            f"Seasons past retention: {', '.join(self.seasons)}",
            f"{verb} {self.host_contacts} host contacts, {self.links} private links and "
            f"{self.survey_answers} survey answers.",
            *([] if applied else ["Dry run: nothing was changed. Add --apply to purge."]),
        ]


def seasons_past_retention(*, today: dt.date) -> list[Season]:
    cutoff = today - dt.timedelta(days=settings.RETENTION_DAYS)
    return list(Season.objects.filter(nno_date__lt=cutoff).select_related("jurisdiction"))


def personal_data_purge(*, apply: bool, today: dt.date | None = None) -> PurgeReport:
    """Purge what is past retention; a dry run (the default of the command) only counts."""
    report = PurgeReport()
    with transaction.atomic():
        for season in seasons_past_retention(today=today or timezone.localdate()):
            contacts = HostContact.objects.filter(event__season=season).exclude(
                name="", email="", phone="", organization="")
            links = Event.objects.filter(season=season).exclude(manage_secret="")
            answers = SurveyResponse.objects.filter(season=season)
            counts = (contacts.count(), links.count(), answers.count())
            if not any(counts):
                continue
            report.seasons.append(str(season))
            report.host_contacts += counts[0]
            report.links += counts[1]
            report.survey_answers += counts[2]
            if not apply:
                continue
            if counts[2]:
                SurveySummary.objects.update_or_create(
                    season=season, defaults={
                        "figures": results_as_json(trust_results(season=season)),
                        "created_at": timezone.now()})
            contacts.update(name="", email="", phone="", organization="")
            links.update(manage_secret="")
            answers.delete()
    return report
