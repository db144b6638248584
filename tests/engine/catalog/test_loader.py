from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from wendao.engine.catalog import CatalogError, catalog_summary, default_catalog, load_catalog, unsourced_numbers
from wendao.engine.catalog.loader import DEFAULT_DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def _edit_yaml(path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_bundled_catalog_has_the_40_miit_scenarios_and_at_least_12_ai_ones() -> None:
    counts = catalog_summary(default_catalog())["counts"]
    # the 40 scenarios of the MIIT guide; wendao's first-step projects (scenarios/foundation.yaml: cloud ERP,
    # MES-lite, equipment networking, a document Q&A pilot) are counted apart, though filed under MIIT families
    assert counts["scenarios_miit"] == 40
    assert counts["scenarios_foundation"] == 4
    assert counts["scenarios_ai"] >= 12
    assert counts["industries"] == 31
    assert counts["cities"] == 16
    assert counts["stages"] == 8
    assert counts["questions"] >= 30


def test_every_ai_scenario_belongs_to_a_miit_scenario() -> None:
    catalog = default_catalog().catalog
    miit = {s.id for s in catalog.scenarios if s.kind == "miit"}
    assert all(s.parent in miit for s in catalog.scenarios if s.kind == "ai")


def test_catalog_version_changes_when_the_data_changes(data_copy: Path) -> None:
    before = load_catalog(data_copy).version
    assert before == default_catalog().version
    (data_copy / "cities.yaml").write_text(
        (data_copy / "cities.yaml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )
    assert load_catalog(data_copy).version != before


def test_a_kpi_effect_without_source_or_estimate_is_rejected(data_copy: Path) -> None:
    path = data_copy / "scenarios" / "miit.yaml"

    def strip(data: dict) -> None:  # type: ignore[type-arg]
        effect = data["scenarios"][0]["kpi_effects"][0]
        for key in ("source", "as_of", "estimate"):
            effect.pop(key, None)

    _edit_yaml(path, strip)
    first_id = yaml.safe_load(path.read_text(encoding="utf-8"))["scenarios"][0]["id"]
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_copy)
    assert any("kpi_effects[0].low" in p and "without" in p for p in caught.value.problems)
    assert any(first_id in p or "scenarios[0]" in p for p in caught.value.problems)


def test_a_source_without_a_date_does_not_count_as_provenance(data_copy: Path) -> None:
    def undate(data: dict) -> None:  # type: ignore[type-arg]
        cost = data["scenarios"][0]["cost"]
        cost.pop("estimate", None)
        cost["source"] = "https://example.org/price-list"
        cost.pop("as_of", None)

    _edit_yaml(data_copy / "scenarios" / "ai.yaml", undate)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_copy)
    assert any(".cost." in p for p in caught.value.problems)


def test_a_number_under_an_unknown_key_is_still_caught() -> None:
    tree = {
        "scenarios": [
            {
                "id": "x",
                "source": "https://a",
                "as_of": "2025-01-01",
                "cost": {"small": {"one_off": {"low": 3, "high": 5}}},
            }
        ]
    }
    # a record-level source does not cover the numbers of a nested block
    assert list(unsourced_numbers(tree)) == [
        "scenarios[0].cost.small.one_off.low",
        "scenarios[0].cost.small.one_off.high",
    ]


def test_a_block_source_covers_numbers_two_levels_down() -> None:
    tree = {"cost": {"estimate": "quotes from three vendors", "small": {"one_off": {"low": 3, "high": 5}}}}
    assert list(unsourced_numbers(tree)) == []


def test_scoring_design_numbers_are_not_statistics() -> None:
    assert list(unsourced_numbers({"questions": [{"id": "Q1", "options": [{"id": "a", "score": 50}]}]})) == []


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    def break_two(data: dict) -> None:  # type: ignore[type-arg]
        data["scenarios"][0]["kpi_effects"][0]["metric"] = "no_such_metric"
        data["scenarios"][1]["stage"] = "no_such_stage"

    _edit_yaml(data_copy / "scenarios" / "miit.yaml", break_two)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_copy)
    text = "\n".join(caught.value.problems)
    assert "no_such_metric" in text
    assert "no_such_stage" in text


def test_a_prerequisite_cycle_is_rejected(data_copy: Path) -> None:
    def cycle(data: dict) -> None:  # type: ignore[type-arg]
        a, b = data["scenarios"][0], data["scenarios"][1]
        a["prerequisites"]["scenarios"] = [b["id"]]
        b["prerequisites"]["scenarios"] = [a["id"]]

    _edit_yaml(data_copy / "scenarios" / "miit.yaml", cycle)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_copy)
    assert any("cycle" in p for p in caught.value.problems)


def test_a_threshold_nested_in_a_rule_with_two_routes_is_sourced_by_its_policy() -> None:
    rule = {
        "all": [
            {"field": "a", "is_true": True},
            {
                "any": [
                    {"field": "b", "is_true": True},
                    {"all": [{"field": "item.one_off", "gte": 500}, {"field": "c", "is_true": True}]},
                ]
            },
        ]
    }
    sourced = {
        "policies": [{"id": "p", "source": "https://example.gov.cn/notice", "as_of": "2024-09-18", "eligibility": rule}]
    }
    assert list(unsourced_numbers(sourced)) == []
    bare = {"policies": [{"id": "p", "eligibility": rule}]}
    assert list(unsourced_numbers(bare)) == ["policies[0].eligibility.all[1].any[1].all[0].gte"]


def test_a_data_level_counts_only_for_a_project_needing_that_kind_of_data() -> None:
    provides = default_catalog().planning.provides
    # the quality projects' data is inspection records: no level for a fault model, the full level for traceability
    assert provides["quality_analysis_improvement"].level_for("data", ["equipment"]) == 0
    assert provides["quality_analysis_improvement"].level_for("data", ["quality"]) == 50
    assert provides["equipment_monitoring"].level_for("data", ["equipment"]) == 40
    assert provides["equipment_monitoring"].level_for("data", ()) == 40  # a minimum naming no kind takes any
    assert provides["equipment_monitoring"].level_for("equipment", ["business"]) == 50  # kinds are the data's only


def test_a_data_minimum_of_a_kind_no_project_reaches_is_rejected(data_copy: Path) -> None:
    def unreachable(data: dict) -> None:  # type: ignore[type-arg]
        first = data["scenarios"][0]
        first["prerequisites"]["maturity"]["data"] = 90
        first["prerequisites"]["data_kinds"] = ["energy"]

    _edit_yaml(data_copy / "scenarios" / "miit.yaml", unreachable)
    with pytest.raises(CatalogError) as caught:
        load_catalog(data_copy)
    assert any("no project provides data 90 of kinds ['energy']" in p for p in caught.value.problems)
