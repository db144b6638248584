"""Catalog editors and admins edit the knowledge base here; every save is validated, versioned and audited.

The knowledge base is platform-wide: every programme's plans are built from it. So a programme organiser may
read it here but not change it (they would change every other programme's plans); only the catalog editors
(Role.CATALOG_EDITOR, 知识库编辑) and the admins add, change or delete entries. Django's per-model permissions
are not consulted: who may edit is a matter of role, the same on every entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from wendao.web.accounts.audit import record
from wendao.web.accounts.models import Role
from wendao.web.accounts.types import Visitor
from wendao.web.catalog.editor import first_version, write_version
from wendao.web.catalog.forms import EntryForm
from wendao.web.catalog.models import EntryVersion, PolicyEntry, PriceEntry, QuestionnaireVersion, ScenarioEntry
from wendao.web.catalog.services import bump_revision

EDITOR_ROLES = frozenset({Role.CATALOG_EDITOR, Role.ADMIN})
READER_ROLES = EDITOR_ROLES | {Role.ORGANISER}


def may_edit_catalog(user: Visitor) -> bool:
    """Catalog editors and admins (superusers or Role.ADMIN) signed in to the admin."""
    if not (user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser or getattr(user, "role", None) in EDITOR_ROLES)


def may_read_catalog_admin(user: Visitor) -> bool:
    """Also staff organisers: they see where the numbers in their participants' plans come from."""
    if not (user.is_active and user.is_staff):
        return False
    return bool(user.is_superuser or getattr(user, "role", None) in READER_ROLES)


class EntryAdmin(admin.ModelAdmin):
    form = EntryForm
    list_display = ("key", "name_zh", "source", "as_of", "revision", "updated_at")
    search_fields = ("key", "name_zh", "name_en")
    readonly_fields = ("revision", "updated_at")
    actions = None  # no bulk delete: every removal goes through delete_model and the audit log

    def has_add_permission(self, request: Any) -> bool:
        return may_edit_catalog(request.user)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return may_edit_catalog(request.user)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return may_edit_catalog(request.user)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return may_read_catalog_admin(request.user)

    def has_module_permission(self, request: Any) -> bool:
        return may_read_catalog_admin(request.user)

    @transaction.atomic
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        _require_editor(request)
        changes = {f: form.cleaned_data.get(f) for f in form.changed_data if f != "data"}
        if "data" in form.changed_data:
            changes["data"] = "changed"
        before: dict[str, Any] = {}
        if change:
            stored = type(obj).objects.get(pk=obj.pk)
            first_version(stored)  # the history starts with the entry as it was before its first change
            before = stored.data
            obj.revision = F("revision") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db()
        write_version(request.user, obj, before, EntryVersion.Via.ADMIN)
        if isinstance(obj, QuestionnaireVersion) and obj.active:
            QuestionnaireVersion.objects.exclude(pk=obj.pk).update(active=False)
        bump_revision()
        record(request.user, "catalog.change" if change else "catalog.add", obj, _json_safe(changes))

    @transaction.atomic
    def delete_model(self, request: Any, obj: Any) -> None:
        _require_editor(request)
        record(request.user, "catalog.delete", obj, {"key": obj.key})
        super().delete_model(request, obj)
        bump_revision()


def _require_editor(request: Any) -> None:
    # the admin views check has_*_permission first; this keeps every write path behind the same rule
    if not may_edit_catalog(request.user):
        raise PermissionDenied


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
