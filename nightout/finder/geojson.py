"""GeoJSON (RFC 7946) of public events, and of the finder map's clusters.

Positions are [longitude, latitude] of each event's public point; properties carry what a map
popup needs and never an address that `public_place` hides. Text goes through `writable`, so
no property holds what a JSON reader may refuse (half of a surrogate pair) or a control
character.
"""

from nightout.finder.places import public_place
from nightout.geo.cluster import Cluster
from nightout.text import writable


def event_feature(event, *, url: str, ics_url: str) -> dict:
    place = public_place(event)
    zone = event.season.jurisdiction.zone
    return {
        "type": "Feature",
        "id": event.pk,
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
        "properties": {
            "title": writable(event.title, single_line=True),
            "url": url,
            "calendar": ics_url,
            "start": event.starts_at.astimezone(zone).isoformat(),
            "end": event.ends_at.astimezone(zone).isoformat(),
            "timeZone": event.season.jurisdiction.time_zone,
            "town": writable(f"{place.locality}, {place.region}", single_line=True),
            "place": writable(place.display, single_line=True),
            "blockLevel": place.at_block_level,
            "activities": [writable(a.name, single_line=True) for a in event.activities.all()],
        },
    }


def cluster_features(clusters: list[Cluster], *, url_of) -> list[dict]:
    features = []
    for cluster in clusters:
        for lat, lon, row in ([(cluster.latitude, cluster.longitude, None)]
                              if not cluster.members else cluster.members):
            point = {"type": "Point", "coordinates": [lon, lat]}
            if row is None:
                features.append({"type": "Feature", "geometry": point,
                                 "properties": {"count": cluster.count}})
            else:
                features.append({"type": "Feature", "id": row["pk"], "geometry": point,
                                 "properties": {"count": 1,
                                                "title": writable(row["title"], single_line=True),
                                                "url": url_of(row["pk"])}})
    return features


def bounds(points: list[tuple[float, float, object]]) -> list[float] | None:
    """RFC 7946 bbox [west, south, east, north] of (lat, lon, ...) points."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]
