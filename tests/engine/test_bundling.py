"""Items too small for a policy's minimum project investment on their own, but large enough together when they
start in the same plan year, are shown as one renovation project to register (issue 14, priority 6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wendao.engine.bundling import bundles, minimum_project
from wendao.engine.catalog import default_catalog
from wendao.engine.profile import parse_profile

LOADED = default_catalog()
TODAY = date(2026, 12, 6)
SCENARIOS = {s.id: s for s in LOADED.catalog.scenarios}
TECHRENO = next(p for p in LOADED.policies if p.id == "sd_techreno_smart_factory_equipment")


@dataclass
class Item:
    scenario: str
    name_zh: str
    name_en: str
    start_quarter: int
    one_off: float


def _profile(city: str = "淄博"):  # type: ignore[no-untyped-def]
    return parse_profile({"name": "测试企业", "city": city, "industry": "C26", "employees": 300, "revenue": 20000})


def _equipment_items(sizes: list[float], starts: list[int]) -> list[Item]:
    chosen = [s for s in LOADED.catalog.scenarios if "equipment" in s.cost.buys][: len(sizes)]
    return [Item(s.id, s.name_zh, s.name_en, start, size) for s, size, start in zip(chosen, sizes, starts, strict=True)]


def test_the_minimum_project_size_is_read_from_the_policys_rule() -> None:
    assert minimum_project(TECHRENO) == 100
    assert minimum_project(next(p for p in LOADED.policies if p.id == "national_rd_super_deduction")) is None


def test_small_items_starting_in_one_year_are_bundled_to_reach_the_minimum() -> None:
    items = _equipment_items([60, 50, 30], [0, 2, 5])
    found = [
        b for b in bundles(_profile(), items, SCENARIOS, LOADED.policies, 0.03, TODAY, 0.08) if b.policy == TECHRENO.id
    ]
    assert len(found) == 1
    b = found[0]
    assert b.year == 1
    assert b.total == 110
    assert b.scenarios == [items[0].scenario, items[1].scenario]
    assert b.amount > 0
    # unverified terms: shown as "may apply", never counted
    assert b.verdict == "possible"


def test_no_bundle_when_the_items_are_in_different_years_or_already_qualify_or_the_firm_is_outside_shandong() -> None:
    def found(items: list[Item], city: str = "淄博") -> list[str]:
        return [b.policy for b in bundles(_profile(city), items, SCENARIOS, LOADED.policies, 0.03, TODAY, 0.08)]

    assert TECHRENO.id not in found(_equipment_items([60, 50], [0, 4]))
    assert TECHRENO.id not in found(_equipment_items([120, 50], [0, 1]))
    assert TECHRENO.id not in found(_equipment_items([60, 50], [0, 1]), city="省外")


def test_a_policy_with_a_minimum_but_no_published_amount_is_never_offered_as_a_bundle() -> None:
    # the 2025 provincial renovation award (鲁财工〔2024〕10号): projects of at least 5000 万元, award rate not read
    award = next(p for p in LOADED.policies if p.id == "sd_equipment_techreno_award_2025")
    assert minimum_project(award) == 5000
    items = _equipment_items([3000, 2500], [0, 1])
    assert award.id not in [b.policy for b in bundles(_profile(), items, SCENARIOS, LOADED.policies, 0.03, TODAY, 0.08)]
