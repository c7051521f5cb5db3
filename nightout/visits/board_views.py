"""The night-of board: every unit's next stop, who is late, each party's visits, polled every few
seconds; the town's coordinators re-plan the rest of the night from it, an agency's liaison
sees their agency's units."""

import datetime as dt
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from nightout.accounts.permissions import can_manage_agency, can_manage_season
from nightout.registry.actors import Actor
from nightout.registry.models import Agency, Season
from nightout.visits import selectors, services
from nightout.visits.forms import ReplanForm
from nightout.visits.models import Unit, VersionStatus
from nightout.visits.views import _errors, _season


@login_required
def board(request, season):
    """The night as it goes: every unit's next stop, who is late, each party's visits. The
    town's coordinators re-plan from it; an agency's liaison sees their agency's units."""
    season = _season(season)
    mine = _liaison_agencies(request, season)
    version = selectors.version_current(season)
    form = ReplanForm(request.POST or None)
    if request.method == "POST" and mine is not None:
        raise PermissionDenied
    if request.method == "POST" and version is not None and form.is_valid():
        return _replan(request, season, version, form)
    with timezone.override(season.jurisdiction.zone):
        now = _board_now(request, season)
        replanning = selectors.replan_pending(season, version)
        if (replanning is not None and replanning.status == VersionStatus.RUNNING
                and services.versions_fail_stale(season=season)):
            replanning = selectors.replan_pending(season, version)  # its worker was lost
        night = selectors.night_board(version, now) if version else {}
        if night and mine is not None:  # a liaison: their agency's units and nothing else
            units = [b for b in night["units"] if b.unit.agency_id in mine]
            night = {"units": units, "districts": [], "parties": [], "counts": sorted(
                Counter(s.status for b in units for s in b.stops).items())}
        context = {"season": season, "version": version, "form": form, "now": now,
                   "replanning": replanning, "liaison": mine is not None, **night}
        if request.htmx:
            return render(request, "visits/board.html#board", context)
        return render(request, "visits/board.html", context)


def _liaison_agencies(request, season: Season) -> set[int] | None:
    """None for those who run the town's night (its coordinators); for an agency's liaison,
    the ids of the agencies with units this season they manage; else PermissionDenied."""
    if can_manage_season(request.user, season):
        return None
    mine = {a.pk for a in Agency.objects.filter(units__season=season).distinct()
            if can_manage_agency(request.user, a)}
    if not mine:
        raise PermissionDenied
    return mine


def _board_now(request, season) -> dt.datetime:
    """Now, or (to rehearse) the time of the night given as ?at=HH:MM."""
    at = request.GET.get("at") or request.POST.get("at")
    if at:
        try:
            return season.at(season.nno_date, dt.time.fromisoformat(at))
        except ValueError:
            pass
    return timezone.now()


def _replan(request, season, version, form):
    actor, data = Actor.of(request.user), form.cleaned_data
    late = {}
    if data["drop"]:
        unit = get_object_or_404(Unit, pk=data["drop"], season=season)
        services.unit_set_active(actor=actor, unit=unit, active=False)
    if data["late"]:
        late[data["late"]] = data["minutes"] or 0
    now = (season.at(season.nno_date, data["now"]) if data["now"] else timezone.now())
    try:
        new = services.version_queue_replan(actor=actor, version=version, now=now, late=late,
                                            seconds=data["seconds"])
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("visits:board", season=season.slug)
    if new.status == "done":
        messages.success(request, f"Version {new.number}: {new.note}.")
    else:
        messages.success(request, f"Re-planning the rest of the night as version {new.number}; "
                                  "the board shows it as soon as it is done.")
    url = reverse("visits:board", kwargs={"season": season.slug})
    if data["now"]:
        url += f"?at={data['now']:%H:%M}"
    return redirect(url)
