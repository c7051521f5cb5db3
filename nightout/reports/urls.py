from django.urls import path

from nightout.reports import views

app_name = "reports"
urlpatterns = [
    path("coordinate/<slug:slug>/report/", views.season_report_view, name="season"),
    path("coordinate/<slug:slug>/report/awards/", views.awards_view, name="awards"),
    path("region/<slug:slug>/", views.region_view, name="region"),
    path("transparency/", views.transparency_list, name="transparency_index"),
    path("transparency/<slug:slug>/", views.transparency, name="transparency"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
