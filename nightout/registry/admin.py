from django.contrib import admin

from nightout.finder.places import public_point_refresh
from nightout.registry.admin_zone import TownTimeAdmin
from nightout.registry.forms import SeasonForm
from nightout.registry.models import (
    Activity,
    Agency,
    AuditEntry,
    Closure,
    ClosureFeeTier,
    Event,
    EventAgency,
    HostContact,
    ImportBatch,
    Jurisdiction,
    Region,
    Season,
    Station,
    VisitRequest,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "time_zone"]
    list_filter = ["state", "regions"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["regions"]


class ClosureFeeTierInline(admin.TabularInline):
    model = ClosureFeeTier
    extra = 0


@admin.register(Season)
class SeasonAdmin(TownTimeAdmin):
    zone_path = "jurisdiction"
    form = SeasonForm
    list_display = ["__str__", "nno_date", "default_start", "default_end", "registration_deadline"]
    list_filter = ["year", "jurisdiction__state"]
    search_fields = ["jurisdiction__name", "slug"]
    autocomplete_fields = ["jurisdiction"]
    list_select_related = ["jurisdiction"]
    inlines = [ClosureFeeTierInline]


class StationInline(admin.TabularInline):
    model = Station
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "jurisdiction"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["jurisdiction"]
    inlines = [StationInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class HostContactInline(admin.StackedInline):
    model = HostContact
    can_delete = False


class ClosureInline(admin.StackedInline):
    model = Closure
    extra = 0


class VisitRequestInline(admin.TabularInline):
    model = VisitRequest
    extra = 0
    autocomplete_fields = ["agency"]


class EventAgencyInline(admin.TabularInline):
    model = EventAgency
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Event)
class EventAdmin(TownTimeAdmin):
    zone_path = "season__jurisdiction"
    list_display = ["title", "season", "kind", "status", "starts_at", "district"]
    list_filter = ["status", "kind", "season__year", "season__jurisdiction"]
    search_fields = ["title", "venue", "address", "postal_code"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["season"]
    filter_horizontal = ["activities"]
    list_select_related = ["season__jurisdiction"]
    inlines = [HostContactInline, ClosureInline, VisitRequestInline, EventAgencyInline]

    def save_model(self, request, obj, form, change):
        public_point_refresh(obj)  # the finder searches the stored public point
        super().save_model(request, obj, form, change)


@admin.register(Closure)
class ClosureAdmin(TownTimeAdmin):
    zone_path = "event__season__jurisdiction"
    list_display = ["street", "event", "status", "fee", "permit_number", "requested_at"]
    list_filter = ["status", "event__season"]
    search_fields = ["street", "permit_number", "event__title"]
    autocomplete_fields = ["event"]
    list_select_related = ["event__season__jurisdiction"]


@admin.register(AuditEntry)
class AuditEntryAdmin(TownTimeAdmin):
    """The trail is read-only: nobody edits history."""

    zone_path = "season__jurisdiction"

    list_display = ["at", "actor_label", "action", "event", "season"]
    list_filter = ["action", "season"]
    search_fields = ["actor_label", "event__title", "note"]
    list_select_related = ["event", "season__jurisdiction"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(TownTimeAdmin):
    zone_path = "season__jurisdiction"
    list_display = ["filename", "season", "uploaded_by", "uploaded_at", "status"]
    list_filter = ["status", "season"]
    search_fields = ["filename"]
    list_select_related = ["season__jurisdiction", "uploaded_by"]
    # The staged rows and faults hold hosts' details: read on the import's own page.
    exclude = ["rows", "faults", "fault_rows"]
    readonly_fields = ["season", "uploaded_by", "uploaded_at", "applied_by", "filename",
                       "sheet", "mapping", "status", "progress_done", "progress_total",
                       "unmapped", "counts", "message"]

    def has_add_permission(self, request):
        return False
