"""The public side of the registry: the home page, a host's registration and private link."""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from nightout.finder.lookup import place_find
from nightout.registry import rules
from nightout.registry.forms import (
    HostReportForm,
    LinkRequestForm,
    RegistrationForm,
    add_service_errors,
)
from nightout.registry.links import (
    LinkError,
    LinkExpired,
    event_from_token,
    link_expiry,
    manage_url,
)
from nightout.registry.models import EventStatus, Season
from nightout.registry.selectors import (
    pending_change,
    rain_date_move,
    season_get,
    season_overview,
    seasons_open_for_registration,
)
from nightout.registry.services import (
    Actor,
    event_cancel,
    event_move_to_rain_date,
    event_register,
    event_renew,
    event_restore,
    event_update,
    host_links_request,
    host_report_submit,
    registration_check,
)
from nightout.registry.throttle import (
    link_request_refused,
    registration_counted,
    registration_refused,
)
from nightout.visits.selectors import event_expected_visits

RATE_LIMITED = (
    "Too many registrations came from your connection in a short time. Wait an hour and try "
    "again, or ask your town's coordinator."
)
WAITING_FOR_REVIEW = (
    "Your changes are saved. What the public sees of your event (its text, place, hours and "
    "activities) changes once the coordinator has looked at it; until then your event stays "
    "as it was approved."
)
SPAM = "Your registration could not be accepted. If you are a person, ask your town's coordinator."
RESTORED = ("Your event is restored. It waits for the coordinator to look at it again before "
            "the public sees it.")
RESTORED_REJECTED = ("Your event is restored, still not approved: change it and the "
                     "coordinator looks at it again.")
CLOSURE_NOT_RESTORED = ("The street closure was cancelled with the event. To close the street "
                        "again, ask for it under “Change your event”.")
LINK_SENT = (
    "If {email} is the address a host gave when registering a party, we have emailed the "
    "private link to it. It can take a few minutes; look in the spam folder too. If nothing "
    "comes, ask your town's coordinator."
)
MOVED_TO_RAIN_DATE = ("Your event is moved to its rain date, {day}. Its public page says so, "
                      "and calendars and feeds show the new day.")
LINK_REQUESTS_LIMITED = (
    "The link was asked for too often in a short time. Wait an hour and try again, or ask "
    "your town's coordinator."
)


def home(request):
    seasons = list(season_overview())
    years = [(year, list(group)) for year, group in groupby(seasons, key=lambda s: s.year)]
    return render(request, "registry/home.html", {
        "years": years,
    })


def register_index(request):
    return render(request, "registry/register_index.html",
                  {"seasons": seasons_open_for_registration()})


def _season_or_404(slug: str) -> Season:
    try:
        return season_get(slug=slug)
    except Season.DoesNotExist:
        raise Http404("No such season") from None


def _map_context(season: Season) -> dict:
    j = season.jurisdiction
    return {"map": {"lat": j.center_latitude, "lng": j.center_longitude,
                    "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_ATTRIBUTION}}


def _render_form(request, template, season, form, status=200, **context):
    with timezone.override(season.jurisdiction.zone):
        return render(request, template, {"season": season, "form": form,
                                          **_map_context(season), **context}, status=status)


def register(request, slug):
    season = _season_or_404(slug)
    closed = rules.registration_open(season, timezone.now())
    if closed:
        return render(request, "registry/register_closed.html",
                      {"season": season, "message": closed}, status=410)
    form = RegistrationForm(request.POST or None, season=season)
    if request.method == "POST":
        if registration_refused(request):
            return _render_form(request, "registry/register.html", season, form, status=429,
                                refusal=RATE_LIMITED)
        if form.is_spam:
            registration_counted(request)
            return _render_form(request, "registry/register.html", season, form, status=400,
                                refusal=SPAM)
        if form.is_valid():
            try:
                event = event_register(season=season, data=form.to_input())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                registration_counted(request)
                messages.success(request, "Thank you! Your event is registered. We emailed you "
                                          "this page's private link: keep it to change your event.")
                return redirect(manage_url(event))
        else:
            form.add_rule_errors(lambda data: registration_check(
                season=season, data=data, at=timezone.now()))
    return _render_form(request, "registry/register.html", season, form,
                        status=400 if form.errors else 200)


@require_safe
def postal_code_place(request, slug):
    """Where to centre the registration map for an address or a ZIP code, from the town's
    published events only (no geocoder, never an exact or unpublished pin): the block, else
    the street, else the ZIP code."""
    season = _season_or_404(slug)
    place = place_find(jurisdiction=season.jurisdiction,
                       address=request.GET.get("address", "")[:200],
                       postal_code=request.GET.get("code", "")[:10])
    if place is None or place.point is None:
        return JsonResponse({"error": "unknown address and ZIP code"}, status=404)
    return JsonResponse({"latitude": place.latitude, "longitude": place.longitude})


@never_cache
def link_request(request):
    """A host who lost the private link asks for it again by email. The answer is the same
    whether or not the address is a host's; only that mailbox learns which."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if link_request_refused(request, email):
            return render(request, "registry/link_request.html",
                          {"form": form, "refusal": LINK_REQUESTS_LIMITED}, status=429)
        host_links_request(email=email)
        messages.success(request, LINK_SENT.format(email=email))
        return redirect("registry:link_request")
    return render(request, "registry/link_request.html", {"form": form},
                  status=400 if form.errors else 200)


def _event_or_error(request, token):
    """The event the private link names, or the page saying the link does not work. Only
    these views make the host's `Actor.host(event)`: the link is the host's proof."""
    try:
        return event_from_token(token), None
    except LinkError as error:
        return None, render(request, "registry/link_error.html", {
            "message": str(error), "expired": isinstance(error, LinkExpired)}, status=404)


def manage(request, token):
    event, error = _event_or_error(request, token)
    if error:
        return error
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            try:
                event_cancel(event=event, actor=Actor.host(event),
                             reason=request.POST.get("reason", "")[:1000])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request,
                                 "Your event is cancelled. Thank you for letting us know.")
            return redirect(manage_url(event))
        if action == "restore":
            try:
                event = event_restore(event=event, actor=Actor.host(event))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, RESTORED if event.status == EventStatus.SUBMITTED
                                 else RESTORED_REJECTED)
                if event.closures.exists():
                    messages.info(request, CLOSURE_NOT_RESTORED)
            return redirect(manage_url(event))
        if action == "renew":
            try:
                renewed = event_renew(event=event, actor=Actor.host(event))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(manage_url(event))
            messages.success(request, f"Registered again for {renewed.season}. "
                                      "We emailed you its own private link.")
            return redirect(manage_url(renewed))
        raise Http404("Unknown action")
    changes_open = rules.changes_open(event.season, timezone.now()) is None
    next_season = (
        Season.objects.filter(jurisdiction=event.season.jurisdiction, year__gt=event.season.year)
        .order_by("year").first()
    )
    with timezone.override(event.season.jurisdiction.zone):
        return render(request, "registry/manage.html", {
            "event": event,
            "closures": event.closures.order_by("-requested_at"),
            "visit_requests": event.visit_requests.all(),
            "activities": event.activities.all(),
            "next_season": next_season,
            "renewed": next_season and event.renewals.filter(season=next_season).first(),
            "pending": pending_change(event=event),
            "can_edit": event.status != EventStatus.CANCELLED and changes_open,
            "can_restore": event.status == EventStatus.CANCELLED and changes_open,
            "link_expires": link_expiry(event),
            "expected_visits": event_expected_visits(event),
            "can_move_to_rain_date": rules.rain_date_refusal(event) is None,
        })


def manage_rain_date(request, token):
    """The host moves the party to its rain date: a page that says what will happen, then
    a POST that does it."""
    event, error = _event_or_error(request, token)
    if error:
        return error
    refusal = rules.rain_date_refusal(event)
    if refusal:
        messages.error(request, refusal)
        return redirect(manage_url(event))
    if request.method == "POST":
        try:
            event = event_move_to_rain_date(event=event, actor=Actor.host(event))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            with timezone.override(event.season.jurisdiction.zone):
                day = date_format(timezone.localtime(event.starts_at), "l j F Y")
            messages.success(request, MOVED_TO_RAIN_DATE.format(day=day))
        return redirect(manage_url(event))
    with timezone.override(event.season.jurisdiction.zone):
        return render(request, "registry/rain_date.html", {
            "event": event, "move": rain_date_move(event=event), "for_host": True,
            "back_url": manage_url(event)})


def manage_edit(request, token):
    event, error = _event_or_error(request, token)
    if error:
        return error
    season = event.season
    if event.status == EventStatus.CANCELLED:
        return redirect(manage_url(event))
    form = RegistrationForm(request.POST or None, season=season,
                            initial=RegistrationForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            event = event_update(event=event, data=form.to_input(), actor=Actor.host(event))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if pending_change(event=event):
                messages.success(request, WAITING_FOR_REVIEW)
            else:
                messages.success(request, "Your changes are saved.")
            return redirect(manage_url(event))
    return _render_form(request, "registry/manage_edit.html", season, form, event=event,
                        status=400 if form.errors else 200)


def manage_report(request, token):
    """The host's report after the night: attendance, who came, notes, photos."""
    event, error = _event_or_error(request, token)
    if error:
        return error
    report = getattr(event, "host_report", None)
    initial = {"attendance": report.attendance, "notes": report.notes,
               "agencies": list(report.agencies_came.all())} if report else {}
    form = HostReportForm(request.POST or None, request.FILES or None, season=event.season,
                          initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            host_report_submit(event=event, actor=Actor.host(event), attendance=data["attendance"],
                               agency_ids=[a.pk for a in data["agencies"]],
                               notes=data["notes"], photos=data["photos"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Thank you for your report!")
            return redirect(manage_url(event))
    with timezone.override(event.season.jurisdiction.zone):
        return render(request, "registry/manage_report.html", {
            "event": event, "form": form, "report": report,
            "open": event.status == EventStatus.APPROVED and timezone.now() >= event.starts_at,
        }, status=400 if form.errors else 200)
