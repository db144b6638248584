from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from wendao.bench.ask import QUESTIONS, read_questions
from wendao.engine.ask import KINDS


def test_the_bundled_questions_cover_every_kind_in_three_scripts() -> None:
    from wendao.engine.search import script_of

    rows = read_questions(QUESTIONS)
    assert {r["kind"] for r in rows} == set(KINDS)
    for kind in KINDS:
        scripts = {script_of(r["q"]) for r in rows if r["kind"] == kind}
        assert scripts == {"simplified", "traditional", "latin"}, kind


def test_bench_ask_rejects_a_question_without_a_known_kind(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text("questions:\n  - q: 要花多少钱？\n    kind: money\n", encoding="utf-8")
    result = run_cli("bench", "ask", "--questions", str(questions))
    assert result.returncode == 1
    assert "question 1" in result.stderr


def test_the_held_out_questions_are_published_ones_not_in_the_tuning_set() -> None:
    import yaml

    from wendao.bench.ask import HELD_OUT

    raw = yaml.safe_load(HELD_OUT.read_text(encoding="utf-8"))["questions"]
    rows = read_questions(HELD_OUT)
    assert len(rows) == len(raw) >= 15
    assert all(str(r["source"]).startswith("http") for r in raw)
    tuning = {r["q"] for r in read_questions(QUESTIONS)}
    assert not tuning & {r["q"] for r in rows}
