from django.urls import path

from nightout.accounts import people_views
from nightout.registry import import_views, review_views, staff_views, views

app_name = "registry"
urlpatterns = [
    path("seasons/", views.home, name="home"),
    path("register/", views.register_index, name="register_index"),
    path("register/<slug:slug>/", views.register, name="register"),
    path("register/<slug:slug>/zip/", views.postal_code_place, name="postal_code_place"),
    path("manage/", views.link_request, name="link_request"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/edit/", views.manage_edit, name="manage_edit"),
    path("manage/<str:token>/report/", views.manage_report, name="manage_report"),
    path("manage/<str:token>/rain-date/", views.manage_rain_date, name="manage_rain_date"),
    path("coordinate/", review_views.seasons, name="review_seasons"),
    path("coordinate/new-season/", review_views.season_new, name="season_new"),
    path("coordinate/<slug:slug>/", review_views.queue, name="queue"),
    path("coordinate/<slug:slug>/people/", people_views.people, name="people"),
    path("coordinate/<slug:slug>/settings/", review_views.season_settings,
         name="season_settings"),
    path("coordinate/<slug:slug>/events/new/", staff_views.event_new, name="review_event_new"),
    path("coordinate/<slug:slug>/events/<int:pk>/", review_views.event_detail,
         name="review_event"),
    path("coordinate/<slug:slug>/events/<int:pk>/edit/", staff_views.event_edit,
         name="review_event_edit"),
    path("coordinate/<slug:slug>/events/<int:pk>/rain-date/", review_views.event_rain_date,
         name="review_rain_date"),
    path("coordinate/<slug:slug>/lists/<slug:which>/", review_views.official_list_view,
         name="official_list"),
    path("coordinate/<slug:slug>/import/", import_views.import_upload, name="import"),
    path("coordinate/<slug:slug>/import/template.<str:kind>", import_views.import_template,
         name="import_template"),
    path("coordinate/<slug:slug>/import/<int:pk>/", import_views.import_batch,
         name="import_batch"),
    path("coordinate/<slug:slug>/import/<int:pk>/apply/", import_views.import_batch_apply,
         name="import_batch_apply"),
    path("coordinate/<slug:slug>/import/<int:pk>/abandon/", import_views.import_batch_abandon,
         name="import_batch_abandon"),
    path("coordinate/<slug:slug>/import/<int:pk>/to-fix.csv", import_views.import_batch_faults_csv,
         name="import_batch_faults"),
]
