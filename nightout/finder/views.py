"""The public finder's pages: search (map and list), event pages, the embeddable widget."""

import dataclasses
import hashlib
import json

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override, csp_report_only_override

from nightout.finder.caching import cached_each, cached_value, public_response
from nightout.finder.forms import MILE_M, SearchForm
from nightout.finder.places import public_place
from nightout.finder.selectors import (
    SearchQuery,
    SearchResults,
    event_cards,
    event_public_get,
    search_choices,
    search_results,
    towns_with_events,
)
from nightout.registry.models import Event, Jurisdiction
from nightout.surveys.services import survey_open
from nightout.surveys.tokens import survey_url
from nightout.text import writable


def _map_config(found: SearchResults, request) -> dict:
    centre = found.search.centre or (found.place and found.place.point)
    params = request.GET.copy()
    params.pop("page", None)
    params["when"] = found.search.when
    return {
        "points": reverse("finder:map_points") + "?" + params.urlencode(),
        "centre": list(centre) if centre else None,
        "tiles": settings.MAP_TILES_URL,
        "attribution": settings.MAP_ATTRIBUTION,
    }


@dataclasses.dataclass(frozen=True)
class Card:
    """One result of the finder's page: the event's card, and how far it is."""

    pk: int
    title: str
    html: str
    distance_mi: float | None


def _render_cards(pks: list[int]) -> dict[int, tuple[str, str]]:
    template = loader.get_template("finder/card.html")
    cards = {}
    for event in event_cards(pks):
        event.public = public_place(event)
        cards[event.pk] = (event.title, template.render({"event": event}))
    return cards


def _cards(found: list[tuple[int, float | None]]) -> list[Card]:
    """The cards of the events found ((pk, metres or None) pairs), each rendered once per
    version of the public data and kept, so that a new search renders none it has seen."""
    kept = cached_each("card", [pk for pk, _ in found], _render_cards)
    return [Card(pk, kept[pk][0], mark_safe(kept[pk][1]),
                 None if metres is None else round(metres / MILE_M, 1))
            for pk, metres in found if pk in kept]


FILTERS = ("town", "radius", "date", "activity", "when")


def _filters(form: SearchForm) -> str:
    """The form's menus, drawn once per version of the public data and choice of values:
    their options are most of the cost of drawing the form."""
    values = "|".join([str(form.is_bound)] + [form.data.get(name, "") for name in FILTERS])
    return mark_safe(cached_value(  # drawn by the template engine, which escapes
        "filters:" + hashlib.sha256(values.encode()).hexdigest(),
        lambda: loader.render_to_string("finder/search.html#filters", {"form": form})))


@public_response(reads=(*SearchForm.base_fields, "page"))
def search(request):
    """Upcoming (or past) public events, in a list and on a map, filtered by place, date and
    activity. With htmx only the results partial is rendered."""
    form = SearchForm(request.GET or None, choices=search_choices())
    found = search_results(query=form.query(), page=request.GET.get("page", 1))
    results = found.page
    results.object_list = _cards(results.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "radius_miles": round(found.search.radius_m / MILE_M, 1),
        "form": form, "results": results, "place": found.place, "note": found.note,
        "query_string": params.urlencode(), "search": found.search,
        "map_config": _map_config(found, request),
    }
    if request.htmx:
        return render(request, "finder/search.html#results", context)
    return render(request, "finder/search.html", {**context, "filters": _filters(form)})


def _public_event_or_404(pk: int) -> Event:
    try:
        return event_public_get(pk=pk)
    except Event.DoesNotExist:
        raise Http404("No such public event") from None


def event_detail(request, pk: int):
    event = _public_event_or_404(pk)
    place = public_place(event)
    page_url = request.build_absolute_uri(reverse("finder:event", args=[pk]))
    ics_url = request.build_absolute_uri(reverse("finder:event_ics", args=[pk]))
    zone = event.season.jurisdiction.zone
    with timezone.override(zone):
        return render(request, "finder/event.html", {
            "event": event, "place": place, "page_url": page_url, "ics_url": ics_url,
            "json_ld": _script_json(_json_ld(event, place, page_url)),
            "attending": [a.agency for a in event.attendances.all()],
            "survey_url": survey_url(event) if survey_open(event) else None,
            "map_config": {"lat": place.latitude, "lng": place.longitude,
                           "block": place.at_block_level, "tiles": settings.MAP_TILES_URL,
                           "attribution": settings.MAP_ATTRIBUTION},
        })


def _line(text: str) -> str:
    return writable(text, single_line=True)


def _json_ld(event: Event, place, page_url: str) -> dict:
    """schema.org Event, with offsets on its times and the public place."""
    zone = event.season.jurisdiction.zone
    address = {"@type": "PostalAddress", "addressLocality": _line(place.locality),
               "addressRegion": _line(place.region), "addressCountry": "US"}
    if place.street_address:
        address["streetAddress"] = _line(place.street_address)
    if place.postal_code:
        address["postalCode"] = _line(place.postal_code)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": _line(event.title),
        "startDate": event.starts_at.astimezone(zone).isoformat(),
        "endDate": event.ends_at.astimezone(zone).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "url": page_url,
        "location": {
            "@type": "Place",
            "name": _line(place.name or f"{place.locality}, {place.region}"),
            "address": address,
            "geo": {"@type": "GeoCoordinates", "latitude": place.latitude,
                    "longitude": place.longitude},
        },
        "organizer": {"@type": "Organization",
                      "name": _line(f"{event.season.jurisdiction.name} National Night Out")},
    }
    if event.description:
        data["description"] = writable(event.description)
    return data


def _embeddable(view):
    """The view's pages may be framed by the sites in WIDGET_FRAME_ANCESTORS; the rest of
    the content security policy stays the site's."""
    for policy, override in ((settings.SECURE_CSP, csp_override),
                             (settings.SECURE_CSP_REPORT_ONLY, csp_report_only_override)):
        if policy:
            view = override({**policy, "frame-ancestors": settings.WIDGET_FRAME_ANCESTORS})(view)
    return xframe_options_exempt(view)


@_embeddable
@public_response
def widget(request, slug: str):
    """A compact list of a town's upcoming public events (or its latest season's), to embed
    in the town's own National Night Out page with an iframe."""
    try:
        town = Jurisdiction.objects.get(slug=slug)
    except Jurisdiction.DoesNotExist:
        raise Http404("No such town") from None
    found = search_results(query=SearchQuery(town=slug), per_page=10, cards=True)
    for event in found.page:
        event.public = public_place(event)
    return render(request, "finder/widget.html", {
        "town": town, "results": found.page,
        "more": reverse("finder:search") + f"?town={slug}&when={found.search.when}",
    })


@public_response
def widget_snippets(request):
    """Copy-paste iframe code for each town's widget."""
    towns = towns_with_events()
    snippets = [(town, request.build_absolute_uri(reverse("finder:widget", args=[town.slug])))
                for town in towns]
    return render(request, "finder/widget_snippets.html", {"snippets": snippets})


def _script_json(data: dict) -> str:
    """JSON safe inside a <script> element (as Django's json_script escapes it)."""
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
