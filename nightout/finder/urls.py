from django.urls import path

from nightout.finder import feeds, views
from nightout.finder.caching import public_response

app_name = "finder"
urlpatterns = [
    path("", views.search, name="search"),
    path("share.png", views.site_image, name="site_image"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>.ics", feeds.event_ics, name="event_ics"),
    path("events/<int:pk>/share.png", views.event_image, name="event_image"),
    path("map/points.geojson", feeds.map_points_view, name="map_points"),
    path("feeds/events.geojson", feeds.events_geojson, name="events_geojson"),
    path("feeds/events.ics", feeds.search_ics, name="search_ics"),
    path("feeds/events.atom", public_response(feeds.EventsAtom()), name="events_atom"),
    path("feeds/seasons/<slug:slug>.atom", public_response(feeds.EventsAtom()),
         name="season_atom"),
    path("feeds/seasons/<slug:slug>.ics", feeds.season_ics, name="season_ics"),
    path("feeds/towns/<slug:slug>.ics", feeds.town_ics, name="town_ics"),
    path("robots.txt", feeds.robots_txt, name="robots"),
    path("sitemap.xml", feeds.sitemap_index, name="sitemap"),
    path("sitemap-events-<int:chunk>.xml", feeds.sitemap_events, name="sitemap_events"),
    path("widget/", views.widget_snippets, name="widget_snippets"),
    path("widget/<slug:slug>/", views.widget, name="widget"),
]
