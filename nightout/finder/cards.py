"""A result card of the finder: the event's title and link, its day and hours on its town's
clock, its public place and its activities. Drawn in Python rather than by the template engine
(a card is the one piece a new search draws many times over: this is several times faster), with
the same escaping: every value goes through `format_html`."""

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join

from nightout.finder.places import PLACE_FIELDS, public_place

# What a card reads of its event, season and town (`event_cards(...).only(*CARD_FIELDS)`):
# an event has many more, and a page of new cards is mostly the making of its rows.
CARD_FIELDS = ("title", "starts_at", "ends_at", "venue", "address", "postal_code",
               "location_precision", *PLACE_FIELDS, "season__jurisdiction__name",
               "season__jurisdiction__state", "season__jurisdiction__time_zone")


def card_html(event) -> str:
    """The card of `event`, read with `event_cards` (its season, town and activities joined)."""
    zone = event.season.jurisdiction.zone
    starts, ends = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    activities = list(event.activities.all())
    tags = format_html('<p class="activities">{}</p>', format_html_join(
        "", '<span class="tag">{}</span>', ((a.name,) for a in activities))
    ) if activities else ""
    return format_html(
        '<h3><a href="{}">{}</a></h3>\n'
        '        <p class="when"><time datetime="{}">{}</time> – {}</p>\n'
        '        <p class="where">{}</p>\n'
        '        {}\n',
        reverse("finder:event", args=[event.pk]), event.title,
        starts.isoformat(), date_format(starts, "l j F Y, g:i A"),
        date_format(ends, "g:i A T"), public_place(event).display, tags)
