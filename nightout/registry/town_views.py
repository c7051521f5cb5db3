"""Towns on nightout's own pages: the towns a person sets up, a new town (a site administrator
or a regional organizer), and a town's page: its name, state and time zone, its area and its
districts (each new shape previewed with what it would change before it is saved), its seasons,
its coordinators and its history."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from nightout.accounts.models import Invitation, Membership, Role
from nightout.accounts.permissions import (
    can_add_town,
    can_manage_jurisdiction,
    can_set_up_jurisdiction,
    can_view_region,
    is_site_admin,
    memberships_of,
)
from nightout.accounts.services import invitation_send, may_give
from nightout.errors import NotAllowed
from nightout.geo.areas import area_summary
from nightout.registry.actors import Actor
from nightout.registry.forms.towns import (
    AreaForm,
    DistrictsForm,
    NewTownForm,
    TownForm,
    as_json,
)
from nightout.registry.models import Jurisdiction, Region
from nightout.registry.services.towns import (
    NOT_YOUR_TOWN,
    NOT_YOURS_TO_ADD,
    TownInput,
    region_create,
    town_area_preview,
    town_area_set,
    town_create,
    town_districts_preview,
    town_districts_set,
    town_history,
    town_update,
)
from nightout.text import PlainTextFields


def _map(**shapes) -> dict:
    return {"tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_ATTRIBUTION, **shapes}


def _regions(user):
    if is_site_admin(user):
        return Region.objects.order_by("name")
    return Region.objects.filter(pk__in=[m.region_id for m in memberships_of(user)
                                         if m.role == Role.REGIONAL_ORGANIZER])


def _add_errors(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


class RegionForm(PlainTextFields, forms.Form):
    name = forms.CharField(label="Name of the region", max_length=120)


class InviteOrganizerForm(PlainTextFields, forms.Form):
    email = forms.EmailField(label="The organizer's email")
    region = forms.ModelChoiceField(label="Of the region", queryset=Region.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("name")


@login_required
def towns(request):
    """The towns this person sets up, and a new one; for a site administrator, the regions
    and their organizers too."""
    user = request.user
    listed = [t for t in Jurisdiction.objects.annotate(latest_year=Max("seasons__year"))
              .prefetch_related("regions").order_by("name", "state")
              if can_set_up_jurisdiction(user, t)]
    if not listed and not can_add_town(user):
        raise NotAllowed("Your account sets up no town. A town's coordinators and the "
                         "organizers of its region set it up here.")
    admin = is_site_admin(user)
    action = request.POST.get("action") if request.method == "POST" and admin else None
    region_form = RegionForm(request.POST if action == "region" else None) if admin else None
    invite = InviteOrganizerForm(request.POST if action == "organizer" else None) if admin else None
    try:
        if action == "region" and region_form.is_valid():
            region = region_create(name=region_form.cleaned_data["name"], actor=Actor.of(user))
            messages.success(request, f"{region} added: invite its organizer below.")
            return redirect(request.path)
        if action == "organizer" and invite.is_valid():
            sent = invitation_send(user=user, email=invite.cleaned_data["email"],
                                   role=Role.REGIONAL_ORGANIZER,
                                   scope=invite.cleaned_data["region"])
            messages.success(request, f"Invited {sent.email} to organize {sent.region}: the "
                             "link is emailed, and works for 7 days.")
            return redirect(request.path)
    except ValidationError as exc:
        (region_form if action == "region" else invite).add_error(
            "name" if action == "region" else "email", exc.messages)
    regions = (Region.objects.order_by("name").prefetch_related("jurisdictions")
               if admin else [])
    organizers = (Membership.objects.filter(role=Role.REGIONAL_ORGANIZER)
                  .select_related("user", "region") if admin else [])
    return render(request, "registry/towns/towns.html", {
        "towns": listed, "can_add": can_add_town(user), "regions": regions,
        "organizers": organizers, "region_form": region_form, "invite": invite,
    }, status=400 if (region_form and region_form.errors) or (invite and invite.errors)
        else 200)


@login_required
def town_new(request):
    """A new town: its name, state, zone and area; previewed on the map, then added."""
    user = request.user
    if not can_add_town(user):
        raise NotAllowed(NOT_YOURS_TO_ADD)
    form = NewTownForm(request.POST or None, request.FILES or None, regions=_regions(user),
                       region_required=not is_site_admin(user))
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "yes":
            try:
                town = town_create(actor=Actor.of(user), data=TownInput(
                    name=data["name"], state=data["state"], time_zone=data["time_zone"],
                    website=data["website"], boundary=data["boundary"], region=data["region"]))
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"{town.name} added. Next: its districts if it has "
                                 "them, its coordinator, and its first season.")
                return redirect("registry:town", slug=town.slug)
        else:
            preview = {"summary": area_summary(data["boundary"]),
                       "area_json": as_json(data["boundary"])}
    return render(request, "registry/towns/new.html", {
        "form": form, "preview": preview,
        "map": _map(area=form.cleaned_data.get("boundary") if preview else None,
                    draw=preview is None)},
                  status=400 if form.errors else 200)


class InviteCoordinatorForm(PlainTextFields, forms.Form):
    email = forms.EmailField(label="The coordinator's email")


def _town(request, slug) -> Jurisdiction:
    town = get_object_or_404(Jurisdiction, slug=slug)
    if not can_set_up_jurisdiction(request.user, town):
        raise NotAllowed(NOT_YOUR_TOWN.format(town=town.name))
    return town


@login_required
def town(request, slug):
    """A town's page. Each form posts its `action`; a new area or districts come back as a
    preview of what they would change, saved only by its own button."""
    town, user = _town(request, slug), request.user
    action = request.POST.get("action") if request.method == "POST" else None
    actor = Actor.of(user)
    details = TownForm(request.POST if action == "details" else None, initial={
        "name": town.name, "state": town.state, "time_zone": town.time_zone,
        "website": town.website})
    area = AreaForm(request.POST if action == "area" else None,
                    request.FILES if action == "area" else None)
    districts = DistrictsForm(request.POST if action == "districts" else None,
                              request.FILES if action == "districts" else None)
    area_preview = districts_preview = None
    confirmed = request.POST.get("confirm") == "yes"
    try:
        if action == "details" and details.is_valid():
            town_update(town=town, actor=actor, data=TownInput(**details.cleaned_data))
            messages.success(request, f"The details of {town.name} are saved.")
            return redirect(request.path)
        if action == "area" and area.is_valid():
            boundary = area.cleaned_data["boundary"]
            if confirmed:
                town_area_set(town=town, boundary=boundary, actor=actor)
                messages.success(request, f"The area of {town.name} is saved.")
                return redirect(request.path)
            area_preview = town_area_preview(town=town, boundary=boundary)
        if action == "districts" and districts.is_valid():
            shapes = districts.cleaned_data["districts"]
            if confirmed:
                town_districts_set(town=town, districts=shapes, actor=actor)
                messages.success(request, f"The districts of {town.name} are saved.")
                return redirect(request.path)
            districts_preview = town_districts_preview(town=town, districts=shapes)
    except ValidationError as exc:
        _add_errors({"details": details, "area": area, "districts": districts}[action], exc)
    invite = _invite(request, town, action)
    if invite is None:
        return redirect(request.path)
    failed = any(f.errors for f in (details, area, districts, invite or details))
    with timezone.override(town.zone):
        return _town_page(request, town, user, details=details, area=area, districts=districts,
                          area_preview=area_preview, districts_preview=districts_preview,
                          invite=invite, failed=failed)


def _town_page(request, town, user, *, details, area, districts, area_preview, districts_preview,
               invite, failed):
    seasons = list(town.seasons.order_by("-year"))
    return render(request, "registry/towns/town.html", {
        "town": town, "details": details, "area": area, "districts": districts,
        "area_preview": area_preview, "districts_preview": districts_preview,
        "area_json": as_json(area_preview.boundary) if area_preview else "",
        "districts_json": as_json(districts_preview.districts) if districts_preview else "",
        "map": _map(area=area_preview.boundary if area_preview else town.boundary,
                    before=town.boundary if area_preview else None,
                    districts=(districts_preview.districts if districts_preview
                               else town.districts),
                    center=[town.center_latitude, town.center_longitude],
                    draw=area_preview is None and districts_preview is None),
        "seasons": seasons, "starts_seasons": can_manage_jurisdiction(user, town),
        "coordinators": Membership.objects.filter(role=Role.COORDINATOR, jurisdiction=town)
                                          .select_related("user").order_by("user__username"),
        "waiting": Invitation.objects.filter(
            role=Role.COORDINATOR, jurisdiction=town, accepted_at__isnull=True,
            revoked_at__isnull=True, expires_at__gt=timezone.now()),
        "invite": invite or None,
        "regions": [r for r in town.regions.all() if can_view_region(user, r)],
        "history": [(entry, _lines(entry)) for entry in town_history(town=town)[:50]],
    }, status=400 if failed else 200)


def _lines(entry) -> list[str]:
    """A line of the town's history in words: "Time zone: America/New_York → America/Chicago"."""
    return [f"{name}: {value[0]} → {value[1]}" if isinstance(value, list) and len(value) == 2
            else f"{name}: {value}" for name, value in entry.changes.items()]


def _invite(request, town, action):
    """The form inviting a coordinator (for those who may: organizers and site admins);
    None once an invitation is sent, False for those who may not."""
    if not may_give(request.user, Role.COORDINATOR, town):
        return False
    form = InviteCoordinatorForm(request.POST if action == "invite" else None)
    if action == "invite" and form.is_valid():
        try:
            sent = invitation_send(user=request.user, email=form.cleaned_data["email"],
                                   role=Role.COORDINATOR, scope=town)
        except ValidationError as exc:
            form.add_error("email", exc.messages)
        else:
            messages.success(request, f"Invited {sent.email} to coordinate {town.name}: the "
                             "link is emailed, and works for 7 days.")
            return None
    return form

