from django.contrib import admin

from nightout.registry.admin_zone import TownTimeAdmin
from nightout.visits.models import PlanVersion, StopReport, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "season", "agency", "kind", "shift_start", "shift_end", "active"]
    list_filter = ["season", "kind", "active"]
    list_select_related = ["season__jurisdiction", "agency"]
    search_fields = ["name", "agency__name", "season__slug"]
    raw_id_fields = ["start_station", "end_station", "ride_along_with"]


@admin.register(PlanVersion)
class PlanVersionAdmin(TownTimeAdmin):
    """Versions are made by the plan pages; the admin only shows them."""

    zone_path = "plan__season__jurisdiction"

    list_display = ["__str__", "plan", "origin", "status", "parties_reached", "fcfs_parties",
                    "locked", "created_at"]
    list_filter = ["status", "locked"]
    list_select_related = ["plan__season__jurisdiction"]
    search_fields = ["plan__season__slug", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StopReport)
class StopReportAdmin(TownTimeAdmin):
    """Every tap from the night, read-only."""

    zone_path = "stop__unit__season__jurisdiction"

    list_display = ["stop", "status", "at", "tapped_at", "received_at", "by"]
    list_select_related = ["stop__unit__season__jurisdiction", "stop__event"]
    search_fields = ["by", "stop__event__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
