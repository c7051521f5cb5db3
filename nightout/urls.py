from django.contrib import admin
from django.urls import include, path

from nightout.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("nightout.accounts.urls")),
    path("api/", include("nightout.api.urls")),
    path("", include("nightout.finder.urls")),
    path("", include("nightout.registry.urls")),
    path("", include("nightout.surveys.urls")),
    path("", include("nightout.reports.urls")),
    path("", include("nightout.visits.urls")),
]

# Errors in the site's layout, saying what to do next (nightout/error_pages.py).
handler400 = "nightout.error_pages.bad_request"
handler403 = "nightout.error_pages.forbidden"
handler404 = "nightout.error_pages.not_found"
handler500 = "nightout.error_pages.server_error"
