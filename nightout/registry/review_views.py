"""The coordinator's screens: the review queue, an event's file, official lists, imports,
the season's settings and a new season."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from nightout.accounts.permissions import (
    can_add_town,
    can_manage_season,
    can_view_host_contact,
    can_view_official_lists,
    can_view_region,
)
from nightout.errors import NotAllowed
from nightout.registry.dates import default_nno_date
from nightout.registry.exports import write_csv
from nightout.registry.forms import (
    NewSeasonForm,
    QueueFilterForm,
    RejectForm,
    SeasonSettingsForm,
    add_season_errors,
    fee_tier_formset,
    season_input,
)
from nightout.registry.history import change_lines
from nightout.registry.models import Event, EventStatus, HostContact, Region, Season
from nightout.registry.rules import rain_date_refusal
from nightout.registry.selectors import (
    AWAITING,
    OFFICIAL_LISTS,
    event_audit,
    next_awaiting,
    official_list,
    pending_change,
    queue_counts,
    rain_date_move,
    review_queue,
    season_audit,
    season_get,
    towns_managed,
)
from nightout.registry.services import (
    Actor,
    event_approve,
    event_change_accept,
    event_change_decline,
    event_move_to_rain_date,
    event_reject,
    event_reopen,
    events_review,
    season_rules_check,
    season_start,
    season_update,
)

NOT_YOUR_SEASON = "Your account does not give you the coordinator's pages of {season}."
MOVED_TO_RAIN_DATE = ("Moved “{title}” to its rain date, {day}; the host is emailed. The visit "
                      "plan is not changed.")
NO_TOWN = "Only a town's coordinators start its seasons, and your account coordinates none."
REOPENED = ("Reopened “{title}”: it waits in the queue for your decision. The host hears of it "
            "when you decide.")


def _season(request, slug, check=can_manage_season) -> Season:
    try:
        season = season_get(slug=slug)
    except Season.DoesNotExist:
        raise Http404("No such season") from None
    if not check(request.user, season):
        raise NotAllowed(NOT_YOUR_SEASON.format(season=season))
    return season


@login_required
def seasons(request):
    mine = [s for s in Season.objects.select_related("jurisdiction").order_by("-year")
            if can_manage_season(request.user, s) or can_view_official_lists(request.user, s)]
    regions = [r for r in Region.objects.order_by("name") if can_view_region(request.user, r)]
    towns = towns_managed(user=request.user)
    latest = {(t.pk, t.latest_year) for t in towns}
    return render(request, "registry/review/seasons.html", {
        "seasons": [(s, can_manage_season(request.user, s),
                     (s.jurisdiction_id, s.year) in latest) for s in mine],
        "regions": regions,
        "towns_without_season": [t for t in towns if t.latest_year is None],
        "starts_seasons": bool(towns),
        "sets_up_towns": bool(towns) or can_add_town(request.user) or bool(regions),
    })


@login_required
def season_settings(request, slug):
    season = _season(request, slug)
    form = SeasonSettingsForm(request.POST or None, season=season)
    tiers = fee_tier_formset(season, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and tiers.is_valid():
            try:
                season_update(season=season, data=season_input(form, tiers),
                              actor=Actor.of(request.user))
            except ValidationError as exc:
                add_season_errors(form, tiers, exc)
            else:
                messages.success(request, f"The settings of {season} are saved.")
                return redirect(request.path)
        else:  # the rules' own sense too, of the fields that could be read: all errors at once
            for name, errors in season_rules_check(season=season,
                                                   rules=form.cleaned_data).items():
                if name in form.fields and name not in form.errors:
                    for error in errors:
                        form.add_error(name, error)
    with timezone.override(season.jurisdiction.zone):
        return render(request, "registry/review/settings.html", {
            "season": season, "form": form, "tiers": tiers,
            "has_errors": bool(form.errors or tiers.total_error_count()),
            "error_sections": _error_sections(form, tiers),
            "audit": [(entry, _change_lines(entry)) for entry in season_audit(season=season)],
        })


# The settings page's sections (their ids and legends) and the fields each holds.
SETTINGS_SECTIONS = (
    ("night", "The night", ("nno_date", "default_start", "default_end", "earliest_start",
                            "latest_end")),
    ("registration", "Registration", ("registration_deadline", "one_event_per_block")),
    ("closures", "Street closures", ("closures_enabled", "permit_prefix",
                                     "neighbor_consent_percent")),
    ("visits", "Visits", ("visit_kinds", "visit_request_lead_days", "visit_times_allowed")),
    ("rain", "Rain date", ("rain_date_rule", "rain_date")),
    ("notes", "Notes", ("notes",)),
)


def _error_sections(form, tiers) -> list[tuple[str, str, list[str]]]:
    """Each section with a field in error, and those fields' labels: what the banner names,
    so that every error is found at once however long the page."""
    found = [(ident, legend, [form.fields[n].label for n in names if n in form.errors])
             for ident, legend, names in SETTINGS_SECTIONS]
    found = [f for f in found if f[2]]
    if tiers.total_error_count():
        bad = [f"tier {n}" for n, tier in enumerate(tiers.forms, start=1) if tier.errors]
        found.insert(len([f for f in found if f[0] in ("night", "registration", "closures")]),
                     ("tiers", "Closure fee tiers", bad or ["the tiers together"]))
    if form.non_field_errors():
        found.append(("night", "The night", ["the rules together"]))
    return found


def _change_lines(entry) -> list[str]:
    """An audit entry of the season's settings, in words: 'Permit prefix: LP → AG'."""
    labels = {name: field.label for name, field in SeasonSettingsForm.base_fields.items()}
    lines = []
    for name, value in entry.changes.items():
        label = labels.get(name, name[:1].upper() + name[1:])
        if name.startswith("closure tiers") and isinstance(value, list):
            items = [" → ".join(v) if isinstance(v, list) else v for v in value]
            lines.append(f"{label}: {'; '.join(items)}")
        elif isinstance(value, list) and len(value) == 2:
            old, new = (v if v != "" else "(empty)" for v in value)
            lines.append(f"{label}: {old} → {new}")
        else:
            lines.append(f"{label}: {value}")
    return lines


@login_required
def season_new(request):
    towns = towns_managed(user=request.user)
    if not towns:
        raise NotAllowed(NO_TOWN)
    chosen = next((t for t in towns if t.slug == request.GET.get("town")), towns[0])
    today = timezone.localdate(timezone=chosen.zone)
    coming = today.year + (today > default_nno_date(today.year, chosen.state))
    form = NewSeasonForm(request.POST or None, towns=towns, initial={
        "town": chosen.slug,
        "year": chosen.latest_year + 1 if chosen.latest_year else coming})
    if request.method == "POST" and form.is_valid():
        try:
            season = season_start(jurisdiction=form.cleaned_data["town"],
                                  year=form.cleaned_data["year"], actor=Actor.of(request.user))
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            copied = Season.objects.filter(jurisdiction=season.jurisdiction,
                                           year__lt=season.year).exists()
            messages.success(request, f"{season} is ready, with the rules of the year before "
                             "moved to its night. Check each of them below." if copied else
                             f"{season} is ready, with the usual rules. Check each of them "
                             "below.")
            return redirect(reverse("registry:season_settings", args=[season.slug]))
    return render(request, "registry/review/season_new.html", {"form": form, "towns": towns})


@login_required
def queue(request, slug):
    """The season's registrations as a work list: it opens on those awaiting a decision;
    each filter says how many it finds; many can be decided at once (`_bulk`)."""
    season = _season(request, slug)
    if request.method == "POST":
        return _bulk(request, season)
    return _queue_page(request, season)


def _queue_filters(request, season) -> tuple[QueueFilterForm, dict, dict]:
    counts = queue_counts(season=season)
    data = request.GET.copy()
    if "status" not in data:  # the queue opens on what waits for a decision
        data["status"] = AWAITING
    form = QueueFilterForm(data, season=season, counts=counts)
    filters = form.cleaned_data if form.is_valid() else {"status": AWAITING}
    return form, {k: v for k, v in filters.items() if v}, counts


def _queue_page(request, season, *, picked=(), failed=None, status=200):
    form, filters, counts = _queue_filters(request, season)
    events = review_queue(season=season, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"season": season, "form": form, "page": page, "query": query.urlencode(),
               "counts": counts, "reject_form": RejectForm(),
               "statuses": [(value, f"{counts[value]} {label.lower()}")
                            for value, label in EventStatus.choices],
               "picked": {str(pk) for pk in picked}, "failed": failed or {}}
    template = "registry/review/queue.html#results" if request.htmx else (
        "registry/review/queue.html")
    with timezone.override(season.jurisdiction.zone):
        return render(request, template, context, status=status)


def _bulk(request, season):
    """Approve or reject the ticked registrations, or every one the filters find; all or
    none. When some cannot be, nothing changes and the page comes back with the same ticks,
    each refused row saying why."""
    ids = request.POST.getlist("events")
    decision = request.POST.get("decision")
    if request.POST.get("every_match"):
        events = list(review_queue(season=season, **_queue_filters(request, season)[1]))
    else:
        events = list(Event.objects.filter(season=season, pk__in=ids).order_by("pk"))
    if not events or decision not in ("approve", "reject"):
        messages.error(request, "Tick at least one registration (or “every registration that "
                                "matches”), then choose approve or reject.")
        return _queue_page(request, season, picked=ids, status=400)
    try:
        count = events_review(events=events, user=request.user, decision=decision,
                              reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        failed = exc.message_dict if hasattr(exc, "error_dict") else {}
        titles = {str(e.pk): e.title for e in events}
        named = [f"“{titles[pk]}”: {' '.join(why)}" for pk, why in failed.items()][:10]
        verb = "approved" if decision == "approve" else "rejected"
        messages.error(request, (
            f"Nothing was changed: {len(failed)} of {len(events)} could not be {verb}. "
            + " ".join(named) if failed else "Nothing was changed: " + " ".join(exc.messages)))
        return _queue_page(request, season, picked=ids, failed=failed, status=400)
    done = "approved" if decision == "approve" else "rejected"
    messages.success(request, f"{count} registration{'s' if count != 1 else ''} {done}.")
    return redirect(request.get_full_path())


@login_required
def event_detail(request, slug, pk):
    season = _season(request, slug)
    event = get_object_or_404(
        Event.objects.select_related("season__jurisdiction", "host_contact", "same_block_as",
                                     "pending_change"),
        season=season, pk=pk,
    )
    reject_form = RejectForm(request.POST if request.POST.get("decision") == "reject" else None)
    if request.method == "POST":
        try:
            decision = request.POST.get("decision")
            if decision == "reopen":
                event = event_reopen(event=event, user=request.user)
                messages.success(request, REOPENED.format(title=event.title))
            elif decision == "approve":
                event_approve(event=event, user=request.user)
                messages.success(request, f"Approved “{event.title}”.")
            elif decision == "accept_change":
                event = event_change_accept(event=event, user=request.user,
                                            version=request.POST.get("version", ""))
                messages.success(request, f"Accepted the host's change: “{event.title}” "
                                          "shows it now; the host is emailed.")
            elif decision == "decline_change":
                change_form = RejectForm(request.POST)
                if not change_form.is_valid():
                    raise ValidationError("Say why, for the host.")
                event_change_decline(event=event, user=request.user,
                                     reason=change_form.cleaned_data["reason"],
                                     version=request.POST.get("version", ""))
                messages.success(request, "Declined the host's change; the event stays as it "
                                          "was approved and the host is emailed.")
            elif reject_form.is_valid():
                event_reject(event=event, user=request.user,
                             reason=reject_form.cleaned_data["reason"])
                messages.success(request, f"Rejected “{event.title}”; the host is emailed.")
            elif reject_form["reason"].value():
                raise ValidationError(reject_form.errors["reason"])
            else:
                raise ValidationError("Say why, for the host.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(request.path)
    with timezone.override(season.jurisdiction.zone):
        return render(request, "registry/review/event.html", {
            "season": season, "event": event, "reject_form": reject_form,
            "pending": pending_change(event=event),
            "show_contact": can_view_host_contact(request.user, event),
            "closures": event.closures.order_by("-requested_at"),
            "visit_requests": event.visit_requests.all(),
            "activities": event.activities.all(),
            "audit": [(entry, change_lines(entry.changes, season.jurisdiction.zone))
                      for entry in event_audit(event=event)],
            "can_move_to_rain_date": rain_date_refusal(event) is None,
            "next_awaiting": next_awaiting(event=event),
        })


@login_required
def event_rain_date(request, slug, pk):
    """The coordinator moves an event to its rain date: a page that says what will happen
    (the new day and hours, what the public sees, the visits that stay on the first night),
    then a POST that does it."""
    season = _season(request, slug)
    event = get_object_or_404(Event.objects.select_related("season__jurisdiction"),
                              season=season, pk=pk)
    back = reverse("registry:review_event", args=[season.slug, event.pk])
    refusal = rain_date_refusal(event)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if request.method == "POST":
        try:
            event = event_move_to_rain_date(event=event, actor=Actor.of(request.user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            with timezone.override(season.jurisdiction.zone):
                day = date_format(timezone.localtime(event.starts_at), "l j F Y")
            messages.success(request, MOVED_TO_RAIN_DATE.format(title=event.title, day=day))
        return redirect(back)
    with timezone.override(season.jurisdiction.zone):
        return render(request, "registry/rain_date.html", {
            "event": event, "move": rain_date_move(event=event), "for_host": False,
            "back_url": back})


LIST_COLUMNS = {
    "police": ["District", "Event", "Address", "ZIP", "Starts", "Ends", "Expected",
               "Visits asked for", "Closure permit"],
    "fire": ["District", "Event", "Address", "ZIP", "Starts", "Ends", "Expected",
             "Visits asked for", "Closure permit"],
    "public-works": ["District", "Permit", "Street", "From", "To", "Blocks", "Barricades",
                     "Event", "Starts", "Ends"],
}
CONTACT_COLUMNS = ["Host", "Host phone", "Host email"]


def _list_rows(season, which, show_contacts):
    zone = season.jurisdiction.zone

    def hours(event):
        return (event.starts_at.astimezone(zone).strftime("%H:%M"),
                event.ends_at.astimezone(zone).strftime("%H:%M"))

    for item in official_list(season=season, which=which):
        event = item.event if which == "public-works" else item
        if which == "public-works":
            row = [event.district, item.permit_number, item.street, item.from_street,
                   item.to_street, item.blocks, item.barricades, event.title, *hours(event)]
        else:
            row = [event.district, event.title, event.address, event.postal_code, *hours(event),
                   event.expected_attendance or "",
                   ", ".join(r.get_unit_kind_display() for r in event.visit_requests.all()),
                   ", ".join(c.permit_number for c in event.approved_closures)]
        if show_contacts:
            row += _contact_cells(event)
        yield row


def _contact_cells(event) -> list[str]:
    """The host's name, phone and email; blank when the event has no contact: imported
    without one, or purged after the retention period."""
    try:
        host = event.host_contact
    except HostContact.DoesNotExist:
        return ["", "", ""]
    return [host.name, host.phone, host.email]


def _link(column: str, value) -> str:
    """A host's phone and email open the phone's dialer and the mail program."""
    if column == "Host phone" and value:
        return "tel:" + "".join(c for c in str(value) if c.isdigit() or c == "+")
    if column == "Host email" and value:
        return f"mailto:{value}"
    return ""


@login_required
def official_list_view(request, slug, which):
    season = _season(request, slug, check=can_view_official_lists)
    if which not in OFFICIAL_LISTS:
        raise Http404("No such list")
    show_contacts = can_view_host_contact(request.user, Event(season=season))
    columns = LIST_COLUMNS[which] + (CONTACT_COLUMNS if show_contacts else [])
    rows = list(_list_rows(season, which, show_contacts))
    # One district at a time, for a district's officers on a phone (every list's first column).
    districts = sorted(Counter(row[0] for row in rows).items())
    district = request.GET.get("district")
    if district is not None and district in dict(districts):
        rows = [row for row in rows if row[0] == district]
    else:
        district = None
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{season.slug}-{which}.csv"'
        write_csv(response, [columns, *rows])
        return response
    cells = [[(column, cell, _link(column, cell)) for column, cell in zip(columns, row,
                                                                          strict=True)]
             for row in rows]
    return render(request, "registry/review/list.html", {
        "season": season, "which": which, "title": OFFICIAL_LISTS[which], "columns": columns,
        "rows": rows, "cells": cells, "districts": districts if len(districts) > 1 else [],
        "district": district, "lists": OFFICIAL_LISTS, "show_contacts": show_contacts,
    })
