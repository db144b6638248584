"""What a person reads in place of a stored key: city, industry division, industrial chain, size class and
scenario names from the knowledge base, in the current language (Simplified Chinese unless English is active).

Every organiser page and export (CSV, Excel, PDF, Word) names its groups through ``Labels``; the keys stay
only in an extra column for machines. A key the knowledge base no longer knows is shown as it is stored, so
nothing disappears from a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wendao.engine.profile import SIZE_NAMES
from wendao.web.catalog.services import active_catalog

NO_CHAIN = ""  # the key of the group of enterprises in none of the province's industrial chains


def english() -> bool:
    return (get_language() or "").startswith("en")


@dataclass(frozen=True)
class Labels:
    by_dimension: dict[str, dict[str, str]]
    scenarios: dict[str, str]

    def of(self, dimension: str, key: Any) -> str:
        """The display name of a grouping key (``dimension`` is city, division, chain or size)."""
        if dimension == "chain" and not key:
            return _("不属于省级重点产业链")
        if key is None or key == "":
            return _("未填写")
        return self.by_dimension.get(dimension, {}).get(str(key), str(key))

    def scenario(self, sid: str, stored: tuple[str, str] | None = None) -> str:
        """A scenario's name; ``stored`` (zh, en) is the name its plans carry, for a scenario no longer in the
        knowledge base."""
        if sid in self.scenarios:
            return self.scenarios[sid]
        if stored is not None:
            return stored[1] if english() else stored[0]
        return sid


def labels() -> Labels:
    en = english()
    catalog = active_catalog().catalog

    def pick(zh: str, e: str) -> str:
        return e if en else zh

    return Labels(
        by_dimension={
            "city": {c.id: pick(c.name_zh, c.name_en) for c in catalog.cities},
            # the name alone: a reader knows 造纸和纸制品业, not C22 (the code stays in the CSVs' key column)
            "division": {i.code: pick(i.name_zh, i.name_en) for i in catalog.industries},
            "chain": {c.id: pick(c.name_zh, c.name_en) for c in catalog.chains},
            "size": {k: (e.capitalize() if en else zh + "企业") for k, (zh, e) in SIZE_NAMES.items()},
        },
        scenarios={s.id: pick(s.name_zh, s.name_en) for s in catalog.scenarios},
    )


def dimension_titles() -> dict[str, str]:
    return {
        "city": _("城市"),
        "division": _("行业大类"),
        "chain": _("产业链"),
        "size": _("企业规模"),
    }
