"""The public finder's pages: search (map and list), event pages, the embeddable widget."""

import dataclasses
import hashlib
import itertools
import json
import re

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import floatformat, pluralize
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.html import escape, format_html, json_script
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override, csp_report_only_override
from django.views.decorators.http import require_safe

from nightout.finder import share_image, sharing
from nightout.finder.caching import (
    cached_value,
    held_here,
    keepable,
    kept_here,
    public_response,
)
from nightout.finder.cards import cards_html
from nightout.finder.forms import MILE_M, SearchForm
from nightout.finder.places import public_place
from nightout.finder.selectors import (
    SearchQuery,
    SearchResults,
    event_page_get,
    search_choices,
    search_results,
    towns_with_events,
)
from nightout.finder.templatetags.calendar_links import subscribe_html
from nightout.registry.models import Event, Jurisdiction
from nightout.surveys.selectors import survey_invitation


def _search_params(request) -> dict[str, list[str]]:
    """The page's search: its query string's parameters but the page number."""
    return {name: values for name, values in request.GET.lists() if name != "page"}


def _map_config(found: SearchResults, request) -> dict:
    centre = found.search.centre or (found.place and found.place.point)
    params = {**_search_params(request), "when": [found.search.when]}
    address = held_here(f"map-points:{get_script_prefix()}",
                        lambda: reverse("finder:map_points"))
    return {
        "points": address + "?" + urlencode(params, doseq=True),
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


def _cards(found: list[tuple[int, float | None]]) -> list[Card]:
    """The cards of the events found ((pk, metres or None) pairs), each drawn once per
    version of the public data and kept in this process, so that a new search draws none it
    has seen."""
    # In the active language: a card's day and month names are its words.
    kept = kept_here(f"card:{get_language()}", [pk for pk, _ in found], cards_html)
    return [Card(pk, kept[pk][0], mark_safe(kept[pk][1]),
                 None if metres is None else round(metres / MILE_M, 1))
            for pk, metres in found if pk in kept]


def _cards_html(cards: list[Card]) -> str:
    """The results' list items, drawn without the template engine (each card is escaped
    markup already, a distance a number)."""
    return mark_safe("\n".join(  # noqa: S308
        f"<li>{card.html}</li>" if card.distance_mi is None
        else f'<li>{card.html}<p class="where">{float(card.distance_mi)} mi away</p></li>'
        for card in cards))


FILTERS = ("town", "radius", "date", "activity", "when")


def _filters(form: SearchForm) -> str:
    """The form's menus, drawn once per version of the public data and language, and kept:
    their options are most of the cost of drawing the form. A menu's choice is then marked
    on its kept copy (`_choose`); a field the query got wrong, and the date, are drawn per
    value and kept too."""
    drawn = []
    for name in FILTERS:
        field = form[name]
        if isinstance(field.field.widget, forms.Select) and not field.errors:
            menu = held_here(f"menu:{get_language()}:{name}", lambda name=name: _draw(
                SearchForm(initial={name: UNCHOSEN}, choices=search_choices())[name]))
            drawn.append(_choose(menu, field.value()))
            continue
        value = f"{get_language()}|{form.is_bound}|{name}|{form.data.get(name)!r}"
        drawn.append(cached_value("filter:" + hashlib.sha256(value.encode()).hexdigest(),
                                  lambda field=field: _draw(field)))
    return mark_safe("".join(drawn))  # noqa: S308 (drawn by the template engine, which escapes)


# A value no menu offers and nobody types (a form not sent takes it as it is): a menu is
# drawn with no option chosen, an input with this mark where its value goes.
UNCHOSEN = "\x00"


def _draw(field) -> str:
    return loader.render_to_string("finder/search.html#filter", {"field": field})


def _choose(menu: str, value) -> str:
    """The menu with the option of `value` chosen, as Django's Select marks it (none when no
    option has that value; no value is the empty one's, as the widget takes it)."""
    option = format_html('<option value="{}"', "" if value is None else str(value))
    return menu.replace(f"{option}>", f"{option} selected>", 1)


# What differs from one search's page to another's: the rest of the page (the frame) is drawn
# once per language and site address, and kept.
SLOTS = ("page_url", "q_input", "in_use", "filters", "near_input", "results_html",
         "map_config_script")
SLOT = "\x1e{}\x1e"  # a character no template holds and every slot's value is drawn without


def _input(field) -> str:
    """The field's <input>, as its widget's template draws it: drawn once per language and
    version with a mark for its value, kept, and the value (escaped) put in the mark's place
    (without one, the widget leaves the attribute out). A value the field refused is drawn
    whole: the widget then marks the input invalid."""
    if field.errors:
        return str(field)
    drawn = held_here(f"input:{get_language()}:{field.name}", lambda: str(
        SearchForm(initial={field.name: UNCHOSEN}, choices=search_choices())[field.name]))
    value = field.field.widget.format_value(field.value())
    if value is None:
        return drawn.replace(f' value="{UNCHOSEN}"', "", 1)
    return drawn.replace(UNCHOSEN, escape(value), 1)


def _frame(request) -> list[str]:
    """The search page drawn around its slots: its text between them, and their names
    (odd places). Kept for the data's version, the language and the site's address."""
    def draw():
        page = loader.render_to_string("finder/search.html", {
            "q_label": SearchForm.base_fields["q"].label,
            **{name: mark_safe(SLOT.format(name)) for name in SLOTS}}, request)
        parts = re.split("\x1e(\\w+)\x1e", page)
        if sorted(parts[1::2]) != sorted(SLOTS):
            raise ValueError(f"The search page holds the slots {parts[1::2]}, not {SLOTS}")
        return parts
    place = f"{get_language()}|{request.scheme}|{request.get_host()}"
    return held_here(f"search-frame:{place}", draw)


def _results_html(request, *, form: SearchForm, found: SearchResults, in_use: str,
                  points: str) -> str:
    """The results (what htmx swaps in on each live search): how many were found and where,
    a page of cards, the pager, and the calendar of the search. Drawn in Python, as the
    cards are: a new search draws it every time."""
    page = found.page
    cards = _cards(page.object_list)
    query_string = urlencode(_search_params(request), doseq=True)
    count, place, search = page.paginator.count, found.place, found.search
    said = [f"{count} event{pluralize(count)}"]
    if place:
        said.append(format_html(" near <strong>{}</strong>", place.name))
        if search.centre:
            miles = round(search.radius_m / MILE_M, 1)
            said.append(f" (within {floatformat(miles, -1)} mile{pluralize(miles)})")
    if search.text:
        said.append(format_html(" matching “{}”", search.text))
    said.append(".")
    if found.note:
        said.append(format_html('\n      <span class="notice">{}</span>', found.note))
    errors = (format_html('<p class="error">Some filters could not be read: {}</p>\n    ',
                          " ".join(form.errors)) if form.errors else "")
    listed = _cards_html(cards) or (
        '<li class="empty">No public event matches. Try a wider radius, another date, or '
        "“All seasons”.</li>")
    pager = ""
    if page.has_other_pages():
        before = escape(query_string) + ("&amp;" if query_string else "")
        links = [f"<span>Page {page.number} of {page.paginator.num_pages}</span>"]
        if page.has_previous():
            links.insert(0, _page_link(before, page.previous_page_number(), "prev", "Previous"))
        if page.has_next():
            links.append(_page_link(before, page.next_page_number(), "next", "Next"))
        pager = ('\n    <nav class="pager" aria-label="Result pages">\n      '
                 + "\n      ".join(links) + "\n    </nav>")
    return mark_safe(  # noqa: S308 (each part escaped above)
        format_html('<section id="results" class="finder-results" aria-labelledby='
                    '"results-heading" data-points="{}" data-filters-in-use="{}">\n', points,
                    in_use)
        + '    <h2 class="visually-hidden" id="results-heading" tabindex="-1">Results</h2>\n'
        + f"    {errors}<p class=\"count\">\n      {''.join(said)}\n    </p>\n"
        + f'    <ol class="event-cards">\n    {listed}\n    </ol>{pager}\n    '
        + subscribe_html(request, "finder:search_ics", query=query_string)
        + "\n  </section>")


def _page_link(before: str, number: int, rel: str, text: str) -> str:
    address = f"?{before}page={number}"
    return (f'<a rel="{rel}" href="{address}" hx-get="{address}" hx-target="#results" '
            f'hx-swap="outerHTML" hx-push-url="true">{text}</a>')


@public_response(reads=(*SearchForm.base_fields, "page"))
def search(request):
    """Upcoming (or past) public events, in a list and on a map, filtered by place, date and
    activity. With htmx only the results (`_results_html`); else the page's kept frame
    around it (`_frame`), or, for a signed-in coordinator, the page with their header."""
    form = SearchForm(request.GET or None, choices=search_choices())
    found = search_results(query=form.query(), page=request.GET.get("page", 1))
    in_use = form.filters_in_use()
    in_use = f"({in_use} in use)" if in_use else ""
    map_config = _map_config(found, request)
    results_html = _results_html(request, form=form, found=found, in_use=in_use,
                                 points=map_config["points"])
    if request.htmx:
        return HttpResponse(results_html)
    query = request.GET.urlencode()  # only what the page reads (`public_response`)
    slots = {
        "page_url": escape(request.build_absolute_uri(request.path + (f"?{query}" if query
                                                                       else ""))),
        "q_input": _input(form["q"]), "near_input": _input(form["near"]),
        "in_use": escape(in_use), "filters": _filters(form), "results_html": results_html,
        "map_config_script": json_script(map_config, "finder-map-config"),
    }
    if not keepable(request):
        return render(request, "finder/search.html", {
            "q_label": SearchForm.base_fields["q"].label,
            **{name: mark_safe(value) for name, value in slots.items()}})
    parts = _frame(request)
    return HttpResponse("".join(slots[part] if odd else part
                                for odd, part in zip(itertools.cycle((False, True)), parts)))


def _public_event_or_404(pk: int) -> Event:
    try:
        return event_page_get(pk=pk)
    except Event.DoesNotExist:
        raise Http404("No such public event") from None


def event_detail(request, pk: int):
    event = _public_event_or_404(pk)
    place = public_place(event)
    page_url = request.build_absolute_uri(reverse("finder:event", args=[pk]))
    ics_url = request.build_absolute_uri(reverse("finder:event_ics", args=[pk]))
    season_url = request.build_absolute_uri(
        reverse("finder:search") + f"?town={event.season.jurisdiction.slug}"
        f"&when={event.season.year}")
    card = sharing.share_card(event)
    # The image's address changes with its lines, so that link previews fetch the new one.
    image_url = request.build_absolute_uri(
        reverse("finder:event_image", args=[pk]) + f"?v={card.etag.strip(chr(34))[:12]}")
    status = sharing.event_status(event)
    zone = event.season.jurisdiction.zone
    with timezone.override(zone):
        return render(request, "finder/event.html", {
            "event": event, "place": place, "page_url": page_url, "ics_url": ics_url,
            "image_url": image_url, "description": sharing.event_description(event, place),
            "cancelled": status == sharing.CANCELLED,
            "rescheduled_from": event.rescheduled_from if status == sharing.RESCHEDULED
            else None,
            "json_ld": _script_json(sharing.event_json_ld(
                event, place, page_url=page_url, image_url=image_url, season_url=season_url)),
            "attending": [a.agency for a in event.attendances.all()],
            "survey": survey_invitation(event),
            "map_config": {"lat": place.latitude, "lng": place.longitude,
                           "block": place.at_block_level, "tiles": settings.MAP_TILES_URL,
                           "attribution": settings.MAP_ATTRIBUTION},
        })


# Link previews fetch the image again at most this often; a changed event changes its ETag
# (and the address its page gives), so a kept copy is checked, never shown stale for long.
SHARE_IMAGE_MAX_AGE = 3600
# A drawn image is kept this long under its lines' tag: the same lines, the same image.
SHARE_IMAGE_KEPT = 24 * 3600


def _image_response(request, card: sharing.ShareCard):
    """A share image (PNG, 1200 × 630), drawn once per version of its lines and kept;
    304 to a client that holds the same version."""
    response = get_conditional_response(request, etag=card.etag)
    if response is None:
        body = caches["finder"].get_or_set(
            "finder:share-image:" + card.etag.strip('"'),
            lambda: share_image.share_png(**dataclasses.asdict(card)),
            SHARE_IMAGE_KEPT)
        response = HttpResponse(body, content_type="image/png")
    response["ETag"] = card.etag
    response["Cache-Control"] = f"public, max-age={SHARE_IMAGE_MAX_AGE}"
    return response


@require_safe
def event_image(request, pk: int):
    """The event's share image: its town, day, hours and title, and whether it was
    cancelled or moved."""
    return _image_response(request, sharing.share_card(_public_event_or_404(pk)))


@require_safe
def site_image(request):
    """The share image of every page that has none of its own."""
    return _image_response(request, sharing.SITE_CARD)


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
