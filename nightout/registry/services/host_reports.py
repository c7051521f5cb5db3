"""The host's report after the night: how many came, which agencies visited, notes and
photos."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nightout.accounts.permissions import can_manage_season
from nightout.errors import Invalid, NotAllowed
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import Agency, Event, EventPhoto, EventStatus, HostReport
from nightout.registry.photos import PhotoError, clean_photo
from nightout.registry.services._access import check_event_actor
from nightout.registry.services._inputs import Errors, model_errors
from nightout.registry.services.seasons import SEASON_NOT_ALLOWED

REPORT_TOO_EARLY = "You can report on the night once your event has started."
REPORT_NOT_APPROVED = "Only approved events report on the night."
TOO_MANY_PHOTOS = "Send at most {n} photos."
MAX_PHOTOS = 6


@transaction.atomic
def host_report_submit(*, event: Event, actor: Actor, attendance: int, agency_ids: list[int],
                       notes: str, photos: list, now: dt.datetime | None = None) -> HostReport:
    """The host's report after the night (through the private link; a coordinator may send
    it for them); sending it again corrects it and adds photos. Anyone else is refused
    (`NotAllowed`)."""
    check_event_actor(actor, event)
    now = now or timezone.now()
    if event.status != EventStatus.APPROVED:
        raise Invalid(REPORT_NOT_APPROVED)
    if now < event.starts_at:
        raise Invalid(REPORT_TOO_EARLY)
    existing = EventPhoto.objects.filter(report__event=event).count()
    if existing + len(photos) > MAX_PHOTOS:
        raise Invalid({"photos": TOO_MANY_PHOTOS.format(n=MAX_PHOTOS)})
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_photo(upload))
        except PhotoError as exc:
            raise Invalid({"photos": str(exc)}) from None
    report = HostReport.objects.filter(event=event).first() or HostReport(event=event)
    report.attendance, report.notes, report.submitted_at = attendance, notes.strip(), now
    try:  # before writing: a database may refuse what the door refuses
        report.full_clean()
    except ValidationError as exc:
        raise Invalid(exc) from None
    report.save()
    report.agencies_came.set(Agency.objects.filter(pk__in=agency_ids))
    for content in cleaned:
        EventPhoto.objects.create(report=report, image=content, uploaded_at=now)
    audit_record(actor=actor, season=event.season, event=event, action="reported",
                 changes={"attendance": attendance, "photos": len(cleaned)}, at=now)
    return report


NOT_THIS_SEASONS_PHOTO = "A photo chosen is not one of this season's; reload the page."


@transaction.atomic
def awards_report_save(*, season, narrative: str, photo_ids: list[int], actor: Actor) -> None:
    """The post-event report's narrative and the hosts' photos chosen for it (the others are
    left out); the town's coordinators only. Recorded in the season's history."""
    if not (actor.is_system or can_manage_season(actor.user, season)):
        raise NotAllowed(SEASON_NOT_ALLOWED.format(town=season.jurisdiction.name))
    photos = EventPhoto.objects.filter(report__event__season=season)
    if set(photo_ids) - set(photos.values_list("pk", flat=True)):
        raise Invalid({"photos": NOT_THIS_SEASONS_PHOTO})
    before = (season.report_narrative, set(photos.filter(chosen_for_report=True)
                                            .values_list("pk", flat=True)))
    season.report_narrative = narrative.strip()
    errors = Errors()
    model_errors(season, errors)
    errors.raise_if_any()
    season.save(update_fields=["report_narrative"])
    photos.update(chosen_for_report=False)
    photos.filter(pk__in=photo_ids).update(chosen_for_report=True)
    changes = {}
    if before[0] != season.report_narrative:
        changes["narrative"] = "changed"
    if before[1] != set(photo_ids):
        changes["photos chosen"] = [str(len(before[1])), str(len(set(photo_ids)))]
    if changes:
        audit_record(actor=actor, season=season, action="awards report changed",
                     changes=changes)
