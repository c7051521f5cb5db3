from django.contrib import admin, messages

from nightout.accounts.permissions import can_manage_agency, is_site_admin
from nightout.api.models import AgencyToken
from nightout.api.services import agency_token_create, agency_token_revoke
from nightout.registry.admin_zone import TownTimeAdmin
from nightout.registry.models import Agency

SHOWN_ONCE = "The token for {agency}, shown only this once: copy it now. {raw}"


@admin.register(AgencyToken)
class AgencyTokenAdmin(TownTimeAdmin):
    """Tokens are made here (the token is shown once, on the next page) and revoked with the
    action; nothing else about one can be changed."""

    zone_path = "agency__jurisdiction"
    list_display = ["agency", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["agency__jurisdiction"]
    list_filter = ["agency", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["agency__name", "name", "prefix"]
    actions = ["revoke"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]

    def get_fields(self, request, obj=None):
        return ["agency", "name"] if obj is None else ["agency", "name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["agency", "name", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, raw = agency_token_create(agency=obj.agency, name=obj.name,
                                         created_by=request.user.get_username())
        for name in ("pk", "prefix", "digest", "created_at", "created_by"):
            setattr(obj, name, getattr(token, name))
        messages.warning(request, SHOWN_ONCE.format(agency=token.agency, raw=raw))

    def _managed(self, request):
        agencies = Agency.objects.order_by("name")
        if is_site_admin(request.user):
            return agencies
        return agencies.filter(pk__in=[a.pk for a in agencies
                                       if can_manage_agency(request.user, a)])

    def get_queryset(self, request):
        return super().get_queryset(request).filter(agency__in=self._managed(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = self._managed(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the record of who had access stays

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            agency_token_revoke(token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s).")
