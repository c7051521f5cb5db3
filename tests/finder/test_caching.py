"""The finder's kept pages and feeds: a change made through the services shows at once."""

import icalendar
import pytest
from django.urls import reverse

from nightout.finder.caching import data_version
from nightout.registry.services import Actor, event_cancel, event_reject, event_update
from tests.finder import results

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return results.read(response).titles


def test_a_repeated_search_is_served_from_the_cache(client, publish,
                                                    django_assert_max_num_queries):
    publish(title="Kept Party")
    first = client.get(reverse("finder:search"), {"when": "all"})
    with django_assert_max_num_queries(1):
        again = client.get(reverse("finder:search"), {"when": "all"})
    assert again.content == first.content
    assert "Kept Party" in again.content.decode()


def test_a_newly_approved_event_shows_up_in_the_search_and_the_feeds(client, publish, season):
    publish(title="First Party")
    urls = [reverse("finder:search") + "?when=all",
            reverse("finder:season_ics", args=[season.slug]),
            reverse("finder:events_atom"),
            reverse("finder:events_geojson") + "?when=all",
            reverse("finder:widget", args=[season.jurisdiction.slug])]
    for url in urls:
        assert "Second Party" not in client.get(url).content.decode()
    publish(title="Second Party", address="200 Elm Street")
    for url in urls:
        assert "Second Party" in client.get(url).content.decode(), url


def test_a_changed_event_shows_its_new_title_at_once(client, publish, event_input, season,
                                                      coordinator):
    event = publish(title="Old Title")
    url = reverse("finder:season_ics", args=[season.slug])
    assert b"Old Title" in client.get(url).content
    before = data_version()
    event_update(event=event, data=event_input(title="New Title"), actor=Actor.of(coordinator))
    assert data_version() != before
    body = client.get(url).content
    (vevent,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(vevent["summary"]) == "New Title"


def test_a_cancelled_or_rejected_event_leaves_the_kept_pages(client, publish, coordinator):
    gone, pulled = publish(title="Cancelled Party"), publish(title="Pulled Party",
                                                          address="300 Elm Street")
    url = reverse("finder:search") + "?when=all"
    assert {"Cancelled Party", "Pulled Party"} <= set(titles(client.get(url)))
    event_cancel(event=gone, actor=Actor.host(gone), reason="Rain")
    event_reject(event=pulled, user=coordinator, reason="Duplicate")
    html = client.get(url).content.decode()
    assert "Cancelled Party" not in html and "Pulled Party" not in html


def test_the_town_and_year_choices_follow_new_events(client, publish, season):
    html = client.get(reverse("finder:search")).content.decode()
    assert f'value="{season.jurisdiction.slug}"' not in html
    publish(title="Town Party")
    html = client.get(reverse("finder:search")).content.decode()
    assert f'value="{season.jurisdiction.slug}"' in html and 'value="2017"' in html


def test_signed_in_staff_never_get_a_kept_page(client, publish, coordinator):
    publish(title="Any Party")
    client.get(reverse("finder:search"), {"when": "all"})
    client.force_login(coordinator)
    html = client.get(reverse("finder:search"), {"when": "all"}).content.decode()
    assert "Sign out" in html


def test_kept_pages_are_compressed_for_clients_that_take_gzip(client, publish):
    publish(title="Zipped Party")
    plain = client.get(reverse("finder:search"), {"when": "all"})
    zipped = client.get(reverse("finder:search"), {"when": "all"},
                        headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert len(zipped.content) < len(plain.content)
    assert "Accept-Encoding" in zipped["Vary"] and "Cookie" in zipped["Vary"]


def test_the_maps_first_question_gets_the_bounds_without_markers(client, publish):
    for n in range(3):
        publish(title=f"P{n}", address=f"{100 + 100 * n} Elm Street",
                latitude=42.07 + n * 0.01, longitude=-72.61)
    fit = client.get(reverse("finder:map_points"), {"when": "all", "fit": "1"}).json()
    assert fit["features"] == [] and fit["total"] == 3
    west, south, east, north = fit["bbox"]
    assert south < 42.075 < 42.085 < north


def test_a_new_search_draws_only_the_cards_it_has_not_drawn_before(client, publish, event_input,
                                                                  coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = publish(title="First Card")
    publish(title="Second Card", address="200 Elm Street")
    search = reverse("finder:search")
    assert set(titles(client.get(search, {"when": "all"}))) == {"First Card", "Second Card"}
    # Another query string (no kept page), the same events: their cards are not read again.
    with CaptureQueriesContext(connection) as queries:
        html = client.get(search, {"when": "all", "radius": "5"}).content.decode()
    assert "First Card" in html and "Second Card" in html
    assert [q for q in queries.captured_queries if "registry_event" in q["sql"]] == []
    # A change draws the changed card again, in every search.
    event_update(event=first, data=event_input(title="Renamed Card"),
                 actor=Actor.of(coordinator))
    html = client.get(search, {"when": "all", "radius": "10"}).content.decode()
    assert "Renamed Card" in html and "First Card" not in html


def test_the_kept_menus_show_each_searchs_own_choices(client, publish, season):
    publish(title="Menu Party")
    slug = season.jurisdiction.slug
    search = reverse("finder:search")
    fresh = client.get(search).content.decode()
    assert '<option value="2" selected>' in fresh
    picked = client.get(search, {"town": slug, "radius": "5"}).content.decode()
    assert f'<option value="{slug}" selected>' in picked and '<option value="5" selected>' in picked
    again = client.get(search, {"radius": "1"}).content.decode()
    assert f'<option value="{slug}" selected>' not in again
    assert '<option value="1" selected>' in again


def test_a_write_made_by_another_process_shows_within_finder_version_seconds(
        client, publish, settings, monkeypatch, django_assert_max_num_queries):
    import time

    from django.utils import timezone

    from nightout.finder import caching
    from nightout.registry.models import AuditEntry, Event

    settings.FINDER_VERSION_SECONDS = 1
    event = publish(title="Before")
    url = reverse("finder:search") + "?when=all"
    assert "Before" in client.get(url).content.decode()
    with django_assert_max_num_queries(0):  # the version was read less than a second ago
        assert "Before" in client.get(url).content.decode()
    # Another web process changes the event: no signal reaches this one.
    Event.objects.filter(pk=event.pk).update(title="After")
    AuditEntry.objects.bulk_create([AuditEntry(at=timezone.now(), actor_label="import",
                                               season=event.season, event=event,
                                               action="update")])
    assert "Before" in client.get(url).content.decode()
    later = time.monotonic() + 1.5
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    assert "After" in client.get(url).content.decode()


def test_a_write_in_this_process_shows_at_once_whatever_finder_version_seconds(
        client, publish, settings, event_input, coordinator):
    settings.FINDER_VERSION_SECONDS = 3600
    event = publish(title="Before")
    url = reverse("finder:search") + "?when=all"
    assert "Before" in client.get(url).content.decode()
    event_update(event=event, data=event_input(title="After"), actor=Actor.of(coordinator))
    assert "After" in client.get(url).content.decode()


def test_the_kept_menus_are_what_djangos_widgets_draw_for_every_value(publish, season, rf):
    """Each menu is drawn once and its choice marked on the kept copy: the same markup as the
    widget's template gives, for every option, none, a value no option has, and a form
    not sent at all."""
    from django.template import loader
    from django.utils import translation

    from nightout.finder.forms import SearchForm
    from nightout.finder.selectors import search_choices
    from nightout.finder.views import FILTERS, _filters

    publish(title="Menu Party")
    choices = search_choices()
    values = {name: [value for value, _ in choices[name]] for name in ("town", "activity", "when")}
    values |= {"radius": ["1", "2", "5", "10", "25"], "date": ["2027-08-03", "03/08/2027"]}
    queries = [None, {}] + [{name: value} for name, options in values.items()
                            for value in [*options, "", "nowhere", "<b>&"]]
    for language in ("en", "es"):
        with translation.override(language):
            for query in queries:
                form = SearchForm(query, choices=choices)
                form.is_valid()
                whole = "".join(loader.render_to_string("finder/search.html#filter",
                                                        {"field": form[name]})
                                for name in FILTERS)
                assert _filters(form) == whole, query


@pytest.mark.parametrize("value", [None, "", "Agawam", "  01001 ", 'a "quoted" <b> & \'word\'',
                                   "x" * 121, "42.1,-72.6", "not a point", "é🙂\u200b"])
def test_the_kept_inputs_are_what_djangos_widgets_draw(value, publish):
    """The search box and the hidden point are drawn once and their value put in: the same
    markup as the widget's template gives, and a refused value still marked invalid."""
    from nightout.finder.forms import SearchForm
    from nightout.finder.selectors import search_choices
    from nightout.finder.views import _input

    publish(title="Input Party")
    for name in ("q", "near"):
        form = SearchForm(None if value is None else {name: value}, choices=search_choices())
        form.is_valid()
        assert _input(form[name]) == str(form[name]), (name, value)


def test_what_a_process_keeps_shows_a_write_that_bypassed_the_services_within_the_kept_time(
        client, publish, season, settings, monkeypatch):
    """A town renamed outside the services (the admin) writes no audit entry: the cards this
    process drew keep the old name until FINDER_CACHE_SECONDS have passed, then not."""
    import time

    from nightout.finder import caching
    from nightout.registry.models import Jurisdiction

    publish(title="Kept Card")
    search = reverse("finder:search")
    assert "Agawam, MA" in client.get(search, {"when": "all"}).content.decode()
    Jurisdiction.objects.filter(pk=season.jurisdiction_id).update(name="Renamedtown")
    assert "Renamedtown" not in client.get(search, {"when": "all", "radius": "5"}).content.decode()
    later = time.monotonic() + settings.FINDER_CACHE_SECONDS + 1
    monkeypatch.setattr(caching.time, "monotonic", lambda: later)
    assert "Renamedtown" in client.get(search, {"when": "all", "radius": "10"}).content.decode()
