from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from wendao.web.accounts.forms import ThrottledAdminLoginForm
from wendao.web.accounts.models import AuditEvent, User

# the admin's sign-in page explains a throttled attempt like the main one (the policy is the backend's)
admin.site.login_form = ThrottledAdminLoginForm


@admin.register(User)
class WendaoUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("wendao", {"fields": ("role", "city")}))
    list_display = ("username", "email", "role", "is_staff", "is_active")
    list_filter = ("role", "is_staff", "is_active")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor__username")

    # the audit log is append-only, also for admins
    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
