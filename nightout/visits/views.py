"""Pages of the visit plan: build and versions, units, itineraries, the night-of board."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from nightout.accounts.models import Membership, Role
from nightout.accounts.permissions import (
    can_manage_agency,
    can_manage_season,
    can_view_agency_schedule,
)
from nightout.registry.actors import Actor
from nightout.registry.models import Agency, Season
from nightout.visits import selectors, services
from nightout.visits.calendar import unit_calendar
from nightout.visits.forms import (
    BuildForm,
    MoveForm,
    TapForm,
    UnitForm,
)
from nightout.visits.models import PlanVersion, Stop, Unit, VersionStatus


def _season(slug: str) -> Season:
    return get_object_or_404(Season.objects.select_related("jurisdiction"), slug=slug)


def _manager(request, season: Season) -> None:
    if not can_manage_season(request.user, season):
        raise PermissionDenied


def _errors(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@login_required
def plan(request, season):
    season = _season(season)
    _manager(request, season)
    form = BuildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_queue_build(actor=Actor.of(request.user), season=season,
                                                   seconds=form.cleaned_data["seconds"],
                                                   seed=form.cleaned_data["seed"] or 1,
                                                   fair_share=form.cleaned_data["fair_share"] or 0)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("visits:plan", season=season.slug)
        return redirect("visits:version", season=season.slug, number=version.number)
    services.versions_fail_stale(season=season)
    with timezone.override(season.jurisdiction.zone):
        return render(request, "visits/plan.html", {
            "season": season, "form": form, "versions": selectors.plan_versions(season),
            "units": selectors.season_units(season),
        })


@login_required
def version(request, season, number):
    season = _season(season)
    _manager(request, season)
    version = get_object_or_404(PlanVersion, plan__season=season, number=number)
    if request.method == "POST":
        return _version_action(request, season, version)
    if version.status == VersionStatus.RUNNING and services.versions_fail_stale(season=season):
        version.refresh_from_db()
    elapsed = (int((timezone.now() - version.started_at).total_seconds())
               if version.started_at and not version.is_finished else None)
    context = {"season": season, "version": version, "moving": _int(request.GET.get("move")),
               "elapsed": elapsed, "shown_progress": _shown_progress(version, elapsed)}
    if version.is_finished:
        stops = list(selectors.version_stops(version))
        by_unit: dict = {}
        for s in stops:
            by_unit.setdefault(s.unit, []).append(s)
        checks = sorted(selectors.version_checks(version), key=lambda c: c.kind)
        open_kinds = sorted({(c.kind, c.kind.replace("_", " ")) for c in checks if not c.accepted})
        context.update(by_unit=by_unit.items(), checks=checks, open_kinds=open_kinds,
                       coverage=selectors.version_coverage(version, stops),
                       units=selectors.season_units(season).filter(ride_along_with__isnull=True))
    with timezone.override(season.jurisdiction.zone):
        if request.htmx and not version.is_finished:
            return render(request, "visits/version.html#progress", context)
        if request.htmx:
            # Finished: ask htmx to load the whole page once.
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        return render(request, "visits/version.html", context)


def _shown_progress(version, elapsed: int | None) -> int:
    """The solver reports nothing while it searches: between its start (SOLVING_PROGRESS) and
    saving, show the share of the time budget used."""
    if elapsed is None or version.progress != services.SOLVING_PROGRESS or not version.time_budget:
        return version.progress
    share = min(elapsed / version.time_budget, 1)
    span = services.SAVING_PROGRESS - services.SOLVING_PROGRESS - 1
    return services.SOLVING_PROGRESS + int(share * span)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _version_action(request, season, version):
    actor, action = Actor.of(request.user), request.POST.get("action")
    back = redirect("visits:version", season=season.slug, number=version.number)
    if request.POST.get("next") == "board":  # a retry from the night's board goes back there
        back = redirect("visits:board", season=season.slug)
    try:
        if action in ("pin", "unpin"):
            stop = get_object_or_404(Stop, pk=request.POST.get("stop"), version=version)
            services.stop_pin(actor=actor, stop=stop, pinned=action == "pin")
        elif action == "move":
            form = MoveForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Choose a stop and a unit.")
            stop = get_object_or_404(Stop, pk=form.cleaned_data["stop"], version=version)
            unit = get_object_or_404(Unit, pk=form.cleaned_data["unit"], season=season)
            new = services.stop_move(actor=actor, stop=stop, unit=unit,
                                     position=form.cleaned_data["position"])
            messages.success(request, f"Version {new.number}: {new.note}.")
            return redirect("visits:version", season=season.slug, number=new.number)
        elif action == "accept":
            services.check_accept(actor=actor, version=version, key=request.POST.get("key", ""),
                                  kind=request.POST.get("kind", ""))
        elif action == "retry":
            services.version_retry(actor=actor, version=version)
        elif action == "lock":
            services.version_lock(actor=actor, version=version)
            messages.success(request, f"Version {version.number} is locked; the agencies are told.")
        else:
            raise Http404("Unknown action")
    except ValidationError as exc:
        _errors(request, exc)
    return back


def _districts(season: Season) -> list[str]:
    """The districts a unit may be kept to: the town's map's, and any its registrations name
    (a town without a map, whose spreadsheet had a district column)."""
    named = (season.events.exclude(district="").values_list("district", flat=True)
             .distinct().order_by("district"))
    return list(dict.fromkeys([*season.jurisdiction.district_names, *named]))


def _agencies_managed(request, season: Season, *, retired: bool = False):
    """The agencies whose units this user may add or change in this season (not the retired
    ones, unless `retired`: a unit of a retired agency is still changed)."""
    agencies = (Agency.objects.filter(Q(jurisdiction=season.jurisdiction) | Q(jurisdiction=None))
                .select_related("jurisdiction"))
    if not retired:
        agencies = agencies.filter(retired=False)
    return agencies.filter(pk__in=[a.pk for a in agencies
                                   if can_manage_agency(request.user, a)
                                   or can_manage_season(request.user, season)])


@login_required
def units(request, season):
    season = _season(season)
    agencies = _agencies_managed(request, season)
    editable = set(agencies.values_list("pk", flat=True))
    if not editable and not can_manage_season(request.user, season):
        viewable = [a for a in Agency.objects.filter(jurisdiction=season.jurisdiction)
                    .select_related("jurisdiction") if can_view_agency_schedule(request.user, a)]
        if not viewable:
            raise PermissionDenied
    season_units = selectors.season_units(season)
    form = UnitForm(request.POST or None, agencies=agencies, districts=_districts(season),
                    units=season_units.filter(ride_along_with__isnull=True))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_create(actor=Actor.of(request.user), season=season,
                                 **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['name']} added.")
            return redirect("visits:units", season=season.slug)
        except ValidationError as exc:
            _errors(request, exc)
    visible = [u for u in season_units if can_view_agency_schedule(request.user, u.agency)
               or can_manage_season(request.user, season)]
    opened = _int(request.GET.get("open"))
    if opened and any(u.pk == opened for u in visible):  # "Your unit": straight to its phone
        return redirect("visits:phone", season=season.slug, unit=opened)
    return render(request, "visits/units.html", {
        "season": season, "units": visible, "form": form if editable else None,
        "can_plan": can_manage_season(request.user, season), "editable": editable,
        "can_board": can_manage_season(request.user, season) or any(
            u.agency_id in editable for u in season_units),
    })


@login_required
def unit_edit(request, season, unit):
    season, unit = _unit(request, season, unit)
    agencies = _agencies_managed(request, season, retired=True)
    if not agencies.filter(pk=unit.agency_id).exists():
        raise PermissionDenied
    agencies = agencies.filter(Q(retired=False) | Q(pk=unit.agency_id))
    action = request.POST.get("action", "save") if request.method == "POST" else None
    if action in UNIT_ACTIONS:
        return _unit_action(request, season, unit, action)
    others = selectors.season_units(season).filter(ride_along_with__isnull=True).exclude(pk=unit.pk)
    initial = {name: getattr(unit, name) for name in services.UNIT_FIELDS}
    form = UnitForm(request.POST or None, agencies=agencies, units=others, initial=initial,
                    districts=_districts(season))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(actor=Actor.of(request.user), unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            note = ""
            if selectors.version_current(season) is not None:
                note = (" Versions already built keep the old details: build a new version, or"
                        " re-plan on the night, to plan with them.")
            messages.success(request, f"{form.cleaned_data['name']} saved.{note}")
            return redirect("visits:units", season=season.slug)
    return render(request, "visits/unit_edit.html", {
        "season": season, "unit": unit, "form": form, "kept": services.unit_kept(unit)})


UNIT_ACTIONS = ("not_going", "going", "remove")


def _unit_action(request, season, unit, action):
    """The buttons under a unit's details: not going out, going out again, remove."""
    actor = Actor.of(request.user)
    try:
        if action == "remove":
            services.unit_delete(actor=actor, unit=unit)
        else:
            services.unit_set_active(actor=actor, unit=unit, active=action == "going")
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("visits:unit_edit", season=season.slug, unit=unit.pk)
    messages.success(request, {
        "remove": f"{unit.name} removed.",
        "not_going": f"{unit.name} is marked as not going out: the next build or re-plan leaves "
                     "it out. Versions already built keep its stops.",
        "going": f"{unit.name} goes out again: the next build or re-plan plans with it.",
    }[action])
    return redirect("visits:units", season=season.slug)


def _unit(request, season_slug, unit_id) -> tuple[Season, Unit]:
    season = _season(season_slug)
    unit = get_object_or_404(
        Unit.objects.select_related("agency", "start_station", "end_station", "ride_along_with"),
        pk=unit_id, season=season)
    if not (can_view_agency_schedule(request.user, unit.agency)
            or can_manage_season(request.user, season)):
        raise PermissionDenied
    return season, unit


def _itinerary_context(request, season, unit):
    version = selectors.version_current(season)
    followed = unit.ride_along_with or unit
    zone = season.jurisdiction.zone
    stops = selectors.unit_stops(version, followed)
    return {
        "season": season, "unit": unit, "followed": followed, "version": version, "stops": stops,
        "next_id": next((s.pk for s in stops if s.status in ("planned", "arrived")), None),
        "can_report": services.may_tap(request.user, followed),
        "coordinators": (_coordinators(season) if not unit.active or not stops else []),
        "map": json.dumps({
            "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_ATTRIBUTION,
            "start": [followed.start_station.latitude, followed.start_station.longitude],
            "end": [followed.end_station.latitude, followed.end_station.longitude],
            "stops": [{"lat": s.event.latitude, "lon": s.event.longitude, "order": s.order,
                       "title": s.event.title,
                       "at": timezone.localtime(s.start, zone).strftime("%H:%M"),
                       "status": s.status} for s in stops],
        }),
    }


def _coordinators(season) -> list:
    """Whom a crew calls about its unit: the town's coordinators, with their emails."""
    return list(Membership.objects.filter(role=Role.COORDINATOR, jurisdiction=season.jurisdiction)
                .select_related("user").order_by("user__first_name", "user__username"))


@login_required
def itinerary(request, season, unit):
    season, unit = _unit(request, season, unit)
    with timezone.override(season.jurisdiction.zone):
        return render(request, "visits/itinerary.html", _itinerary_context(request, season, unit))


@login_required
def run_sheet(request, season, unit):
    season, unit = _unit(request, season, unit)
    with timezone.override(season.jurisdiction.zone):
        return render(request, "visits/run_sheet.html", _itinerary_context(request, season, unit))


@login_required
def phone(request, season, unit):
    season, unit = _unit(request, season, unit)
    with timezone.override(season.jurisdiction.zone):
        context = _itinerary_context(request, season, unit)
        context["loaded_at"] = timezone.localtime()
        if request.htmx:
            return render(request, "visits/phone.html#stops", context)
        return render(request, "visits/phone.html", context)


@login_required
def calendar(request, season, unit):
    season, unit = _unit(request, season, unit)
    version = selectors.version_current(season)
    stops = selectors.unit_stops(version, unit.ride_along_with or unit)
    histories = selectors.visit_histories(version, unit.ride_along_with or unit)
    response = HttpResponse(unit_calendar(season, unit, stops, histories),
                            content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{season.slug}-unit-{unit.pk}.ics"'
    return response


def service_worker(request):
    """The crew phone view's offline copy: served from /plan/ so it may cover /plan/."""
    response = render(request, "visits/sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/plan/"
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_POST
def report(request, stop):
    stop_row = get_object_or_404(Stop.objects.select_related("version__plan__season", "unit"),
                                 pk=stop)
    try:
        services.stop_report(actor=Actor.of(request.user), stop_id=stop_row.pk,
                             status=request.POST.get("status", ""),
                             **TapForm(request.POST).tap_fields())
    except ValidationError as exc:
        _errors(request, exc)
    season = stop_row.version.plan.season
    unit_id = _int(request.POST.get("unit")) or stop_row.unit_id
    if request.POST.get("next") == "board":
        return redirect("visits:board", season=season.slug)
    url = reverse("visits:phone", kwargs={"season": season.slug, "unit": unit_id})
    if request.htmx:
        return phone(_as_get(request), season.slug, unit_id)
    return redirect(url)


def _as_get(request):
    request.method = "GET"
    return request


@login_required
def index(request):
    """Seasons whose visits this user may plan, or whose units' itineraries they may see."""
    # A coordinator sees every season of theirs, so that the first unit of a new one can be
    # added from here; others see the seasons where their agencies have units.
    seasons = Season.objects.select_related("jurisdiction").order_by("-year", "jurisdiction__name")
    with_units = set(Season.objects.filter(units__isnull=False).values_list("pk", flat=True))
    agencies = [a for a in Agency.objects.filter(units__isnull=False).distinct()
                if can_view_agency_schedule(request.user, a)]
    rows = []
    for season in seasons:
        if can_manage_season(request.user, season):
            rows.append((season, True))
        elif season.pk in with_units and any(
                a.jurisdiction_id in (season.jurisdiction_id, None) for a in agencies):
            rows.append((season, False))
    return render(request, "visits/index.html", {"rows": rows})
