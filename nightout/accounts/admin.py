from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from nightout.accounts.forms import AdminLoginForm
from nightout.accounts.models import Membership, User

# The administration's sign-in is throttled like the site's.
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["jurisdiction", "agency", "region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = BaseUserAdmin.fieldsets + (("Contact", {"fields": ("phone",)}),)
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_superuser"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "jurisdiction", "agency", "region", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "jurisdiction", "agency", "region"]
