"""The one way to write the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from wendao.web.accounts.models import AuditEvent
from wendao.web.accounts.types import Visitor


def record(user: Visitor | None, action: str, obj: models.Model, changes: dict[str, Any] | None = None) -> AuditEvent:
    actor = user if getattr(user, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes or {},
    )
