"""The coordinator's own registrations: a party phoned or walked in, entered for its host,
and any registration changed (its reopening is a decision on the event's page,
`review_views.event_detail`)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from nightout.registry import rules
from nightout.registry.forms import StaffRegistrationForm, add_service_errors
from nightout.registry.models import Event, EventStatus
from nightout.registry.review_views import _season
from nightout.registry.services import (
    Actor,
    event_register,
    event_update,
    registration_check,
)

ENTERED = ("Added “{title}”: it waits in the queue like any registration.{emailed}")
EMAILED = " Its host is emailed the private link."
CHANGED = "Saved your changes to “{title}”; the history below records them."
NOTHING_CHANGED = "Nothing was changed."
REOPEN_CANCELLED_FIRST = ("“{title}” is cancelled: reopen it first (below), then change it.")


@login_required
def event_new(request, slug):
    """A party the coordinator enters for its host (phoned, walked in, mailed): the public
    form's fields and the season's rules, recorded as entered by the coordinator."""
    season = _season(request, slug)
    form = StaffRegistrationForm(request.POST or None, season=season)
    if request.method == "POST":
        if form.is_valid():
            try:
                event = event_register(
                    season=season, data=form.to_input(), actor=Actor.of(request.user),
                    source=form.cleaned_data["received"],
                    deadlines=not form.cleaned_data["past_deadlines"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, ENTERED.format(
                    title=event.title, emailed=EMAILED if event.host_contact.email else ""))
                return redirect(reverse("registry:review_event", args=[season.slug, event.pk]))
        else:
            received = request.POST.get("received", "staff")
            form.add_rule_errors(lambda data: registration_check(
                season=season, data=data, at=timezone.now(), source=received,
                deadlines=not request.POST.get("past_deadlines")))
    return _event_form(request, season, form, status=400 if form.errors else 200)


@login_required
def event_edit(request, slug, pk):
    """The coordinator changes any field of a registration; the history records each change.
    A change to an approved event shows at once (the coordinator's is not held for review)."""
    season = _season(request, slug)
    event = get_object_or_404(Event.objects.select_related("season__jurisdiction",
                                                           "host_contact"), season=season, pk=pk)
    back = reverse("registry:review_event", args=[season.slug, event.pk])
    if event.status == EventStatus.CANCELLED:
        messages.error(request, REOPEN_CANCELLED_FIRST.format(title=event.title))
        return redirect(back)
    form = StaffRegistrationForm(request.POST or None, season=season, new=False,
                                 initial=StaffRegistrationForm.initial_for(event))
    if request.method == "POST":
        if form.is_valid():
            try:
                event = event_update(event=event, data=form.to_input(),
                                     actor=Actor.of(request.user),
                                     deadlines=not form.cleaned_data["past_deadlines"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                recorded = event.audit_entries.order_by("-pk").first()
                messages.success(request, CHANGED.format(title=event.title)
                                 if recorded and recorded.changes else NOTHING_CHANGED)
                return redirect(back)
        else:
            # The town's rules on the rest, at once; not registration's deadline, which a
            # change does not meet (the change's own deadlines are checked when it is saved).
            form.add_rule_errors(lambda data: registration_check(
                season=season, data=data, at=timezone.now(), source="staff", deadlines=False))
    return _event_form(request, season, form, event=event, status=400 if form.errors else 200)


def _event_form(request, season, form, *, event=None, status=200):
    j = season.jurisdiction
    with timezone.override(j.zone):
        return render(request, "registry/review/event_form.html", {
            "season": season, "form": form, "event": event,
            "registration_closed": rules.registration_open(season, timezone.now()) is not None,
            "map": {"lat": j.center_latitude, "lng": j.center_longitude,
                    "tiles": settings.MAP_TILES_URL, "attribution": settings.MAP_ATTRIBUTION},
        }, status=status)
