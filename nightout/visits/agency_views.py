"""The agencies of a town and their stations, on the coordinator's (and the liaison's) own
pages: the list and a new agency, an agency's details, retiring it and its stations, a
station's details and removing it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from nightout.accounts.permissions import can_manage_agency, can_manage_season, is_site_admin
from nightout.api.models import AgencyToken
from nightout.api.services import agency_token_create, agency_token_revoke
from nightout.registry.actors import Actor
from nightout.registry.models import Agency, Season, Station
from nightout.visits import services
from nightout.visits.forms import AgencyForm, StationForm, TokenForm
from nightout.visits.views import _errors, _season


def _town_agencies(request, season: Season) -> tuple[list[Agency], set[int]]:
    """The agencies the page lists (the town's, and the outside ones any town may use) and
    those this user may change; PermissionDenied for a user who may change none."""
    listed = list(Agency.objects.filter(
        Q(jurisdiction=season.jurisdiction) | Q(jurisdiction=None)).distinct()
        .select_related("jurisdiction").prefetch_related("stations").order_by("retired", "name"))
    editable = {a.pk for a in listed if can_manage_agency(request.user, a)}
    if not editable and not can_manage_season(request.user, season):
        raise PermissionDenied
    return listed, editable


def _pin_map(season: Season) -> dict:
    town = season.jurisdiction
    return {"lat": town.center_latitude, "lng": town.center_longitude,
            "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_ATTRIBUTION,
            "title": "The station"}


@login_required
def agencies(request, season):
    """The town's agencies and their stations; a coordinator adds an agency here."""
    season = _season(season)
    listed, editable = _town_agencies(request, season)
    can_add = can_manage_season(request.user, season)
    form = (AgencyForm(request.POST or None, outside=is_site_admin(request.user)) if can_add
            else None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                agency = services.agency_create(actor=Actor.of(request.user), season=season,
                                                **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"{agency.name} added. Add its stations: the places "
                                          "its units start from.")
                return redirect("visits:agency", season=season.slug, agency=agency.slug)
    return render(request, "visits/agencies.html", {
        "season": season, "agencies": listed, "editable": editable, "form": form},
        status=400 if form is not None and form.errors else 200)


def _form_errors(form, exc: ValidationError) -> None:
    """A service's refusal beside the fields it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def agency(request, season, agency):
    """An agency: its name, kind and website; retiring it; its stations, and a new one placed
    on the map; the tokens its own software reads the API with (made, listed, revoked)."""
    season = _season(season)
    agency = get_object_or_404(Agency, slug=agency)
    if not can_manage_agency(request.user, agency):
        raise PermissionDenied
    actor = Actor.of(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    details = AgencyForm(request.POST if action == "details" else None, prefix="agency",
                         initial={"name": agency.name, "kind": agency.kind,
                                  "website": agency.website})
    station = StationForm(request.POST if action == "station" else None)
    token_form = TokenForm(request.POST if action == "token" else None, prefix="token")
    made_secret = None
    try:
        if action == "details" and details.is_valid():
            services.agency_update(actor=actor, season=season, agency=agency,
                                   **details.cleaned_data)
            messages.success(request, f"{details.cleaned_data['name']} saved.")
            return redirect("visits:agency", season=season.slug,
                            agency=Agency.objects.get(pk=agency.pk).slug)
        if action in ("retire", "return"):
            services.agency_retire(actor=actor, season=season, agency=agency,
                                   retired=action == "retire")
            messages.success(request, f"{agency.name} is retired: it is offered for no new "
                             "unit; its units and plans stay." if action == "retire"
                             else f"{agency.name} is back: its units can be added again.")
            return redirect("visits:agency", season=season.slug, agency=agency.slug)
        if action == "token" and token_form.is_valid():
            # The token itself is shown on this answer only: never kept, never in a message.
            _, made_secret = agency_token_create(
                agency=agency, name=token_form.cleaned_data["name"],
                created_by=request.user.get_username())
            token_form = TokenForm(prefix="token")
        if action == "revoke_token":
            token = get_object_or_404(AgencyToken, pk=request.POST.get("token"), agency=agency)
            agency_token_revoke(token=token)
            messages.success(request, f"The token “{token.name}” no longer works.")
            return redirect("visits:agency", season=season.slug, agency=agency.slug)
        if action == "station" and station.is_valid():
            made = services.station_create(actor=actor, season=season, agency=agency,
                                           **station.cleaned_data)
            messages.success(request, f"{made.name} added to {agency.name}.")
            return redirect("visits:agency", season=season.slug, agency=agency.slug)
    except ValidationError as exc:
        _form_errors(details if action == "details" else station, exc)
    return render(request, "visits/agency.html", {
        "season": season, "agency": agency, "details": details, "station": station,
        "stations": agency.stations.all(), "map": _pin_map(season),
        "units": agency.units.filter(season=season).order_by("name"),
        "tokens": agency.api_tokens.order_by("-created_at"), "token_form": token_form,
        "made_secret": made_secret,
    }, status=400 if details.errors or station.errors or token_form.errors else 200)


@login_required
def station(request, season, station):
    """A station: its name, address and place on the map; removing it."""
    season = _season(season)
    station = get_object_or_404(Station.objects.select_related("agency"), pk=station)
    if not can_manage_agency(request.user, station.agency):
        raise PermissionDenied
    back = reverse("visits:agency", args=[season.slug, station.agency.slug])
    actor = Actor.of(request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    form = StationForm(request.POST if action == "save" else None, initial={
        name: getattr(station, name) for name in services.STATION_FIELDS})
    try:
        if action == "save" and form.is_valid():
            services.station_update(actor=actor, season=season, station=station,
                                    **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['name']} saved. Versions already "
                             "built keep the routes they planned from it.")
            return redirect(back)
        if action == "remove":
            services.station_delete(actor=actor, season=season, station=station)
            messages.success(request, f"{station.name} removed.")
            return redirect(back)
    except ValidationError as exc:
        if action == "remove":
            _errors(request, exc)
            return redirect(request.path)
        _form_errors(form, exc)
    return render(request, "visits/station.html", {
        "season": season, "station": station, "form": form, "map": _pin_map(season),
        "back": back}, status=400 if form.errors else 200)
