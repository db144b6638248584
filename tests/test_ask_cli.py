from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import run_cli

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "wendao" / "data" / "examples"


def _ask(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("ask", *args)


def test_ask_with_a_profile_answers_the_cost_question_from_its_plan_in_json() -> None:
    result = _ask("要花多少钱，谁来出钱？", "--profile", str(EXAMPLES / "weifang_machinery.yaml"), "--format", "json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["kind"] == "funding"
    assert answer["enterprise"] == "潍坊示例精密机械有限公司（虚构）"
    assert {f["name"] for f in answer["figures"]} >= {"一次性投资", "已计入补贴", "企业自筹"}
    assert any(s["kind"] == "plan" for s in answer["sources"])


def test_ask_without_a_profile_answers_in_the_questions_language() -> None:
    result = _ask("Has anyone like us done this? Any cases from similar firms?")
    assert result.returncode == 0, result.stderr
    assert "Published real cases" in result.stdout or "no published case" in result.stdout
    assert "Sources:" in result.stdout


def test_an_empty_question_is_refused_with_exit_code_1() -> None:
    result = _ask("  ")
    assert result.returncode == 1
    assert "请输入问题" in result.stderr
