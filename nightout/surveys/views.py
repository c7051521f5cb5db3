"""The survey a resident answers from an event's QR poster, the poster, moderation and the
published results."""

import re
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.crypto import get_random_string, salted_hmac
from django_ratelimit.decorators import ratelimit

from nightout.accounts.permissions import can_manage_season
from nightout.errors import NotAllowed
from nightout.registry.models import Event, EventStatus, Season
from nightout.surveys.forms import SurveyForm
from nightout.surveys.models import SurveyResponse
from nightout.surveys.selectors import (
    SurveyState,
    comments_to_moderate,
    published_comments,
    results_as_json,
    survey_state,
    trust_results,
)
from nightout.surveys.services import (
    NOT_ALLOWED,
    SurveyFull,
    comment_moderate,
    response_submit,
    summary_publish,
)
from nightout.surveys.tokens import event_id_from_token, survey_url

# Remembers which events this browser has answered for, to dampen repeats. It is opaque: a
# random salt of its own, then one keyed hash per event (HMAC with the site's secret key), so
# neither the browser's owner nor anyone reading it learns which events those are, and two
# browsers' cookies for the same event look nothing alike.
ANSWERED_COOKIE = "nightout_answered"
ANSWERED_KEEP = 50  # the most recent events remembered


def _mark(salt: str, event: Event) -> str:
    return salted_hmac(ANSWERED_COOKIE, f"{salt}:{event.pk}",
                       algorithm="sha256").hexdigest()[:16]


def _answered(request) -> tuple[str, list[str]]:
    """The cookie's salt (a new one for a browser without it) and its marks."""
    parts = request.COOKIES.get(ANSWERED_COOKIE, "").split(".")
    if len(parts) > 1 and all(re.fullmatch(r"[0-9a-f]{16}", p) for p in parts):
        return parts[0], parts[1:]
    return get_random_string(16, "0123456789abcdef"), []


def _languages() -> dict[str, str]:
    """The survey's languages are the site's (settings.LANGUAGES), by code."""
    return dict(settings.LANGUAGES)


def _language(request) -> str:
    """The language asked for, else the browser's first if the survey has it, else the
    site's first."""
    languages = _languages()
    lang = request.GET.get("lang") or request.POST.get("lang") or ""
    if lang in languages:
        return lang
    accepted = request.headers.get("Accept-Language", "").lower()
    return next((code for code in languages if accepted.startswith(code)), next(iter(languages)))


@ratelimit(key="ip", rate=lambda group, request: settings.SURVEY_RATE, method="POST",
           block=False)
def answer(request, token):
    event_id = event_id_from_token(token)
    event = Event.objects.select_related("season__jurisdiction").filter(
        pk=event_id, status=EventStatus.APPROVED).first() if event_id else None
    if event is None:
        raise Http404("No such survey")
    lang = _language(request)
    salt, answered = _answered(request)
    with translation.override(lang), timezone.override(event.season.jurisdiction.zone):
        languages = _languages()
        context = {"event": event, "lang": lang, "languages": languages,
                   "other_languages": {k: v for k, v in languages.items() if k != lang}}
        state = survey_state(event, timezone.now())
        if state != SurveyState.OPEN:  # said before the form is filled in, not after
            return render(request, "surveys/not_open.html", {**context, "state": state},
                          status=200 if request.method == "GET" else 400)
        if _mark(salt, event) in answered:
            return render(request, "surveys/thanks.html", {**context, "again": True})
        form = SurveyForm(request.POST or None)
        if request.method == "POST":
            if getattr(request, "limited", False):
                return render(request, "surveys/answer.html",
                              {**context, "form": form, "limited": True}, status=429)
            if form.is_valid():
                try:
                    response_submit(event=event, answers=form.cleaned_data, language=lang)
                except ValidationError as exc:
                    state = survey_state(event, timezone.now())
                    if state != SurveyState.OPEN:  # it closed while the form was filled in
                        return render(request, "surveys/not_open.html",
                                      {**context, "state": state}, status=400)
                    form.add_error(None, " ".join(exc.messages))
                except SurveyFull:
                    pass  # thanked like any answer: "full" would tell how many answered
                if not form.errors:
                    reply = render(request, "surveys/thanks.html", context)
                    marks = [*answered[-(ANSWERED_KEEP - 1):], _mark(salt, event)]
                    reply.set_cookie(ANSWERED_COOKIE, ".".join([salt, *marks]),
                                     max_age=60 * 60 * 24 * 120, httponly=True,
                                     samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
                    return reply
        return render(request, "surveys/answer.html", {**context, "form": form},
                      status=400 if form.errors else 200)


def poster(request, pk):
    """A printable poster with the survey's QR code, for the host to put up on the night."""
    import segno

    event = get_object_or_404(Event.objects.select_related("season__jurisdiction"), pk=pk,
                              status=EventStatus.APPROVED)
    url = settings.SITE_URL.rstrip("/") + survey_url(event)
    qr = segno.make(url, error="m")
    with timezone.override(event.season.jurisdiction.zone):
        return render(request, "surveys/poster.html", {
            "event": event, "url": url,
            "qr_svg": qr.svg_inline(scale=8, dark="#0f2a4a", omitsize=True),
        })


def results(request, slug):
    """The published results (as JSON with ?format=json); published on the first view after
    the survey closes, and before that only when they will be."""
    season = get_object_or_404(Season.objects.select_related("jurisdiction"), slug=slug)
    summary_publish(season=season)
    results = trust_results(season=season)
    if request.GET.get("format") == "json":
        return JsonResponse(results_as_json(results))
    with timezone.override(season.jurisdiction.zone):
        return render(request, "surveys/results.html", {
            "season": season, "results": results,
            "comments": published_comments(season=season)[:50],
        })


@login_required
def moderate(request, slug):
    season = get_object_or_404(Season.objects.select_related("jurisdiction"), slug=slug)
    if not can_manage_season(request.user, season):
        raise NotAllowed(NOT_ALLOWED.format(season=season))
    if request.method == "POST":
        try:
            key = uuid.UUID(request.POST.get("pk", ""))
        except ValueError:
            raise Http404("No such comment") from None
        response = get_object_or_404(SurveyResponse, season=season, pk=key)
        publish = request.POST.get("decision") == "publish"
        comment_moderate(response=response, user=request.user, publish=publish)
        messages.success(request, "Published." if publish else "Kept private.")
        return redirect(request.path)
    return render(request, "surveys/moderate.html", {
        "season": season, "pending": comments_to_moderate(season=season)[:100],
    })
