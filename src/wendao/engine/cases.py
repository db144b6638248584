"""The case library: real published cases of what similar firms did (data/cases.yaml).

A case is one enterprise's published project: who (a name, or "a … firm in …" where the source is
anonymous), its division and size, where, which catalog scenarios it acts in, what was done, the outcome
figures as the source states them, investment and payback where published, and the source with its date and
reliability. Never a composite or an invented case: an entry that cannot name a source and a date is refused on
load. Nearest cases for a plan item or an answer are found by scenario, then division, then size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wendao.engine.catalog import LoadedCatalog

CASES_FILE = Path(__file__).resolve().parent.parent / "data" / "cases.yaml"

# official_collection: a government or standards body's case collection (MIIT, a provincial 工信厅, WEF's
# Global Lighthouse Network as published by WEF); company: the enterprise's own release about itself; media: a
# news report or a repost of one; vendor_claim: a supplier describing its own customer's results.
CaseReliability = Literal["official_collection", "company", "media", "vendor_claim"]
CaseSize = Literal["large", "medium", "small", "micro", "unknown"]

RELIABILITY_NAMES: dict[str, tuple[str, str]] = {
    "official_collection": ("官方案例集", "official case collection"),
    "company": ("企业自述", "the company's own release"),
    "media": ("媒体报道", "media report"),
    "vendor_claim": ("供应商宣称", "vendor's claim"),
}


class CasesError(Exception):
    """The case file is invalid; ``problems`` lists every problem (case id, field, what was expected)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    enterprise_zh: str = Field(
        min_length=2, description="the enterprise, or 'a … firm in …' when the source is anonymous"
    )
    enterprise_en: str = Field(min_length=2)
    anonymous: bool = False
    division: str = Field(pattern=r"^[A-Z]\d{2}$", description="GB/T 4754-2017 division, e.g. C36")
    size: CaseSize
    province_zh: str
    city_zh: str | None = None
    place_en: str = Field(min_length=2, description="province and city in English, e.g. 'Zibo, Shandong'")
    scenarios: list[str] = Field(min_length=1, description="catalog scenario ids the case acts in")
    done_zh: str = Field(min_length=4)
    done_en: str = Field(min_length=4)
    outcomes_zh: list[str] = Field(default_factory=list, description="outcome figures as the source states them")
    outcomes_en: list[str] = Field(default_factory=list)
    investment_wan: float | None = Field(default=None, ge=0, description="万元, only where published")
    payback_months: float | None = Field(default=None, ge=0, description="only where published")
    source: str = Field(pattern=r"^https?://", description="the page the case was read on")
    source_name_zh: str
    source_name_en: str = Field(min_length=2, description="the source's name as an English reader reads it")
    as_of: date = Field(description="publication date of the source")
    reliability: CaseReliability
    note: str | None = Field(default=None, description="what could not be read (a page cut), what is a repost")

    @field_validator("outcomes_en")
    @classmethod
    def _outcomes_in_both_languages(cls, value: list[str], info: Any) -> list[str]:
        zh = info.data.get("outcomes_zh")
        if zh is not None and len(zh) != len(value):
            raise ValueError("outcomes_en must translate outcomes_zh line by line")
        return value


def load_cases(loaded: LoadedCatalog, path: Path | None = None) -> tuple[Case, ...]:
    """Read and validate the case file against the catalog's scenarios; raise CasesError listing every problem."""
    file = path or CASES_FILE
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CasesError([f"{file.name}: cannot read ({exc})"]) from None
    problems: list[str] = []
    cases: list[Case] = []
    for i, item in enumerate(raw.get("cases") or []):
        where = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        try:
            cases.append(Case.model_validate(item))
        except ValidationError as exc:
            problems.extend(
                f"{file.name}: case {where}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
    ids = {s.id for s in loaded.catalog.scenarios}
    seen: set[str] = set()
    for c in cases:
        if c.id in seen:
            problems.append(f"{file.name}: case {c.id}: duplicate id")
        seen.add(c.id)
        problems.extend(f"{file.name}: case {c.id}: unknown scenario {s!r}" for s in c.scenarios if s not in ids)
    if problems:
        raise CasesError(problems)
    return tuple(cases)


_LOADED: dict[str, tuple[Case, ...]] = {}


def cases_for(loaded: LoadedCatalog) -> tuple[Case, ...]:
    """The bundled case library for a catalog, loaded once per catalog version."""
    cases = _LOADED.get(loaded.content_hash)
    if cases is None:
        cases = _LOADED[loaded.content_hash] = load_cases(loaded)
    return cases


def use_cases(loaded: LoadedCatalog, cases: Iterable[Case]) -> None:
    """Serve ``cases`` as the library of this catalog version instead of the bundled file (the web platform keeps
    its edited case library in its database knowledge base)."""
    _LOADED[loaded.content_hash] = tuple(cases)


def case_coverage(cases: Sequence[Case], loaded: LoadedCatalog) -> dict[str, Any]:
    """Cases per scenario (an AI scenario's cases also count for its MIIT parent), for `catalog check`."""
    parent = {s.id: s.parent for s in loaded.catalog.scenarios}
    per: dict[str, int] = {s.id: 0 for s in loaded.catalog.scenarios if not s.foundation}
    for c in cases:
        family = set(c.scenarios) | {parent[s] for s in c.scenarios if parent.get(s)}
        for sid in family:
            if sid in per:
                per[sid] += 1
    miit = [s.id for s in loaded.catalog.scenarios if s.kind == "miit" and not s.foundation]
    return {
        "cases": len(cases),
        "by_reliability": {r: sum(c.reliability == r for c in cases) for r in RELIABILITY_NAMES},
        "miit_scenarios_with_a_case": sum(per[s] > 0 for s in miit),
        "miit_scenarios": len(miit),
        "per_scenario": per,
    }


@dataclass(frozen=True)
class NearCase:
    case: Case
    score: int
    why_zh: str
    why_en: str


_SIZE_ORDER = ("micro", "small", "medium", "large")


def nearest_cases(
    cases: Iterable[Case],
    loaded: LoadedCatalog,
    scenarios: Sequence[str],
    division: str | None = None,
    size: str | None = None,
    top: int = 3,
) -> list[NearCase]:
    """Cases nearest to a need: same scenario (or its MIIT family) first, then same division (else the same broad
    industry group: raw materials, equipment, consumer, electronics), then a size class at most one step away; more
    reliable first on a tie."""
    parent = {s.id: s.parent for s in loaded.catalog.scenarios}
    group = {i.code: i.group for i in loaded.catalog.industries}
    wanted = set(scenarios)
    families = {parent.get(s) or s for s in scenarios}
    out: list[NearCase] = []
    for c in cases:
        direct = wanted & set(c.scenarios)
        family = families & {parent.get(s) or s for s in c.scenarios}
        if not (direct or family):
            continue
        score = 4 if direct else 2
        why_zh, why_en = (
            ["同一场景" if direct else "同一场景大类"],
            ["same scenario" if direct else "same scenario family"],
        )
        if division and c.division == division[:3]:
            score += 3
            why_zh.append("同一行业大类")
            why_en.append("same industry division")
        elif division and group.get(division[:3]) is not None and group.get(c.division) == group[division[:3]]:
            score += 1
            why_zh.append("相近行业")
            why_en.append("related industry")
        if size and c.size in _SIZE_ORDER and size in _SIZE_ORDER:
            gap = abs(_SIZE_ORDER.index(c.size) - _SIZE_ORDER.index(size))
            if gap == 0:
                score += 2
                why_zh.append("同一规模")
                why_en.append("same size class")
            elif gap == 1:
                score += 1
        out.append(NearCase(case=c, score=score, why_zh="、".join(why_zh), why_en=", ".join(why_en)))
    rank = list(RELIABILITY_NAMES)
    out.sort(key=lambda n: (-n.score, rank.index(n.case.reliability), -n.case.as_of.toordinal(), n.case.id))
    return out[:top]
