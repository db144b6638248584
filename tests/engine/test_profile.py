from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wendao.engine.profile import (
    MAX_COST_PER_HOUR,
    MAX_EMPLOYEES,
    MAX_EVIDENCE_LENGTH,
    MAX_HOURS_PER_YEAR,
    MAX_ITEMS,
    MAX_LABOUR_COST,
    MAX_MONEY,
    MAX_NAME_LENGTH,
    ProfileError,
    above_designated_size,
    parse_profile,
    size_class,
)
from wendao.engine.text import MAX_LINE_LENGTH

# the largest profile the bounds allow: every figure at its upper bound
LARGEST: dict[str, object] = {
    "employees": MAX_EMPLOYEES,
    "revenue": MAX_MONEY,
    "budget": MAX_MONEY,
    "baseline": {
        "annual_energy_cost": MAX_MONEY,
        "annual_quality_loss": MAX_MONEY,
        "unplanned_downtime_hours": MAX_HOURS_PER_YEAR,
        "downtime_cost_per_hour": MAX_COST_PER_HOUR,
        "inventory_value": MAX_MONEY,
        "inventory_carrying_rate": 1.0,
        "annual_maintenance_cost": MAX_MONEY,
        "inspection_staff": MAX_EMPLOYEES,
        "production_staff": MAX_EMPLOYEES,
        "engineering_staff": MAX_EMPLOYEES,
        "service_staff": MAX_EMPLOYEES,
        "labour_cost_per_person": MAX_LABOUR_COST,
        "annual_logistics_cost": MAX_MONEY,
        "annual_rd_cost": MAX_MONEY,
        "contribution_margin_rate": 1.0,
        "capacity_constrained": True,
    },
}


def _profile(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "测试机械有限公司",
        "city": "潍坊",
        "industry": "C34",
        "employees": 120,
        "revenue": 8000,
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (1000, 40000, "large"),
        (999, 40000, "medium"),  # both conditions for large needed: drop one class
        (1000, 39999.99, "medium"),
        (300, 2000, "medium"),
        (299, 2000, "small"),
        (5000, 1999, "small"),  # many employees but small revenue: falls to small
        (20, 300, "small"),
        (19, 100000, "micro"),  # micro needs only one condition
        (500, 299, "micro"),
        (0, 0, "micro"),
    ],
)
def test_size_class_follows_the_nbs_2017_industrial_thresholds(employees: int, revenue: float, expected: str) -> None:
    assert size_class(employees, revenue) == expected


@given(st.integers(0, 100_000), st.floats(0, 1e7, allow_nan=False), st.integers(0, 1000), st.floats(0, 1e5))
def test_more_employees_or_revenue_never_gives_a_smaller_class(e: int, r: float, de: int, dr: float) -> None:
    order = ["micro", "small", "medium", "large"]
    assert order.index(size_class(e + de, r + dr)) >= order.index(size_class(e, r))


def test_above_designated_size_starts_at_2000_wan_yuan_revenue() -> None:
    assert above_designated_size(2000)
    assert not above_designated_size(1999.9)


def test_size_class_is_computed_never_typed_in() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(_profile(size_class="small"))
    assert any("size_class" in p for p in caught.value.problems)
    assert parse_profile(_profile()).size_class == "small"


def test_a_city_may_be_given_by_its_chinese_name() -> None:
    assert parse_profile(_profile(city="潍坊市")).city == "weifang"


def test_an_unknown_city_names_the_field_and_what_is_expected() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(_profile(city="Atlantis"))
    assert any(p.startswith("city:") and "济南" in p for p in caught.value.problems)


def test_an_industry_class_code_keeps_its_division() -> None:
    profile = parse_profile(_profile(industry="C3670"))
    assert profile.division == "C36"


@pytest.mark.parametrize("code", ["C12", "C44", "A01", "C3", "Cxx"])
def test_an_industry_outside_manufacturing_is_rejected(code: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(_profile(industry=code))
    assert any(p.startswith("industry:") for p in caught.value.problems)


def test_every_problem_of_a_profile_is_reported_at_once() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(_profile(city="Nowhere", employees=-3, budget=-1, systems=["XYZ"]))
    fields = {p.split(":")[0] for p in caught.value.problems}
    assert {"city", "employees", "budget", "systems"} <= fields


def test_chinese_qualification_names_are_understood() -> None:
    profile = parse_profile(_profile(qualifications=["专精特新", "高新技术企业"]))
    assert profile.qualifications == ["zjtx", "high_tech"]


# --- bounds: every figure and every text an enterprise enters (security finding 8, 10) --------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"employees": 10**30}, "employees"),  # stored, it overflowed the database's integer column
        ({"employees": 1e30}, "employees"),  # a JSON number
        ({"employees": MAX_EMPLOYEES + 1}, "employees"),
        ({"revenue": 1e308}, "revenue"),  # accepted, then every plan of the enterprise failed
        ({"revenue": float("inf")}, "revenue"),  # JSON's 1e400
        ({"revenue": float("nan")}, "revenue"),
        ({"budget": float("inf")}, "budget"),
        ({"baseline": {"annual_energy_cost": MAX_MONEY * 10}}, "baseline.annual_energy_cost"),
        ({"baseline": {"annual_quality_loss": float("nan")}}, "baseline.annual_quality_loss"),
        ({"baseline": {"unplanned_downtime_hours": 9000}}, "baseline.unplanned_downtime_hours"),
        ({"baseline": {"downtime_cost_per_hour": 1e300}}, "baseline.downtime_cost_per_hour"),
        ({"baseline": {"inspection_staff": 10**30}}, "baseline.inspection_staff"),
        ({"baseline": {"labour_cost_per_person": 95_000}}, "baseline.labour_cost_per_person"),  # 元, not 万元
        ({"baseline": {"inventory_carrying_rate": 18}}, "baseline.inventory_carrying_rate"),  # per cent, not a share
    ],
)
def test_a_figure_out_of_range_is_refused_naming_its_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(_profile(**overrides))
    assert [p.split(":")[0] for p in caught.value.problems] == [field]


def test_the_largest_figures_allowed_are_accepted() -> None:
    profile = parse_profile(_profile(**LARGEST))
    assert profile.employees == MAX_EMPLOYEES
    assert profile.size_class == "large"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "名" * 100_000}, "name"),  # the column holds 200 characters
        ({"name": "名" * (MAX_NAME_LENGTH + 1)}, "name"),
        ({"name": "某某\x00公司"}, "name"),  # PostgreSQL refuses U+0000
        ({"name": "某某\ud800公司"}, "name"),  # an unpaired surrogate cannot be stored as UTF-8
        ({"pain_points": ["停机多\n漏检多"]}, "pain_points.0"),
        ({"pain_points": ["x" * (MAX_LINE_LENGTH + 1)]}, "pain_points.0"),
        ({"pain_points": ["停机"] * (MAX_ITEMS + 1)}, "pain_points"),
        ({"goals": ["提效\x1b[31m"]}, "goals.0"),
        ({"data_assets": ["记录\x7f"]}, "data_assets.0"),
        ({"constraints": {"notes": ["\x00"]}}, "constraints.notes.0"),
        ({"evidence": {"STR1": "规划\x00"}}, "evidence.STR1"),
        ({"evidence": {"STR1": "x" * (MAX_EVIDENCE_LENGTH + 1)}}, "evidence.STR1"),
        ({"answers": {"STR1": "x" * 100_000}}, "answers.STR1.option"),
        ({"answers": {"STR1": ["x"] * (MAX_ITEMS + 1)}}, "answers.STR1.options"),
    ],
)
def test_text_that_is_too_long_or_holds_control_characters_is_refused_naming_its_field(
    overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(_profile(**overrides))
    assert field in [p.split(":")[0] for p in caught.value.problems]
    # what was given is echoed cut short, never whole
    assert all(len(p) < 300 for p in caught.value.problems)


def test_a_control_character_is_named_by_its_code_point() -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(_profile(name="某某\x00公司"))
    assert "U+0000" in caught.value.problems[0]


def test_evidence_may_run_over_several_lines_and_text_may_hold_any_printable_character() -> None:
    profile = parse_profile(
        _profile(
            name="<script>alert(1)</script> & 某某 | 公司",
            pain_points=["停机\t多", "# 不是标题"],
            evidence={"STR1": "第一行\n第二行\r\n第三行"},
        )
    )
    assert profile.name == "<script>alert(1)</script> & 某某 | 公司"
    assert profile.evidence["STR1"] == "第一行\n第二行\r\n第三行"


def test_a_profile_stored_with_the_retired_defect_rate_still_loads_without_it() -> None:
    """defect_rate was counted as a given figure but no benefit used it (issue 21): stored profiles keep loading,
    whatever value they hold, and the figure is gone from the profile read back."""
    for stored in (0.028, 3):
        profile = parse_profile(_profile(baseline={"defect_rate": stored, "annual_quality_loss": 380}))
        assert profile.baseline.annual_quality_loss == 380
        assert "defect_rate" not in profile.baseline.model_dump()
        assert "defect_rate" not in type(profile.baseline).model_fields
