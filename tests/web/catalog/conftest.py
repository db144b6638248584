"""Catalog test helpers shared with the authorisation matrix."""

from __future__ import annotations

import json
from typing import Any


def entry_form(entry: Any, **changes: Any) -> dict[str, Any]:
    """The admin change form's fields for a catalog entry as it is, with ``changes`` on top."""
    data = {
        "key": entry.key,
        "name_zh": entry.name_zh,
        "name_en": entry.name_en,
        "data": json.dumps(entry.data, ensure_ascii=False),
        "source": entry.source,
        "as_of": entry.as_of.isoformat(),
    }
    if hasattr(entry, "kind"):
        data["kind"] = entry.kind
    if getattr(entry, "active", False):
        data["active"] = "on"
    return data | changes
