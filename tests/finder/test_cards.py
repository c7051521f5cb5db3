"""The result cards, read as plain rows (`nightout.finder.cards.cards_html`), say what the
event's model says: compared with a card drawn from the model instance, on the demo city."""

import pytest
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join

from nightout.demo.city import load_city
from nightout.demo.seed import load_seed
from nightout.finder.cards import cards_html
from nightout.finder.places import public_place
from nightout.finder.selectors import event_cards
from nightout.registry.actors import Actor
from nightout.registry.models import Event, EventStatus
from nightout.registry.services import event_cancel

pytestmark = pytest.mark.django_db


def model_card(event) -> str:
    """The card as drawn from the event's instance, its place worked out afresh."""
    zone = event.season.jurisdiction.zone
    starts, ends = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    names = [a.name for a in event.activities.all()]
    tags = format_html('<p class="activities">{}</p>', format_html_join(
        "", '<span class="tag">{}</span>', ((n,) for n in names))) if names else ""
    return format_html(
        '<h3><a href="{}">{}</a></h3>\n'
        '        <p class="when"><time datetime="{}">{}</time> – {}</p>\n'
        '        <p class="where">{}</p>\n'
        '        {}\n',
        reverse("finder:event", args=[event.pk]), event.title, date_format(starts, "c"),
        date_format(starts, "l j F Y, g:i A"), date_format(ends, "g:i A T"),
        public_place(event).display, tags)


def test_every_card_of_the_demo_city_says_what_its_event_says():
    load_seed()
    load_city(parties=300)
    events = list(event_cards(list(Event.objects.values_list("pk", flat=True))))
    assert len(events) > 250
    cards = cards_html([e.pk for e in events])
    for event in events:
        assert cards[event.pk] == (event.title, model_card(event))


def test_an_event_no_longer_public_has_no_card(home_party, park_event):
    event_cancel(event=park_event, actor=Actor.host(park_event))
    assert set(cards_html([home_party.pk, park_event.pk])) == {home_party.pk}
    assert Event.objects.get(pk=park_event.pk).status == EventStatus.CANCELLED


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("zone", ["America/New_York", "America/Chicago", "Pacific/Honolulu",
                                  "America/Phoenix"])
def test_the_cards_day_and_hours_are_djangos_date_formats(zone, language):
    import datetime as dt
    import random
    import zoneinfo

    from nightout.finder.cards import day_and_time, time_and_zone

    rng = random.Random(zone)
    tz = zoneinfo.ZoneInfo(zone)
    start = dt.datetime(2017, 1, 1, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 365 * 12))
               for _ in range(500)]
    moments += [dt.datetime(2027, 8, 3, h, m, tzinfo=tz) for h in (0, 11, 12, 23)
                for m in (0, 59)]
    from django.utils import translation

    translation.activate(language)
    for moment in (m.astimezone(tz) for m in moments):
        assert day_and_time(moment) == date_format(moment, "l j F Y, g:i A")
        assert time_and_zone(moment) == date_format(moment, "g:i A T")
    translation.deactivate()


def test_a_card_is_kept_in_the_language_it_was_drawn_in(home_party):
    from django.utils import translation

    from nightout.finder.views import _cards

    with translation.override("es"):
        [spanish] = _cards([(home_party.pk, None)])
    with translation.override("en"):
        [english] = _cards([(home_party.pk, None)])
    day = home_party.starts_at.astimezone(home_party.season.jurisdiction.zone).strftime("%A")
    assert day in english.html and day not in spanish.html
