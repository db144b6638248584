from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wendao.engine.profile import ProfileError, above_designated_size, parse_profile, size_class


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
