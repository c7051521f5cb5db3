from django.urls import path

from nightout.visits import agency_views, board_views, unit_sheet_views, views

app_name = "visits"

urlpatterns = [
    path("plan/", views.index, name="index"),
    path("plan/sw.js", views.service_worker, name="service_worker"),
    path("plan/<slug:season>/", views.plan, name="plan"),
    path("plan/<slug:season>/v/<int:number>/", views.version, name="version"),
    path("plan/<slug:season>/agencies/", agency_views.agencies, name="agencies"),
    path("plan/<slug:season>/agencies/<slug:agency>/", agency_views.agency, name="agency"),
    path("plan/<slug:season>/stations/<int:station>/", agency_views.station, name="station"),
    path("plan/<slug:season>/units/", views.units, name="units"),
    path("plan/<slug:season>/units/from-a-sheet/", unit_sheet_views.units_sheet,
         name="units_sheet"),
    path("plan/<slug:season>/units/<int:unit>/", views.itinerary, name="itinerary"),
    path("plan/<slug:season>/units/<int:unit>/edit/", views.unit_edit, name="unit_edit"),
    path("plan/<slug:season>/units/<int:unit>/sheet/", views.run_sheet, name="run_sheet"),
    path("plan/<slug:season>/units/<int:unit>/phone/", views.phone, name="phone"),
    path("plan/<slug:season>/units/<int:unit>.ics", views.calendar, name="calendar"),
    path("plan/<slug:season>/board/", board_views.board, name="board"),
    path("plan/stops/<int:stop>/report/", views.report, name="report"),
]
