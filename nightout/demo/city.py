"""Lakeport, a synthetic city for the coming season, big enough to give every screen real work.

About 1,500 parties in clustered neighbourhoods over 15 km x 15 km, drawn with the same
recipe as the planner's benchmark city (../shared/bench/toptw/README.md): 45 neighbourhood
centres, 90 % of parties around them and 10 % anywhere; half the parties run 17:00-21:00,
a third 18:00-20:30, the rest start between 17:00 and 19:00 and last 2 to 3 hours. Five
stations, each with a police precinct and a fire station, sit at the centre and in the four
quadrants. Its rules follow Minneapolis: closures free until a deadline, then a $100 late fee
for a week, then closed; 75 % of neighbours must agree; an automatic next-day rain date.

Everything is drawn from one seeded generator, so every run builds the same city.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from nightout.finder.places import public_point_refresh
from nightout.geo.distance import offset
from nightout.geo.geojson import district_of
from nightout.registry.dates import default_nno_date
from nightout.registry.models import (
    Activity,
    Agency,
    AgencyKind,
    AuditEntry,
    Closure,
    ClosureFeeTier,
    ClosureStatus,
    Event,
    EventKind,
    EventStatus,
    HostContact,
    Jurisdiction,
    LocationPrecision,
    RainDateRule,
    Season,
    Station,
    UnitKind,
    VisitRequest,
)
from nightout.registry.rules import block_key, rain_date_for
from nightout.registry.services import season_create

SEED = 20240806
PARTIES = 1500
SIZE_KM = 15.0
# South-west corner of the city; it spans SIZE_KM north and east of here.
ORIGIN = (44.98, -93.66)
YEAR = 2027
SLUG = "lakeport"
# The parties were registered over these days, the last of them on the registration deadline
# (20 July) or, when the demo is loaded before then, at the moment it is loaded.
REGISTRATION_DAYS = 80
# The coordinator decided on each this long after it was registered (or at load, if sooner).
REVIEW_AFTER = dt.timedelta(days=3)

STATIONS_KM = [
    ("Central", 7.5, 7.5),
    ("Southwest", 3.75, 3.75),
    ("Southeast", 11.25, 3.75),
    ("Northwest", 3.75, 11.25),
    ("Northeast", 11.25, 11.25),
]
FIRST_NAMES = ["Alex", "Maria", "Sam", "Jordan", "Priya", "Luis", "Grace", "Kwame", "Mei",
               "Fatima", "Ole", "Hannah", "Tomas", "Aisha", "Ben", "Rosa", "Nils", "Yusuf"]
LAST_NAMES = ["Johnson", "Nguyen", "Olson", "Garcia", "Hassan", "Larson", "Kim", "Peterson",
              "Lopez", "Anderson", "Vang", "Ali", "Schmidt", "Berg", "Moua", "Rivera"]
PARTY_WORDS = ["Block Party", "Neighborhood Night Out", "Street Picnic", "Potluck",
               "Cookout", "Ice Cream Social"]
VISIT_SHARES = [
    (UnitKind.POLICE, 0.62),
    (UnitKind.FIRE, 0.38),
    (UnitKind.EMS, 0.08),
    (UnitKind.K9, 0.07),
    (UnitKind.MCGRUFF, 0.05),
    (UnitKind.OFFICIAL, 0.12),
]


def _point(km_east: float, km_north: float) -> tuple[float, float]:
    lat, lon = offset(ORIGIN[0], ORIGIN[1], km_north * 1000, km_east * 1000)
    return round(lat, 6), round(lon, 6)


def _rectangle(west: float, south: float, east: float, north: float) -> dict:
    corners = [(west, south), (east, south), (east, north), (west, north), (west, south)]
    ring = [[lon, lat] for lat, lon in (_point(x, y) for x, y in corners)]
    return {"type": "Polygon", "coordinates": [ring]}


def districts() -> dict:
    """Central first: a point in the middle belongs to it before any quadrant."""
    half = SIZE_KM / 2
    shapes = [
        ("Central", (5.0, 5.0, 10.0, 10.0)),
        ("Southwest", (0, 0, half, half)),
        ("Southeast", (half, 0, SIZE_KM, half)),
        ("Northwest", (0, half, half, SIZE_KM)),
        ("Northeast", (half, half, SIZE_KM, SIZE_KM)),
    ]
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": name}, "geometry": _rectangle(*box)}
            for name, box in shapes
        ],
    }


def _hours(rng: random.Random) -> tuple[dt.time, dt.time]:
    draw = rng.random()
    if draw < 0.50:
        return dt.time(17), dt.time(21)
    if draw < 0.85:
        return dt.time(18), dt.time(20, 30)
    start_minutes = rng.choice([17 * 60, 17 * 60 + 30, 18 * 60, 18 * 60 + 30, 19 * 60])
    length = rng.choice([120, 150, 180])
    end_minutes = min(start_minutes + length, 21 * 60 + 30)
    return dt.time(*divmod(start_minutes, 60)), dt.time(*divmod(end_minutes, 60))


def _locations(rng: random.Random, parties: int) -> list[tuple[float, float]]:
    centres = [
        (rng.uniform(1, SIZE_KM - 1), rng.uniform(1, SIZE_KM - 1),
         rng.lognormvariate(0, 0.6), rng.uniform(0.3, 0.9))
        for _ in range(45)
    ]
    weights = [c[2] for c in centres]
    points = []
    for _ in range(parties):
        if rng.random() < 0.9:
            x0, y0, _, sd = rng.choices(centres, weights)[0]
            x, y = rng.gauss(x0, sd), rng.gauss(y0, sd)
        else:
            x, y = rng.uniform(0, SIZE_KM), rng.uniform(0, SIZE_KM)
        # Kept just inside the limits, so every party falls in a district.
        points.append((min(max(x, 0.05), SIZE_KM - 0.05), min(max(y, 0.05), SIZE_KM - 0.05)))
    return points


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _address(rng: random.Random, x: float, y: float, taken: set[str]) -> tuple[str, str, str]:
    """A street address on the city's grid, 250 m blocks: numbered avenues run north-south,
    numbered streets east-west, and house numbers count 100 a block from the south-west
    corner. Most hosts on a block that already has a party pick the cross street instead;
    or the next block over; a few do not, and the coordinator sees them flagged."""
    zip_code = f"559{int(x // 3.75)}{int(y // 3.75)}"
    options = [
        (f"{_ordinal(int(x / 0.25) + 1)} Avenue", int(y / 0.25)),
        (f"{_ordinal(int(y / 0.25) + 1)} Street", int(x / 0.25)),
    ]
    rng.shuffle(options)
    options += [(street, block + step) for step in (1, -1) for street, block in options
                if block + step >= 0]
    for street, block in options:
        address = f"{block * 100 + rng.randint(1, 98)} {street}"
        if block_key(address) not in taken or rng.random() < 0.05:
            break
    taken.add(block_key(address))
    return address, street, zip_code


@transaction.atomic
def load_city(*, parties: int = PARTIES) -> Season:
    """Create Lakeport and its season; its parties only when the season has none yet, so a
    second run keeps whatever the demo's users changed. A smaller city (`parties`) is drawn
    the same way, for the tests."""
    centre = _point(SIZE_KM / 2, SIZE_KM / 2)
    jurisdiction, _ = Jurisdiction.objects.update_or_create(
        slug=SLUG,
        defaults={
            "name": "Lakeport",
            "state": "MN",
            "time_zone": "America/Chicago",
            "center_latitude": centre[0],
            "center_longitude": centre[1],
            "boundary": _rectangle(0, 0, SIZE_KM, SIZE_KM),
            "districts": districts(),
        },
    )
    season = Season.objects.filter(jurisdiction=jurisdiction, year=YEAR).first()
    nno_date = default_nno_date(YEAR, "MN")
    zone = jurisdiction.zone
    if season is None:
        season = season_create(
            jurisdiction=jurisdiction,
            year=YEAR,
            slug=f"{SLUG}-{YEAR}",
            registration_deadline=dt.datetime(YEAR, 7, 20, 23, 59, tzinfo=zone),
            neighbor_consent_percent=75,
            one_event_per_block=True,
            permit_prefix="LP",
            rain_date_rule=RainDateRule.NEXT_DAY,
            notes="Synthetic demo city. Closures are free until 13 July, then $100 until 20 July.",
        )
    for label, day, fee in (("On time", 13, Decimal("0")), ("Late fee", 20, Decimal("100"))):
        ClosureFeeTier.objects.update_or_create(
            season=season,
            filed_by=dt.datetime(YEAR, 7, day, 23, 59, tzinfo=zone),
            defaults={"label": label, "fee": fee},
        )
    agencies = _agencies(jurisdiction)
    if not season.events.exists():
        _parties(season, nno_date, agencies, parties)
    return season


def _agencies(jurisdiction: Jurisdiction) -> dict[str, Agency]:
    agencies = {}
    for key, name, kind in (
        ("police", "Lakeport Police Department", AgencyKind.LOCAL_POLICE),
        ("fire", "Lakeport Fire Department", AgencyKind.FIRE),
        ("ems", "Lakeport EMS", AgencyKind.EMS),
        ("mayor", "Office of the Mayor of Lakeport", AgencyKind.ELECTED),
    ):
        agencies[key], _ = Agency.objects.update_or_create(
            slug=name.lower().replace(" ", "-"),
            defaults={"name": name, "kind": kind, "jurisdiction": jurisdiction},
        )
    for index, (name, x, y) in enumerate(STATIONS_KM, start=1):
        lat, lon = _point(x, y)
        Station.objects.update_or_create(
            agency=agencies["police"], name=f"{name} Precinct",
            defaults={"latitude": lat, "longitude": lon,
                      "address": f"{index}00 Station Road, Lakeport, MN"},
        )
        lat, lon = _point(x + 0.15, y)
        Station.objects.update_or_create(
            agency=agencies["fire"], name=f"Fire Station {index}",
            defaults={"latitude": lat, "longitude": lon,
                      "address": f"{index}50 Station Road, Lakeport, MN"},
        )
    lat, lon = _point(7.5, 7.6)
    Station.objects.update_or_create(
        agency=agencies["mayor"], name="City Hall",
        defaults={"latitude": lat, "longitude": lon, "address": "1 City Hall Plaza, Lakeport, MN"},
    )
    return agencies


def _flag_same_blocks(events: list[Event]) -> None:
    """Point each later registration on a block at the first one, as registration does."""
    first_on_block: dict[str, Event] = {}
    flagged = []
    for event in sorted(events, key=lambda e: (e.submitted_at, e.pk)):
        if not event.block_key or event.status in (EventStatus.REJECTED, EventStatus.CANCELLED):
            continue
        if event.block_key in first_on_block:
            event.same_block_as = first_on_block[event.block_key]
            flagged.append(event)
        else:
            first_on_block[event.block_key] = event
    Event.objects.bulk_update(flagged, ["same_block_as"], batch_size=500)


def _history(season: Season, events: list[Event]) -> None:
    """Each party's trail: the host registered it; the coordinator decided three days later."""
    entries = []
    for event in events:
        entries.append(AuditEntry(at=event.submitted_at, actor_label="host", season=season,
                                  event=event, action="registered",
                                  changes={"status": EventStatus.SUBMITTED, "source": "web"}))
        decision = {EventStatus.APPROVED: "approved", EventStatus.REJECTED: "rejected"}.get(
            event.status)
        if decision:
            entries.append(AuditEntry(
                at=event.reviewed_at, actor_label="coordinator",
                season=season, event=event, action=decision,
                changes={"status": [EventStatus.SUBMITTED, event.status]},
                note=event.status_reason))
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def _parties(season: Season, nno_date: dt.date, agencies: dict[str, Agency], parties: int
             ) -> None:
    rng = random.Random(SEED)
    zone = season.jurisdiction.zone
    district_map = season.jurisdiction.districts
    activities = list(Activity.objects.order_by("position"))
    # Nothing is dated after the moment the demo is loaded: a registration, a decision or a
    # change "made" in the coming months would be the feeds' and calendars' last change
    # (Atom's <updated>, Last-Modified) months ahead. The season's own window is kept when
    # it has passed; otherwise the same days end now.
    now = timezone.now()
    window = dt.timedelta(days=REGISTRATION_DAYS)
    opened = min(dt.datetime(YEAR, 5, 1, 8, tzinfo=zone), now - window)
    events, contacts, plan, closures, requests, links = [], [], [], [], [], []
    taken: set[str] = set()
    for number, (x, y) in enumerate(_locations(rng, parties), start=1):
        start, end = _hours(rng)
        address, street, zip_code = _address(rng, x, y, taken)
        lat, lon = _point(x, y)
        submitted = opened + dt.timedelta(minutes=int(rng.triangular(
            0, REGISTRATION_DAYS * 24 * 60, (REGISTRATION_DAYS - 10) * 24 * 60)))
        status_draw = rng.random()
        status = (
            EventStatus.APPROVED if status_draw < 0.86
            else EventStatus.SUBMITTED if status_draw < 0.95
            else EventStatus.REJECTED if status_draw < 0.98
            else EventStatus.CANCELLED
        )
        kind = EventKind.COMMUNITY_EVENT if rng.random() < 0.05 else EventKind.BLOCK_PARTY
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        title = (
            f"{street} {rng.choice(PARTY_WORDS)}" if kind == EventKind.BLOCK_PARTY
            else f"{rng.choice(['Church', 'Community Center', 'Apartment Community', 'Park'])} "
                 f"Night Out on {street}"
        )
        events.append(Event(
            season=season,
            title=title,
            description="",
            kind=kind,
            status=status,
            status_reason="Duplicate of another registration on this block."
            if status == EventStatus.REJECTED else "",
            address=f"{address}, Lakeport, MN",
            postal_code=zip_code,
            latitude=lat,
            longitude=lon,
            location_precision=LocationPrecision.ADDRESS,
            is_private_home=kind == EventKind.BLOCK_PARTY,
            show_exact_location=kind != EventKind.BLOCK_PARTY,
            district=district_of(district_map, lat, lon) or "",
            starts_at=dt.datetime.combine(nno_date, start, tzinfo=zone),
            ends_at=dt.datetime.combine(nno_date, end, tzinfo=zone),
            rain_date=rain_date_for(season),
            expected_attendance=int(rng.triangular(15, 300, 45)),
            submitted_at=submitted,
            reviewed_at=min(submitted + REVIEW_AFTER, now)
            if status in (EventStatus.APPROVED, EventStatus.REJECTED) else None,
            block_key=block_key(address),
            manage_secret=f"{rng.getrandbits(128):032x}",
            source="demo",
        ))
        contacts.append((first, last, number))
        plan.append((
            street,
            rng.sample(activities, rng.randint(1, 4)),
            kind == EventKind.BLOCK_PARTY and rng.random() < 0.35,
            [kind_ for kind_, share in VISIT_SHARES if rng.random() < share],
        ))
    lat, lon = _point(7.5, 7.6)
    events.append(Event(
        season=season,
        title="Lakeport National Night Out Kickoff",
        description="The mayor, the chiefs and the crews start the night together at City Hall.",
        kind=EventKind.KICKOFF,
        status=EventStatus.APPROVED,
        venue="City Hall Plaza",
        address="1 City Hall Plaza, Lakeport, MN",
        postal_code="55922",
        latitude=lat,
        longitude=lon,
        is_private_home=False,
        show_exact_location=True,
        district=district_of(district_map, lat, lon) or "",
        starts_at=dt.datetime.combine(nno_date, dt.time(17, 30), tzinfo=zone),
        ends_at=dt.datetime.combine(nno_date, dt.time(18, 30), tzinfo=zone),
        rain_date=rain_date_for(season),
        expected_attendance=400,
        submitted_at=opened,
        reviewed_at=min(opened + REVIEW_AFTER, now),
        manage_secret=f"{rng.getrandbits(128):032x}",
        source="demo",
    ))
    contacts.append(("Lakeport", "Communications Office", len(events)))
    plan.append(("City Hall Plaza", activities[:3], False, [UnitKind.POLICE, UnitKind.FIRE]))
    for event in events:
        public_point_refresh(event)
    # Both SQLite and PostgreSQL return the new primary keys from a bulk insert.
    Event.objects.bulk_create(events, batch_size=500)
    hosts = []
    Through = Event.activities.through
    closure_status = {
        EventStatus.APPROVED: ClosureStatus.APPROVED,
        EventStatus.SUBMITTED: ClosureStatus.REQUESTED,
        EventStatus.REJECTED: ClosureStatus.REJECTED,
        EventStatus.CANCELLED: ClosureStatus.CANCELLED,
    }
    late_after = dt.date(YEAR, 7, 13)
    for event, (first, last, number), (street, chosen, closes, visits) in zip(
        events, contacts, plan, strict=True
    ):
        links.extend(Through(event_id=event.id, activity_id=a.id) for a in chosen)
        hosts.append(HostContact(
            event=event,
            name=f"{first} {last}",
            email=f"host{number:04d}@example.org",
            phone=f"612-555-{number:04d}",
        ))
        if closes:
            approved = event.status == EventStatus.APPROVED
            closures.append(Closure(
                event=event,
                street=street,
                blocks=1,
                barricades=2,
                status=closure_status[event.status],
                fee=Decimal("100") if event.submitted_at.date() > late_after else Decimal("0"),
                consent_attested=True,
                consent_percent=rng.randint(75, 100),
                permit_number=f"LP-{YEAR}-{event.id:05d}" if approved else "",
                requested_at=event.submitted_at,
                decided_at=event.reviewed_at if approved else None,
            ))
        requests.extend(
            VisitRequest(
                event=event,
                unit_kind=unit_kind,
                agency=agencies["mayor"] if unit_kind == UnitKind.OFFICIAL else None,
                requested_at=event.submitted_at,
            )
            for unit_kind in visits
        )
    _flag_same_blocks(events)
    _history(season, events)
    Through.objects.bulk_create(links, batch_size=1000)
    HostContact.objects.bulk_create(hosts, batch_size=500)
    Closure.objects.bulk_create(closures, batch_size=500)
    VisitRequest.objects.bulk_create(requests, batch_size=1000)
