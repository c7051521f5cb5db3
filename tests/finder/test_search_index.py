"""The process's index of the public events (`nightout.finder.index`) answers every search
exactly as the database does (`event_search`, `nearest`): the same events, in the same order,
at the same whole metres; and it follows every write."""

import dataclasses
import datetime as dt
import random

import pytest
from django.utils import timezone
from django.utils.text import slugify

from nightout.demo.city import load_city
from nightout.demo.seed import load_seed
from nightout.finder import index
from nightout.finder.caching import data_version
from nightout.finder.index import haversine_many, index_search, public_index
from nightout.finder.lookup import place_find
from nightout.finder.selectors import Search, event_search, nearest, result_page
from nightout.geo.distance import haversine_m
from nightout.registry.actors import Actor
from nightout.registry.models import Activity, Event, EventStatus, Jurisdiction
from nightout.registry.services import event_cancel

pytestmark = pytest.mark.django_db


def from_database(search: Search) -> list[tuple[int, int | None]]:
    events = event_search(search=search)
    if search.centre:
        return nearest(events, centre=search.centre, radius_m=search.radius_m)
    return [(pk, None) for pk in events.values_list("pk", flat=True)]


def same(index_found, database_found) -> None:
    """The same events, and in the same order up to events that no order tells apart (the
    same start and title, or the same distance, start and title)."""
    order = {pk: (e_start, title) for pk, e_start, title in
             Event.objects.values_list("pk", "starts_at", "title")}
    assert sorted(index_found) == sorted(database_found)
    assert ([(metres, order[pk]) for pk, metres in index_found]
            == [(metres, order[pk]) for pk, metres in database_found])


def random_search(rng: random.Random, event: Event, activities: list[str]) -> Search:
    """A search around one public event: each filter its own, another's or none."""
    town, season = event.season.jurisdiction, event.season
    upcoming = event.ends_at >= timezone.now()
    lat, lon = event.public_latitude, event.public_longitude
    return Search(
        centre=(lat + rng.uniform(-0.02, 0.02), lon + rng.uniform(-0.02, 0.02))
        if rng.random() < 0.6 else None,
        radius_m=rng.choice([1609, 3219, 8047, 16093, 40234]),
        town=rng.choice(["", "", town.slug, "springfield"]),
        activity=rng.choice(["", "", *[a.slug for a in event.activities.all()], *activities]),
        day=rng.choice([None, None, event.starts_at.astimezone(town.zone).date(),
                        event.starts_at.date(), dt.date(2030, 1, 1)]),
        when=rng.choice(["upcoming" if upcoming else "past", "all", str(season.year),
                         "upcoming", "past"]),
        season=rng.choice(["", "", "", season.slug, "no-such-season"]),
    )


def test_every_search_finds_what_the_database_finds_in_its_order():
    load_seed()
    load_city(parties=300)
    events = list(Event.objects.filter(status=EventStatus.APPROVED)
                  .select_related("season__jurisdiction").prefetch_related("activities"))
    activities = list(Activity.objects.values_list("slug", flat=True))
    rng = random.Random(20261207)
    found_some = 0
    for _ in range(400):
        search = random_search(rng, rng.choice(events), activities)
        index_found = index_search(search)[:]
        same(index_found, from_database(search))
        found_some += bool(index_found)
    assert found_some > 100  # the searches are not all empty


def test_a_page_comes_from_the_index_and_a_title_search_from_the_database(
        home_party, park_event, django_assert_max_num_queries):
    search = Search(when="all")
    result_page(search=search)  # the index is read once
    with django_assert_max_num_queries(1):  # the version of the data, nothing more
        page = result_page(search=search)
    assert [pk for pk, _ in page] == [pk for pk, _ in from_database(search)]
    found = result_page(search=Search(when="all", text="Robinson"))
    assert [pk for pk, _ in found] == [park_event.pk]


def test_the_index_follows_a_cancellation_and_a_new_party_at_once(home_party, park_event,
                                                                   publish):
    everything = Search(when="all")
    assert {pk for pk, _ in index_search(everything)[:]} == {home_party.pk, park_event.pk}
    event_cancel(event=park_event, actor=Actor.host(park_event))
    assert {pk for pk, _ in index_search(everything)[:]} == {home_party.pk}
    added = publish(title="Maple Street Party", address="12 Maple Street, Agawam, MA",
                    latitude=42.07, longitude=-72.62)
    assert {pk for pk, _ in index_search(everything)[:]} == {home_party.pk, added.pk}


def test_a_write_that_bypasses_the_services_shows_within_the_kept_time(
        settings, home_party, park_event, monkeypatch):
    everything = Search(when="all")
    assert len(index_search(everything)) == 2
    Event.objects.filter(pk=park_event.pk).update(status=EventStatus.REJECTED)
    assert len(index_search(everything)) == 2  # no service wrote it: not seen yet
    read_at = index.public_index().built
    monkeypatch.setattr(index.time, "monotonic",
                        lambda: read_at + settings.FINDER_CACHE_SECONDS + 0.1)
    assert [pk for pk, _ in index_search(everything)[:]] == [home_party.pk]


def test_with_nothing_kept_a_search_reads_the_database(settings, home_party, park_event):
    settings.FINDER_CACHE_SECONDS = 0
    index.forget_index()
    page = result_page(search=Search(when="all"))
    assert {pk for pk, _ in page} == {home_party.pk, park_event.pk}
    assert index._held is None  # no index read for it


def test_near_a_point_the_metres_are_those_of_the_one_distance_function():
    rng = random.Random(7)
    centre = (42.1, -72.6)
    lats = [centre[0] + rng.uniform(-1, 1) for _ in range(2000)]
    lons = [centre[1] + rng.uniform(-1, 1) for _ in range(2000)]
    import numpy as np

    many = haversine_many(*centre, np.array(lats), np.array(lons))
    assert many.tolist() == [haversine_m(*centre, lat, lon) for lat, lon in zip(lats, lons,
                                                                                 strict=True)]


def test_a_past_search_is_latest_first_and_ties_keep_the_titles_order(publish):
    first = publish(title="B party", address="1 Oak Street, Agawam, MA", latitude=42.07,
                    longitude=-72.62)
    second = publish(title="A party", address="2 Oak Street, Agawam, MA", latitude=42.07,
                     longitude=-72.62)
    Event.objects.filter(pk__in=[first.pk, second.pk]).update(
        starts_at=dt.datetime(2020, 8, 4, 22, tzinfo=dt.UTC),
        ends_at=dt.datetime(2020, 8, 5, 1, tzinfo=dt.UTC))
    past = dataclasses.replace(Search(), when="past")
    assert [pk for pk, _ in index_search(past)[:]] == [second.pk, first.pk]
    assert index_search(past)[:] == from_database(past)


def test_every_place_the_words_name_is_the_one_the_database_names():
    """`place_find` over the index's towns, blocks, streets and ZIP codes: the same place
    as over the database, for towns, addresses (with and without their town), ZIP codes,
    places of the offline list and words that name nothing."""
    load_seed()
    load_city(parties=300)
    for name in ("Île-Perrot", "Ängelholm"):  # capitals that are not ASCII
        Jurisdiction.objects.create(name=name, slug=slugify(name), state="QC",
                                    center_latitude=45.4, center_longitude=-73.9)
    events = list(Event.objects.filter(status=EventStatus.APPROVED)
                  .select_related("season__jurisdiction"))
    rng = random.Random(5)
    words = ["Chicopee", "chicopee, ma", "lakeport", "Lakeport, MN", "01013", "01020-1234",
             "55901", "Springfield", "no such words", "12", "Main Street", "", "Île-Perrot",
             "île-perrot, qc", "ängelholm", "12 Elm St, Ängelholm"]
    for event in rng.sample(events, 120):
        town = event.season.jurisdiction
        number, _, street = event.address.partition(" ")
        other = str(int(number) + rng.choice([2, 40, 400])) if number.isdigit() else number
        words += [event.address, f"{other} {street}", f"{other} {street}, {town.name}",
                  f"{other} {street}, {town.name}, {town.state}", event.postal_code,
                  f"{event.postal_code}-0001"]
    index = public_index()
    for text in words:
        assert place_find(text=text, index=index) == place_find(text=text), text
    assert place_find(text="ÎLE-PERROT", index=index).town == "ile-perrot"


def test_a_request_that_read_the_version_before_a_write_is_answered_by_the_newer_index(
        home_party, publish):
    older = index._version(data_version())
    publish(title="Maple Street Party", address="12 Maple Street, Agawam, MA",
            latitude=42.07, longitude=-72.62)
    newer = index.public_index()
    assert newer.key[0] > older
    # A thread still holding the version it read before the write: no second read.
    assert index._serves(newer, (older, newer.key[1]))
    assert not index._serves(newer, (tuple(v + 1 for v in newer.key[0]), newer.key[1]))
