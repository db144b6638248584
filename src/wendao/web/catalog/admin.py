"""Organisers and admins edit the knowledge base here; every save is validated, versioned and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import F

from wendao.web.accounts.audit import record
from wendao.web.catalog.forms import EntryForm
from wendao.web.catalog.models import PolicyEntry, PriceEntry, QuestionnaireVersion, ScenarioEntry
from wendao.web.catalog.services import bump_revision


class EntryAdmin(admin.ModelAdmin):
    form = EntryForm
    list_display = ("key", "name_zh", "source", "as_of", "revision", "updated_at")
    search_fields = ("key", "name_zh", "name_en")
    readonly_fields = ("revision", "updated_at")
    actions = None  # no bulk delete: every removal goes through delete_model and the audit log

    def _may_edit(self, request: Any) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and getattr(user, "is_organiser", False)) or user.is_superuser

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._may_edit(request) or super().has_change_permission(request, obj)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._may_edit(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: Any) -> bool:
        return self._may_edit(request) or super().has_add_permission(request)

    def has_module_permission(self, request: Any) -> bool:
        return self._may_edit(request) or super().has_module_permission(request)

    @transaction.atomic
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        changes = {f: form.cleaned_data.get(f) for f in form.changed_data if f != "data"}
        if "data" in form.changed_data:
            changes["data"] = "changed"
        if change:
            obj.revision = F("revision") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()
        if isinstance(obj, QuestionnaireVersion) and obj.active:
            QuestionnaireVersion.objects.exclude(pk=obj.pk).update(active=False)
        bump_revision()
        record(request.user, "catalog.change" if change else "catalog.add", obj, _json_safe(changes))

    def delete_model(self, request: Any, obj: Any) -> None:
        record(request.user, "catalog.delete", obj, {"key": obj.key})
        super().delete_model(request, obj)
        bump_revision()


def _json_safe(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, str | int | float | bool | type(None)) else str(v) for k, v in changes.items()}


@admin.register(ScenarioEntry)
class ScenarioEntryAdmin(EntryAdmin):
    list_display = ("key", "kind", "name_zh", "source", "as_of", "revision")
    list_filter = ("kind",)


@admin.register(PolicyEntry)
class PolicyEntryAdmin(EntryAdmin):
    pass


@admin.register(PriceEntry)
class PriceEntryAdmin(EntryAdmin):
    list_display = ("key", "kind", "name_zh", "source", "as_of", "revision")
    list_filter = ("kind",)


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(EntryAdmin):
    list_display = ("key", "name_zh", "active", "source", "as_of", "revision")
