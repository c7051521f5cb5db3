"""The public events as a search reads them, held in each web process's memory.

A search of the finder (and of the API) that names no words of a title is answered from
columns of every approved event (its id, start and end, season and stored public point), in
the order the finder lists them, rather than by the database: filtering and counting a whole
season or a radius is then a few array operations, the same at 100,000 events as at 1,500,
and a page of results costs no query. The database still answers a search by words of a
title, and the cards of the page found.

The columns are read (the events, then the seasons and towns; each activity's events when a
search first names it) when a search first needs them, and again when the public data
changes (`nightout.finder.caching.data_version`, the same fingerprint that keeps the finder's
pages, read at most once every FINDER_VERSION_SECONDS) or when they are older than half of
FINDER_CACHE_SECONDS (a write that bypasses the services shows in searches within one and a
half times that); with FINDER_CACHE_SECONDS=0 searches read the database instead. What they
answer is exactly what `selectors.event_search` and `selectors.nearest` answer from the
database (tests/finder/test_search_index.py compares them): the same events, the same order
(the database's, titles by its own collation), the same whole metres. The words of the search
box are looked up in it too (`lookup.place_find(..., index=...)`): its towns, and the events'
blocks, streets and ZIP codes.
"""

import datetime as dt
import threading
import time
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils import timezone

from nightout.finder.caching import data_version, forgotten_count
from nightout.finder.lookup import TOWN_FIELDS
from nightout.geo.distance import EARTH_RADIUS_M, bounding_box
from nightout.registry.models import Event, EventStatus, Jurisdiction, Season

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


def _micros(moment: dt.datetime) -> int:
    return (moment - EPOCH) // MICROSECOND


@dataclass(frozen=True)
class SeasonRow:
    slug: str
    year: int
    town: str  # its jurisdiction's slug
    zone: str  # its jurisdiction's time zone


@dataclass
class PublicIndex:
    """Every approved event, position i in the finder's order (soonest first, then by title
    in the database's collation); `past` is that of past searches (latest first, then by
    title)."""

    key: tuple
    built: float  # time.monotonic() when read
    pk: np.ndarray  # int64
    starts: np.ndarray  # int64, microseconds since 1970 (UTC)
    ends: np.ndarray
    season: np.ndarray  # intp: a position in `seasons`
    lat: np.ndarray  # float64, NaN where there is no public point
    lon: np.ndarray
    past: np.ndarray  # positions, in the order of a past search
    past_rank: np.ndarray  # the rank of each position in `past`
    by_lat: np.ndarray  # positions, southmost first (those with no public point last)
    lat_sorted: np.ndarray  # lat[by_lat]
    seasons: list[tuple[int, SeasonRow]]  # (season pk, row), by position
    towns: list[Jurisdiction]  # every town of the site (a small table), by pk
    places: tuple[list[str], list[str], list[str]]  # block_key, street_key, postal_code
    activities: dict[str, np.ndarray] = field(default_factory=dict)  # slug: mask, when asked
    _by_place: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    def _seasons_kept(self, keep) -> np.ndarray:
        return np.fromiter((bool(keep(pk, row)) for pk, row in self.seasons), dtype=bool,
                           count=len(self.seasons))

    def at(self, column: str, value: str) -> np.ndarray:
        """The positions of the events whose `column` ("block", "street" or "zip": the
        first five characters of the postal code) is `value`; each column's table is made
        when first asked."""
        table = self._by_place.get(column)
        if table is None:
            blocks, streets, codes = self.places
            values = {"block": blocks, "street": streets,
                      "zip": [code[:5] for code in codes]}[column]
            lists: dict[str, list[int]] = {}
            for position, key in enumerate(values):
                lists.setdefault(key, []).append(position)
            table = {key: np.array(found, dtype=np.intp) for key, found in lists.items()}
            self._by_place[column] = table
        return table.get(value, np.empty(0, dtype=np.intp))

    def in_town(self, positions: np.ndarray, town: str) -> np.ndarray:
        """Those of `positions` whose season is one of the town `town` (a slug)."""
        allowed = self._seasons_kept(lambda _pk, row: row.town == town)
        return positions[allowed[self.season[positions]]]

    def mean_point(self, positions: np.ndarray) -> tuple[float, float] | None:
        """The mean public point of the events at `positions` (those that have one), as
        `lookup._mean_point` takes it: rounded to five decimals."""
        lat, lon = self.lat[positions], self.lon[positions]
        lat, lon = lat[~np.isnan(lat)], lon[~np.isnan(lon)]
        if not len(lat):
            return None
        return round(float(lat.mean()), 5), round(float(lon.mean()), 5)

    def activity(self, slug: str) -> np.ndarray:
        mask = self.activities.get(slug)
        if mask is None:
            ids = np.fromiter(Event.activities.through.objects.filter(activity__slug=slug)
                              .values_list("event_id", flat=True), dtype=np.int64)
            mask = np.isin(self.pk, ids)
            self.activities[slug] = mask
        return mask


def _read(key: tuple) -> PublicIndex:
    # The events first: a season or a town an event names is there when read after it.
    rows = list(Event.objects.filter(status=EventStatus.APPROVED).order_by("starts_at", "title")
                .values_list("pk", "starts_at", "ends_at", "season_id", "public_latitude",
                             "public_longitude", "block_key", "street_key", "postal_code"))
    seasons = [(pk, SeasonRow(slug, year, town, zone)) for pk, slug, year, town, zone in
               Season.objects.order_by("pk").values_list(
                   "pk", "slug", "year", "jurisdiction__slug", "jurisdiction__time_zone")]
    position = {pk: i for i, (pk, _) in enumerate(seasons)}
    # A season deleted between the two reads takes its events with it.
    rows = [r for r in rows if r[3] in position]
    count = len(rows)
    pk = np.fromiter((r[0] for r in rows), dtype=np.int64, count=count)
    starts = np.fromiter((_micros(r[1]) for r in rows), dtype=np.int64, count=count)
    ends = np.fromiter((_micros(r[2]) for r in rows), dtype=np.int64, count=count)
    season = np.fromiter((position[r[3]] for r in rows), dtype=np.intp, count=count)
    lat = np.fromiter((np.nan if r[4] is None else r[4] for r in rows), dtype=np.float64,
                      count=count)
    lon = np.fromiter((np.nan if r[5] is None else r[5] for r in rows), dtype=np.float64,
                      count=count)
    # Latest first, and within the same start by title as above: the order of a past search.
    order = np.arange(count)
    past = np.lexsort((order, -starts))
    past_rank = np.empty(count, dtype=np.intp)
    past_rank[past] = order
    by_lat = np.argsort(lat, kind="stable")
    return PublicIndex(key=key, built=time.monotonic(), pk=pk, starts=starts, ends=ends,
                       season=season, lat=lat, lon=lon, past=past, past_rank=past_rank,
                       by_lat=by_lat, lat_sorted=lat[by_lat],
                       seasons=seasons,
                       towns=list(Jurisdiction.objects.order_by("pk").only(*TOWN_FIELDS)),
                       places=([r[6] or "" for r in rows], [r[7] or "" for r in rows],
                               [r[8] or "" for r in rows]))


_held: PublicIndex | None = None
_lock = threading.Lock()


def public_index() -> PublicIndex:
    """The index of the current public data: the one this process holds, or read again."""
    global _held
    key = (_version(data_version()), forgotten_count())
    held = _held
    if held is not None and _serves(held, key):
        return held
    with _lock:
        held = _held
        if held is None or not _serves(held, key):
            held = _held = _read(key)
    return held


def _version(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _serves(index: PublicIndex, key: tuple) -> bool:
    """Whether `index` answers a request that read the data's version `key`: the same, or a
    later one (a request that read its version just before a write, in another thread, is
    answered from the newer index rather than reading an older one again); and read less
    than half of FINDER_CACHE_SECONDS ago, so that what it answers, kept in turn for that
    time, shows a write that bypassed the services within one and a half times it."""
    (version, forgotten), (held_version, held_forgotten) = key, index.key
    return (held_forgotten >= forgotten
            and all(h >= v for h, v in zip(held_version, version, strict=True))
            and time.monotonic() - index.built < settings.FINDER_CACHE_SECONDS / 2)


def index_kept() -> bool:
    """Whether searches use the index: not when the finder keeps nothing
    (FINDER_CACHE_SECONDS=0), where every search reads the database as it is."""
    return settings.FINDER_CACHE_SECONDS > 0


def forget_index() -> None:
    global _held
    _held = None


class Found(Sequence):
    """What a search found, as (pk, whole metres or None) pairs, read as a page is sliced."""

    def __init__(self, pk: np.ndarray, metres: np.ndarray | None = None):
        self.pk, self.metres = pk, metres

    def __len__(self) -> int:
        return len(self.pk)

    def __getitem__(self, index):
        if isinstance(index, slice):
            pks = self.pk[index].tolist()
            metres = ([None] * len(pks) if self.metres is None
                      else self.metres[index].tolist())
            return list(zip(pks, metres, strict=True))
        return self[index:index + 1][0] if index >= 0 else self[len(self) + index]

    def pks(self) -> list[int]:
        return self.pk.tolist()


def haversine_many(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """`nightout.geo.distance.haversine_m` from one point to many, in whole metres (the same
    operations, element by element)."""
    p1, p2 = np.radians(lat0), np.radians(lat)
    dp = p2 - p1
    dl = np.radians(lon - lon0)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.rint(2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a))))


def _day_mask(index: PublicIndex, day: dt.date, column) -> np.ndarray:
    starts, season = column(index.starts), column(index.season)
    mask = np.zeros(len(starts), dtype=bool)
    if day >= dt.date.max - dt.timedelta(days=1):  # no party starts at the end of time
        return mask
    for zone in sorted({row.zone for _, row in index.seasons}):
        start = dt.datetime.combine(day, dt.time(), tzinfo=zoneinfo.ZoneInfo(zone))
        first, last = _micros(start), _micros(start + dt.timedelta(days=1))
        in_zone = index._seasons_kept(lambda _pk, row, zone=zone: row.zone == zone)
        mask |= in_zone[season] & (starts >= first) & (starts < last)
    return mask


def _kept(index: PublicIndex, search, positions: np.ndarray | None = None) -> np.ndarray:
    """Which events the search's filters keep (all but its centre): a mask over every event,
    or over those at `positions`."""
    def column(values: np.ndarray) -> np.ndarray:
        return values if positions is None else values[positions]

    def seasons(keep) -> np.ndarray:
        return index._seasons_kept(keep)[column(index.season)]

    mask = np.ones(len(index.pk) if positions is None else len(positions), dtype=bool)
    if search.when == "upcoming":
        mask &= column(index.ends) >= _micros(timezone.now())
    elif search.when == "past":
        mask &= column(index.ends) < _micros(timezone.now())
    elif search.when.isdigit():
        year = int(search.when)
        mask &= seasons(lambda _pk, row: row.year == year)
    if search.season:
        mask &= seasons(lambda _pk, row: row.slug == search.season)
    if search.town:
        mask &= seasons(lambda _pk, row: row.town == search.town)
    if search.activity:
        mask &= column(index.activity(search.activity))
    if search.day:
        mask &= _day_mask(index, search.day, column)
    return mask


def index_search(search) -> Found:
    """What `selectors.event_search` and `selectors.nearest` find for `search` (a
    `selectors.Search` with no words of a title): near a centre, (pk, metres) nearest first
    and within the radius; else (pk, None) in the search's order."""
    index = public_index()
    rank = index.past_rank if search.when == "past" else None
    if not search.centre:
        mask = _kept(index, search)
        if rank is None:
            return Found(index.pk[mask])
        return Found(index.pk[index.past[mask[index.past]]])
    lat0, lon0 = search.centre
    # First the box around the circle (as `selectors._bounding_box`): its band of latitude
    # from the events by latitude, then its longitudes; the filters and distances only there.
    south, north, west, east = bounding_box(lat0, lon0, search.radius_m + 1)
    first = np.searchsorted(index.lat_sorted, south, side="left")
    last = np.searchsorted(index.lat_sorted, north, side="right")  # NaN (no point) sorts last
    positions = index.by_lat[first:last]
    lon = index.lon[positions]
    positions = positions[(lon >= west) & (lon <= east)]
    positions = positions[_kept(index, search, positions)]
    metres = haversine_many(lat0, lon0, index.lat[positions], index.lon[positions])
    within = metres <= search.radius_m
    positions, metres = positions[within], metres[within]
    ties = positions if rank is None else rank[positions]
    order = np.lexsort((ties, metres))
    return Found(index.pk[positions[order]], metres[order].astype(np.int64))
