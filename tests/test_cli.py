"""The CLI through its real console script (subprocess), checking the JSON contracts and exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES
from wendao.engine.catalog.loader import DEFAULT_DATA_DIR

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def run(wendao: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([wendao, *args], capture_output=True, text=True, input=stdin, timeout=300)


def test_there_are_at_least_three_example_profiles() -> None:
    assert len(EXAMPLE_FILES) >= 3


def test_catalog_check_reports_counts_as_json(wendao: str) -> None:
    result = run(wendao, "catalog", "check", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["ok"] is True
    assert data["counts"]["scenarios_miit"] == 40


def test_catalog_check_fails_on_an_unsourced_number(wendao: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    path = data_dir / "scenarios" / "ai.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("source", "as_of", "estimate"):
        data["scenarios"][0]["duration"].pop(key, None)
    data["scenarios"][0]["duration"]["team_size"] = 4
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run(wendao, "catalog", "check", "--data", str(data_dir))
    assert result.returncode == 1
    assert "duration.team_size" in result.stderr


@pytest.mark.parametrize("profile", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_assess_gives_dimensions_levels_and_gaps_for_each_example(wendao: str, profile: Path) -> None:
    result = run(wendao, "assess", str(profile), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"dimensions", "overall", "levels", "gaps", "size_class"} <= set(data)
    assert all({"id", "name_zh", "name_en", "score"} <= set(d) for d in data["dimensions"])
    assert {lv["scale"] for lv in data["levels"]} == {"miit_sme", "cmmm"}


def test_the_examples_differ_in_maturity(wendao: str) -> None:
    overall = [json.loads(run(wendao, "assess", str(p), "--format", "json").stdout)["overall"] for p in EXAMPLE_FILES]
    assert max(overall) - min(overall) >= 25


def test_assess_lists_every_answer_problem_and_exits_1(wendao: str, tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE_FILES[0].read_text(encoding="utf-8"))
    answers = data["answers"]
    first, second = list(answers)[:2]
    del answers[first]
    answers[second] = "not-an-option"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run(wendao, "assess", str(bad), "--format", "json")
    assert result.returncode == 1
    assert f"{first}: given (missing)" in result.stderr
    assert f"{second}: given 'not-an-option'" in result.stderr


def test_assess_names_an_unknown_city_and_industry(wendao: str, tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE_FILES[0].read_text(encoding="utf-8"))
    data["city"] = "Gotham"
    data["industry"] = "C99"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(wendao, "assess", str(bad))
    assert result.returncode == 1
    assert "city:" in result.stderr
    assert "industry:" in result.stderr


def test_assess_reports_a_missing_file_as_a_user_error(wendao: str, tmp_path: Path) -> None:
    result = run(wendao, "assess", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "not found" in result.stderr


def test_scenarios_match_batch_writes_one_json_object_per_line(wendao: str, tmp_path: Path) -> None:
    texts = ["焊缝外观靠人工目检，漏检多", "空压机电费太高", "客户投诉回复慢"]
    batch = tmp_path / "needs.txt"
    batch.write_text("\n".join(texts) + "\n", encoding="utf-8")
    result = run(wendao, "scenarios", "match", "--batch", str(batch), "--top", "2")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == texts
    for line in lines:
        assert len(line["matches"]) == 2
        assert set(line["matches"][0]) == {"id", "name_zh", "score"}


def test_scenarios_match_text_as_json(wendao: str) -> None:
    result = run(wendao, "scenarios", "match", "仓库找料难，库存不准", "--top", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["matches"]) == 3
    assert "仓储智能管理" in [m["name_zh"] for m in data["matches"]]


def test_scenarios_match_without_text_or_batch_is_a_usage_error(wendao: str) -> None:
    assert run(wendao, "scenarios", "match").returncode == 2
    assert run(wendao, "scenarios", "match", "--top", "0", "x").returncode == 2


def test_examples_prints_each_example_enterprise(wendao: str) -> None:
    result = run(wendao, "examples")
    assert result.returncode == 0, result.stderr
    for path in EXAMPLE_FILES:
        name = yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
        assert name in result.stdout


@pytest.mark.parametrize("profile", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_plan_gives_a_complete_json_plan_for_each_example(wendao: str, profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run(wendao, "plan", str(profile), "--format", "json", "-o", str(out), "--no-search")
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == "wendao.plan/2"
    for key in ("assessment", "scenarios", "items", "excluded", "money", "cash_flow", "model_routes", "sources"):
        assert key in data


def test_plan_renders_markdown_in_chinese(wendao: str) -> None:
    result = run(wendao, "plan", str(EXAMPLE_FILES[0]), "--format", "md", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "## 路线图" in result.stdout
    assert "## 来源" in result.stdout


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d.update(budget=-5), "budget"),
        (lambda d: d.update(city="Atlantis"), "city"),
        (lambda d: d.update(industry="C77"), "industry"),
        (lambda d: d.pop("baseline"), "baseline"),
    ],
    ids=["negative-budget", "unknown-city", "unknown-industry", "missing-baseline"],
)
def test_plan_rejects_a_bad_profile_naming_the_field(wendao: str, tmp_path: Path, edit, field: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(EXAMPLE_FILES[0].read_text(encoding="utf-8"))
    edit(data)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run(wendao, "plan", str(bad), "--format", "json", "--no-search")
    assert result.returncode == 1
    assert f"{field}:" in result.stderr


def test_model_route_ranks_routes_as_json(wendao: str) -> None:
    result = run(wendao, "model-route", str(EXAMPLES / "use_cases" / "onprem_quality_reports.yaml"), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["recommended"] in ("rag_private", "lora")
    assert all(not r["usable"] for r in data["routes"] if r["route"] in ("hosted_api", "rag_api"))


def test_model_route_names_a_bad_field(wendao: str, tmp_path: Path) -> None:
    spec = tmp_path / "uc.yaml"
    spec.write_text("task: telepathy\nrequests_per_day: -1\n", encoding="utf-8")
    result = run(wendao, "model-route", str(spec))
    assert result.returncode == 1
    assert "task:" in result.stderr
    assert "requests_per_day:" in result.stderr


def test_model_route_speaks_english_when_asked(wendao: str) -> None:
    spec = EXAMPLES / "use_cases" / "onprem_quality_reports.yaml"
    result = run(wendao, "model-route", str(spec), "--lang", "en")
    assert result.returncode == 0, result.stderr
    name = yaml.safe_load(spec.read_text(encoding="utf-8"))["name"]
    # apart from the use case's own name, the 元 and 万元 units and quoted sources, no Chinese
    text = result.stdout.replace(name, "").replace("万元", "").replace("元", "")
    # cited sources may quote a seller's own name in parentheses: drop parenthesised text, innermost first
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\([^()]*\)", "", text)
    assert not re.search(r"[\u4e00-\u9fff]", text), text
    assert "one-off" in text
    assert "total cost over" in text
    assert "not quotations" in text
    assert "usable" in text


def test_model_route_refuses_an_unknown_language(wendao: str) -> None:
    result = run(wendao, "model-route", str(EXAMPLES / "use_cases" / "weld_inspection.yaml"), "--lang", "fr")
    assert result.returncode == 2
    assert "--lang must be zh or en" in result.stderr
