"""Lakeport's 60 units for the 2027 night: police cars and K9 from the five precincts, engines
and ambulances from the five fire stations, the mayor and two council members from City Hall,
and two State Patrol troopers riding along. Safe to run again; nothing is planned at load
(the coordinator clicks "Build plan")."""

import datetime as dt

from django.db import transaction

from nightout.registry.models import Agency, AgencyKind, Season, Station, UnitKind
from nightout.visits.models import Unit

CARS_PER_PRECINCT = 7
ENGINES_PER_STATION = 3


def _unit(season, agency, kind, name, start, end, station, **extra) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        season=season, name=name,
        defaults={"agency": agency, "kind": kind, "shift_start": start, "shift_end": end,
                  "start_station": station, "end_station": station, "active": True, **extra},
    )
    return unit


@transaction.atomic
def load_units(season_slug: str = "lakeport-2027") -> int:
    season = Season.objects.get(slug=season_slug)
    police = Agency.objects.get(slug="lakeport-police-department")
    fire = Agency.objects.get(slug="lakeport-fire-department")
    ems = Agency.objects.get(slug="lakeport-ems")
    mayor = Agency.objects.get(slug="office-of-the-mayor-of-lakeport")
    patrol, _ = Agency.objects.update_or_create(
        slug="minnesota-state-patrol",
        defaults={"name": "Minnesota State Patrol", "kind": AgencyKind.STATE_POLICE},
    )
    evening = (dt.time(16, 30), dt.time(21, 30))
    precincts = list(Station.objects.filter(agency=police).order_by("name"))
    fire_stations = list(Station.objects.filter(agency=fire).order_by("name"))
    city_hall = Station.objects.get(agency=mayor, name="City Hall")
    count = 0
    central_cars = []
    for station in precincts:
        area = station.name.removesuffix(" Precinct")
        for n in range(1, CARS_PER_PRECINCT + 1):
            car = _unit(season, police, UnitKind.POLICE, f"{area} Car {n}", *evening, station)
            if area == "Central":
                central_cars.append(car)
            count += 1
    for n, station in enumerate(precincts[:2], start=1):
        _unit(season, police, UnitKind.K9, f"K9 Unit {n}", dt.time(17), dt.time(21), station)
        count += 1
    _unit(season, police, UnitKind.MCGRUFF, "McGruff", dt.time(17), dt.time(20, 30), precincts[0],
          max_stops=8)
    count += 1
    for station in fire_stations:
        for n in range(1, ENGINES_PER_STATION + 1):
            _unit(season, fire, UnitKind.FIRE, f"{station.name} Engine {n}", dt.time(17),
                  dt.time(21), station)
            count += 1
    for n, station in enumerate(fire_stations[:2], start=1):
        _unit(season, ems, UnitKind.EMS, f"Ambulance {n}", dt.time(17), dt.time(21), station)
        count += 1
    for name in ("Mayor", "Council Member Ortiz", "Council Member Lind"):
        _unit(season, mayor, UnitKind.OFFICIAL, name, dt.time(17), dt.time(21), city_hall,
              max_stops=10)
        count += 1
    for n, car in enumerate(central_cars[:2], start=1):
        _unit(season, patrol, UnitKind.OUTSIDE_AGENCY, f"State Patrol Trooper {n}", *evening,
              car.start_station, ride_along_with=car)
        count += 1
    return count
