"""The seed story: National Night Out 2017 in western Massachusetts (../shared/seed-article.txt).

Agawam, Springfield, East Longmeadow, Palmer, North Adams and Orange held it on Tuesday
1 August 2017; Chicopee on Monday 7 August 2017, 5pm to 9pm, at Sarah Jane Sherman Park.
State Police, Agawam Police, the U.S. Marshals Service and military members came; there was
free food, music and safety demonstrations at all the events.

The story names no venue for the six Tuesday towns, so their events are pinned at the town
centre with `town` precision. Town centres are the towns' published coordinates; the park's
pin is placed in Chicopee's Fairview neighbourhood at `block` precision, for a coordinator to
refine.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from nightout.finder.places import public_point
from nightout.registry.models import (
    Activity,
    Agency,
    AgencyKind,
    Event,
    EventAgency,
    EventKind,
    EventStatus,
    Jurisdiction,
    LocationPrecision,
    Region,
    Season,
)

YEAR = 2017
REGION = ("western-massachusetts", "Western Massachusetts")
ACTIVITIES = ["free-food", "music", "safety-demonstrations"]


@dataclass(frozen=True)
class Town:
    slug: str
    name: str
    latitude: float
    longitude: float
    police: str


TOWNS = [
    Town("agawam", "Agawam", 42.0695, -72.6148, "Agawam Police Department"),
    Town("springfield", "Springfield", 42.1015, -72.5898, "Springfield Police Department"),
    Town("east-longmeadow", "East Longmeadow", 42.0645, -72.5126,
         "East Longmeadow Police Department"),
    Town("palmer", "Palmer", 42.1584, -72.3287, "Palmer Police Department"),
    Town("north-adams", "North Adams", 42.7009, -73.1087, "North Adams Police Department"),
    Town("orange", "Orange", 42.5904, -72.3098, "Orange Police Department"),
    Town("chicopee", "Chicopee", 42.1487, -72.6079, "Chicopee Police Department"),
]

TUESDAY_NIGHT = dt.date(2017, 8, 1)
CHICOPEE_NIGHT = dt.date(2017, 8, 7)
SHERMAN_PARK = ("Sarah Jane Sherman Park", "Sarah Jane Sherman Park, Chicopee, MA",
                42.1818, -72.5760)

# Who the story says came out, beyond each town's own police.
OUTSIDE_AGENCIES = [
    ("massachusetts-state-police", "Massachusetts State Police", AgencyKind.STATE_POLICE),
    ("us-marshals-service", "U.S. Marshals Service", AgencyKind.FEDERAL),
    ("us-military-members", "U.S. military members", AgencyKind.MILITARY),
]


def _slug(name: str) -> str:
    return name.lower().replace(".", "").replace(" ", "-")


@transaction.atomic
def load_seed() -> list[Season]:
    region, _ = Region.objects.update_or_create(
        slug=REGION[0],
        defaults={"name": REGION[1], "description": "The towns of the 2017 news story."},
    )
    activities = list(Activity.objects.filter(slug__in=ACTIVITIES))
    outside = [
        Agency.objects.update_or_create(slug=slug, defaults={"name": name, "kind": kind})[0]
        for slug, name, kind in OUTSIDE_AGENCIES
    ]
    seasons = []
    for town in TOWNS:
        jurisdiction, _ = Jurisdiction.objects.update_or_create(
            slug=town.slug,
            defaults={
                "name": town.name,
                "state": "MA",
                "time_zone": "America/New_York",
                "center_latitude": town.latitude,
                "center_longitude": town.longitude,
            },
        )
        jurisdiction.regions.add(region)
        police, _ = Agency.objects.update_or_create(
            slug=_slug(town.police),
            defaults={"name": town.police, "kind": AgencyKind.LOCAL_POLICE,
                      "jurisdiction": jurisdiction},
        )
        night = CHICOPEE_NIGHT if town.slug == "chicopee" else TUESDAY_NIGHT
        season, _ = Season.objects.update_or_create(
            jurisdiction=jurisdiction,
            year=YEAR,
            defaults={
                "slug": f"{town.slug}-{YEAR}",
                "nno_date": night,
                "default_start": dt.time(17),
                "default_end": dt.time(21),
                "closures_enabled": False,
            },
        )
        seasons.append(season)
        if town.slug == "chicopee":
            venue, address, latitude, longitude = SHERMAN_PARK
            precision = LocationPrecision.BLOCK
        else:
            venue, address = "", f"{town.name}, MA"
            latitude, longitude, precision = town.latitude, town.longitude, LocationPrecision.TOWN
        public_latitude, public_longitude = public_point(
            latitude=latitude, longitude=longitude, is_private_home=False,
            show_exact_location=True, block_key="")
        event, _ = Event.objects.update_or_create(
            season=season,
            title=f"{town.name} National Night Out",
            defaults={
                "description": (
                    "Neighbors meet the officers who serve them, at the local, state and "
                    "federal level: free food, music and safety demonstrations."
                ),
                "kind": EventKind.COMMUNITY_EVENT,
                "status": EventStatus.APPROVED,
                "venue": venue,
                "address": address,
                "latitude": latitude,
                "longitude": longitude,
                "public_latitude": public_latitude,
                "public_longitude": public_longitude,
                "location_precision": precision,
                "is_private_home": False,
                "show_exact_location": True,
                "starts_at": season.starts_at,
                "ends_at": season.ends_at,
                "submitted_at": season.at(dt.date(YEAR, 7, 1), dt.time(9)),
            },
        )
        event.activities.set(activities)
        attending = [police, *outside] if town.slug == "agawam" else [police]
        for agency in attending:
            EventAgency.objects.get_or_create(event=event, agency=agency)
    return seasons


# Synthetic figures so the trust pulse and the reports have something to show: the story
# gives no numbers. Orange's few answers show a group withheld (and on the regional pages the
# next smallest town's published count with it). The figures are published, with their noise,
# on the first view after the survey closed (60 days after the night).
DEMO_ANSWERS = {"agawam": 48, "springfield": 63, "east-longmeadow": 22, "palmer": 14,
                "north-adams": 17, "orange": 6, "chicopee": 31}
DEMO_ATTENDANCE = {"agawam": 650, "springfield": 1200, "east-longmeadow": 400, "palmer": 300,
                   "north-adams": 350, "orange": 150, "chicopee": 500}


@transaction.atomic
def load_trust_pulse() -> None:
    """Answers and host reports for the 2017 towns, once (a second run adds nothing)."""
    from nightout.registry.models import HostReport
    from nightout.surveys.models import CommentStatus, SurveyResponse

    rng = random.Random(2017)
    for event in Event.objects.filter(season__year=YEAR).select_related(
            "season__jurisdiction"):
        slug = event.season.jurisdiction.slug
        if slug not in DEMO_ANSWERS or SurveyResponse.objects.filter(event=event).exists():
            continue
        SurveyResponse.objects.bulk_create([
            SurveyResponse(
                season=event.season, event=event, language="es" if rng.random() < 0.15 else "en",
                respect=rng.choices([5, 4, 3, 2, 1], [40, 35, 12, 8, 5])[0],
                listen=rng.choices([5, 4, 3, 2, 1], [30, 35, 18, 11, 6])[0],
                safe=rng.choices([5, 4, 3, 2, 1], [35, 38, 14, 9, 4])[0],
                changed=rng.choices(["better", "same", "worse"], [55, 42, 3])[0],
                come_again=rng.choices(["yes", "maybe", "no"], [78, 18, 4])[0],
                submitted_on=event.season.nno_date,
            )
            for _ in range(DEMO_ANSWERS[slug])
        ])
        if slug == "agawam":
            SurveyResponse.objects.create(
                season=event.season, event=event, respect=5, listen=5, safe=4,
                changed="better", come_again="yes", submitted_on=event.season.nno_date,
                comment="The kids loved meeting the K9 team and the marshals. See you next year!",
                comment_status=CommentStatus.PUBLISHED,
            )
        report, _ = HostReport.objects.get_or_create(
            event=event, defaults={"attendance": DEMO_ATTENDANCE[slug],
                                   "submitted_at": event.ends_at + dt.timedelta(hours=1)})
        report.agencies_came.set(event.agencies.all())
