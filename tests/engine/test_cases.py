from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from wendao.engine.cases import CASES_FILE, CasesError, case_coverage, load_cases, nearest_cases
from wendao.engine.catalog import LoadedCatalog, default_catalog


@pytest.fixture(scope="module")
def loaded() -> LoadedCatalog:
    return default_catalog()


def _write(tmp_path: Path, cases: list[dict[str, object]]) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump({"cases": cases}, allow_unicode=True), encoding="utf-8")
    return path


def _case(**over: object) -> dict[str, object]:
    case: dict[str, object] = {
        "id": "a_case",
        "enterprise_zh": "山东某机械企业",
        "enterprise_en": "A machinery firm in Shandong",
        "anonymous": True,
        "division": "C34",
        "size": "small",
        "province_zh": "山东",
        "place_en": "Shandong",
        "scenarios": ["online_inspection"],
        "done_zh": "上线视觉检测",
        "done_en": "vision inspection",
        "source": "https://example.org/case",
        "source_name_zh": "报道",
        "source_name_en": "a report",
        "as_of": "2025-01-01",
        "reliability": "media",
    }
    case.update(over)
    return case


def test_every_bundled_case_has_a_source_a_date_and_known_scenarios(loaded: LoadedCatalog) -> None:
    cases = load_cases(loaded)
    assert cases
    ids = {s.id for s in loaded.catalog.scenarios}
    for c in cases:
        assert c.source.startswith("http")
        assert c.as_of
        assert set(c.scenarios) <= ids
        assert len(c.outcomes_zh) == len(c.outcomes_en)
    assert CASES_FILE.name == "cases.yaml"


def test_a_case_without_a_source_is_refused(loaded: LoadedCatalog, tmp_path: Path) -> None:
    case = _case()
    del case["source"]
    with pytest.raises(CasesError) as err:
        load_cases(loaded, _write(tmp_path, [case]))
    assert any("a_case" in p and "source" in p for p in err.value.problems)


def test_a_case_naming_an_unknown_scenario_is_refused(loaded: LoadedCatalog, tmp_path: Path) -> None:
    with pytest.raises(CasesError) as err:
        load_cases(loaded, _write(tmp_path, [_case(scenarios=["made_up"])]))
    assert "unknown scenario 'made_up'" in err.value.problems[0]


def test_nearest_cases_prefer_the_same_scenario_then_division_then_size(loaded: LoadedCatalog, tmp_path: Path) -> None:
    cases = load_cases(
        loaded,
        _write(
            tmp_path,
            [
                _case(id="other_division", division="C26"),
                _case(id="same_division", division="C34", size="large"),
                _case(id="same_division_and_size", division="C34", size="small"),
                _case(id="other_scenario", scenarios=["energy_management"]),
                _case(id="ai_child", scenarios=["ai_visual_inspection_small_model"], division="C26"),
            ],
        ),
    )
    near = nearest_cases(cases, loaded, ["online_inspection"], "C3441", "small", top=5)
    assert [n.case.id for n in near] == ["same_division_and_size", "same_division", "other_division", "ai_child"]
    assert "同一场景大类" in near[-1].why_zh


def test_a_case_from_a_related_industry_comes_before_one_from_an_unrelated_one(
    loaded: LoadedCatalog, tmp_path: Path
) -> None:
    # a general-equipment maker (C34) is in the equipment group with special equipment (C35), not with food (C13)
    cases = load_cases(
        loaded,
        _write(
            tmp_path,
            [
                _case(id="food_firm", division="C13", as_of="2025-06-01"),
                _case(id="special_equipment_firm", division="C35", as_of="2024-01-01"),
            ],
        ),
    )
    near = nearest_cases(cases, loaded, ["online_inspection"], "C3441", "large", top=2)
    assert [n.case.id for n in near] == ["special_equipment_firm", "food_firm"]
    assert "相近行业" in near[0].why_zh
    assert "related industry" in near[0].why_en


def test_coverage_counts_cases_per_scenario_with_ai_cases_counting_for_their_parent(
    loaded: LoadedCatalog, tmp_path: Path
) -> None:
    cases = load_cases(loaded, _write(tmp_path, [_case(scenarios=["ai_visual_inspection_small_model"])]))
    coverage = case_coverage(cases, loaded)
    assert coverage["per_scenario"]["online_inspection"] == 1
    assert coverage["per_scenario"]["ai_visual_inspection_small_model"] == 1
    assert coverage["miit_scenarios_with_a_case"] == 1
    assert coverage["miit_scenarios"] == 40


def test_the_case_file_header_states_the_coverage_the_file_has(loaded: LoadedCatalog) -> None:
    """The header's coverage line is what a reader of the file sees first; it must not drift from the cases below."""
    header = "\n".join(line for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    stated = re.search(r"(\d+) of the (\d+) MIIT scenarios have a case(?:, (\d+) cases)?", header)
    assert stated, "the header of cases.yaml has no coverage line"
    coverage = case_coverage(load_cases(loaded), loaded)
    assert int(stated.group(1)) == coverage["miit_scenarios_with_a_case"]
    assert int(stated.group(2)) == coverage["miit_scenarios"]
    assert stated.group(3) is not None, "the coverage line gives no case count"
    assert int(stated.group(3)) == coverage["cases"]
