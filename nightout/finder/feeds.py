"""Machine-readable public data: iCalendar files and feeds, Atom, GeoJSON, the sitemap, and
the map's clustered points. Only approved events; places through `public_place`."""

import dataclasses
import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from nightout.finder import geojson, ical, selectors
from nightout.finder.caching import public_response
from nightout.finder.forms import SearchForm
from nightout.finder.places import public_place
from nightout.finder.selectors import (
    calendar_search,
    event_cards,
    event_public_get,
    event_search,
    feed_events,
    latest_events,
    map_points,
    search_choices,
    search_resolve,
    season_public_get,
)
from nightout.geo.cluster import grid_clusters
from nightout.registry.models import Event, EventStatus, Jurisdiction, Season
from nightout.text import writable

MAX_GEOJSON_PAGE = 10**6
GEOJSON_PAGE = 500
SITEMAP_CHUNK = 5000
# Zoomed in this far, the map shows single pins rather than clusters.
SINGLE_PIN_ZOOM = 16


def _site_url(path: str) -> str:
    """The absolute address of `path` on the site (SITE_URL), whoever asks."""
    return settings.SITE_URL.rstrip("/") + path


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _url_of(request):
    return lambda event: request.build_absolute_uri(reverse("finder:event", args=[event.pk]))


@require_safe
@public_response
def event_ics(request, pk: int):
    try:
        event = event_public_get(pk=pk)
    except Event.DoesNotExist:
        raise Http404("No such public event") from None
    body = ical.calendar_bytes([event], name=event.title, url_of=_url_of(request))
    return _ics_response(body, f"night-out-{pk}.ics")


@require_safe
@public_response
def season_ics(request, slug: str):
    try:
        season = season_public_get(slug=slug)
    except Season.DoesNotExist:
        raise Http404("No such season") from None
    body = ical.calendar_bytes(feed_events(season=season), name=f"National Night Out: {season}",
                               url_of=_url_of(request), feed=True)
    return _ics_response(body, f"{slug}.ics")


@require_safe
@public_response
def town_ics(request, slug: str):
    try:
        town = Jurisdiction.objects.get(slug=slug)
    except Jurisdiction.DoesNotExist:
        raise Http404("No such town") from None
    body = ical.calendar_bytes(feed_events(town=town),
                               name=f"National Night Out in {town.name}, {town.state}",
                               url_of=_url_of(request), feed=True)
    return _ics_response(body, f"{slug}.ics")


def _search_calendar_name(form: SearchForm) -> str:
    """A filtered calendar's name: what was searched for, as the resident chose it."""
    if not form.is_valid():
        return "National Night Out events"
    data, choices = form.cleaned_data, search_choices()
    parts = ["near your location" if data.get("near") else data.get("q", "")]
    for name in ("town", "activity"):
        parts.append(dict(choices[name]).get(data.get(name), "") if data.get(name) else "")
    if data.get("date"):
        parts.append(f"{data['date']:%-d %B %Y}")
    named = ", ".join(part for part in parts if part)
    return f"National Night Out: {named}" if named else "National Night Out events"


@require_safe
@public_response(reads=tuple(SearchForm.base_fields))
def search_ics(request):
    """A subscribable calendar of a search: the events the finder lists for the same query
    string (a town, a ZIP code or an address, a point and a radius, a date, an activity),
    cancelled ones as cancelled."""
    form = SearchForm(request.GET or None, choices=search_choices())
    body = ical.calendar_bytes(calendar_search(query=form.query()),
                               name=_search_calendar_name(form), url_of=_url_of(request),
                               feed=True)
    return _ics_response(body, "night-out.ics")


class EventsAtom(Feed):
    """The most recently approved or changed public events (RFC 4287): each entry's id is the
    event page's address on the site (SITE_URL), the same in every version of the feed; its
    author is the town; `updated` is its public side's last change and `published` when it
    became public, neither later than that change."""

    feed_type = Atom1Feed
    title = "National Night Out events"
    subtitle = "Public block parties and community events, newest changes first."
    author_name = "National Night Out"

    def get_object(self, request, slug: str = ""):
        self.request = request
        if not slug:
            return None
        try:
            return season_public_get(slug=slug)
        except Season.DoesNotExist:
            raise Http404("No such season") from None

    def link(self, season):
        return reverse("finder:search") + (f"?town={season.jurisdiction.slug}&when={season.year}"
                                           if season else "")

    def items(self, season):
        return latest_events(season=season)

    def item_title(self, event):
        return writable(event.title, single_line=True)

    def item_link(self, event):
        return reverse("finder:event", args=[event.pk])

    def item_description(self, event):
        zone = event.season.jurisdiction.zone
        place = public_place(event)
        start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
        moved = ""
        if event.rescheduled_from and event.status != EventStatus.CANCELLED:
            moved = ("Moved to its rain date from "
                     f"{event.rescheduled_from.astimezone(zone):%A %-d %B %Y}: ")
        return writable(f"{moved}{start:%A %-d %B %Y}, {start:%-I:%M %p} to {end:%-I:%M %p} "
                        f"({zone.key}). {place.display}.", single_line=True)

    def item_author_name(self, event):
        town = event.season.jurisdiction
        return f"{town.name}, {town.state}"

    def item_author_link(self, event):
        return _site_url(reverse("finder:search") + f"?town={event.season.jurisdiction.slug}")

    def item_updateddate(self, event):
        return event.updated_at

    def item_pubdate(self, event):
        # A registration dated ahead (an import's "submitted" column) is not published later
        # than its last change.
        return min(event.reviewed_at or event.submitted_at, event.updated_at)

    def item_guid(self, event):
        return _site_url(reverse("finder:event", args=[event.pk]))

    item_guid_is_permalink = True


@require_safe
@public_response(reads=(*SearchForm.base_fields, "season", "page"))
def events_geojson(request):
    """Public events as an RFC 7946 FeatureCollection, filtered like the finder (default:
    upcoming), 500 a page; `links` names the next page."""
    form = SearchForm(request.GET or None, choices=search_choices())
    query = dataclasses.replace(form.query(), season=request.GET.get("season", ""))
    search, _ = search_resolve(query=query)
    qs = event_search(search=search)
    page = request.GET.get("page", "1")
    # Past the last page is an empty page; a number no database takes as an offset is too.
    page = min(max(1, int(page)), MAX_GEOJSON_PAGE) if page.isdigit() else 1
    start = (page - 1) * GEOJSON_PAGE
    rows = list(event_cards(events=qs.order_by("starts_at", "pk"))[start:start + GEOJSON_PAGE + 1])
    url = _url_of(request)
    features = [geojson.event_feature(
        e, url=url(e), ics_url=request.build_absolute_uri(reverse("finder:event_ics", args=[e.pk])))
        for e in rows[:GEOJSON_PAGE]]
    body = {"type": "FeatureCollection", "features": features}
    if len(rows) > GEOJSON_PAGE:
        params = request.GET.copy()
        params["page"] = str(page + 1)
        body["links"] = [{"rel": "next", "href": request.build_absolute_uri(
            reverse("finder:events_geojson") + "?" + params.urlencode())}]
    return HttpResponse(json.dumps(body), content_type="application/geo+json")


def _bbox(value: str):
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        return None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return west, south, east, north


@require_safe
@public_response(reads=(*SearchForm.base_fields, "bbox", "zoom", "fit"))
def map_points_view(request):
    """The finder map's markers for the current filters: grid clusters of public points
    inside the visible box, single pins once zoomed in or when a square holds few; with
    `fit=1` only the bounds and the total."""
    form = SearchForm(request.GET or None, choices=search_choices())
    search, _ = search_resolve(query=form.query())
    bbox = _bbox(request.GET.get("bbox", ""))
    try:
        zoom = max(0, min(int(request.GET.get("zoom", "11")), 22))
    except ValueError:
        zoom = 11
    points = map_points(search=search, bbox=bbox)
    keep = 10**9 if zoom >= SINGLE_PIN_ZOOM else 1
    # `fit`: the map's first question is only where the events are (it then asks for the
    # markers of the box it shows), so the answer stays small however many there are.
    clusters = [] if request.GET.get("fit") else grid_clusters(points, zoom=zoom, cells=4,
                                                               keep=keep)
    features = geojson.cluster_features(
        clusters, url_of=lambda pk: reverse("finder:event", args=[pk]))
    return JsonResponse({"type": "FeatureCollection", "bbox": geojson.bounds(points),
                         "features": features, "total": len(points)},
                        content_type="application/geo+json")


# Paths the search engines should leave alone: private links (a host's, a survey's), the
# staff's screens, the API and its documentation, and the map's own questions.
ROBOTS_DISALLOW = ("/manage/", "/survey/", "/coordinate/", "/plan/", "/admin/", "/accounts/",
                   "/api/", "/map/")


@require_safe
@public_response
def robots_txt(request):
    """robots.txt (RFC 9309): what crawlers may read, and where the sitemap is."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "",
             f"Sitemap: {request.build_absolute_uri(reverse('finder:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@public_response
def sitemap_index(request):
    """The sitemap index: the chunks of event ids that hold public event pages (the first
    also names the finder, so it is always there), each with its latest change."""
    chunks = dict(selectors.sitemap_chunks(size=SITEMAP_CHUNK))
    chunks.setdefault(0, None)
    return render(request, "finder/sitemap_index.xml", {"chunks": [
        (request.build_absolute_uri(reverse("finder:sitemap_events", args=[n])), changed)
        for n, changed in sorted(chunks.items())]}, content_type="application/xml")


@require_safe
@public_response
def sitemap_events(request, chunk: int):
    """One chunk of public event pages; a chunk without any (and not the first, which names
    the finder) does not exist: a sitemap must list at least one page."""
    events = selectors.sitemap_events(chunk=chunk, size=SITEMAP_CHUNK)
    if not events and chunk != 0:
        raise Http404("No such sitemap")
    urls = [(request.build_absolute_uri(reverse("finder:event", args=[pk])), updated)
            for pk, updated in events]
    return render(request, "finder/sitemap.xml", {
        "home": request.build_absolute_uri(reverse("finder:search")) if chunk == 0 else "",
        "urls": urls}, content_type="application/xml")
