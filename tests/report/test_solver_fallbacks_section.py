"""The documents state every fallback of the roadmap's solver where they show its status (issue 13), in the
reader's language: a plan whose model with the lifts hits a forced time limit, and a plan whose only item is a
foundation step chosen by rule."""

from __future__ import annotations

import html
import io
from functools import cache

import docx
import pytest

from tests.conftest import EXAMPLES, REPO
from wendao.engine import roadmap
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile
from wendao.engine.roadmap_model import Offer
from wendao.report import DocumentFormat, render

LOADED = default_catalog()
TINY = REPO / "tests" / "data" / "profiles" / "tiny_budget_workshop.yaml"
RAW = ("OPTIMAL", "FEASIBLE", "UNKNOWN", "INFEASIBLE", "without_lifts", "first_step", "lift")


def _weifang_with_the_lifted_model_out_of_time(monkeypatch: pytest.MonkeyPatch) -> Plan:
    real = roadmap.solve_model

    def solve(offer: Offer) -> tuple[str, dict[str, int]]:
        if offer.lifts:  # the model with the lifts gets no time; the one without keeps its limit
            settings = offer.problem.settings.model_copy(update={"time_limit_seconds": 1e-9})
            offer.problem = offer.problem.model_copy(update={"settings": settings})
        return real(offer)

    monkeypatch.setattr(roadmap, "solve_model", solve)
    return build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), LOADED, PlanOptions())


@cache
def _tiny() -> Plan:
    return build_plan(load_profile(TINY), LOADED, PlanOptions())


def _text(plan: Plan, fmt: DocumentFormat, lang: str) -> str:
    """The document as text (HTML unescaped)."""
    if fmt == "docx":
        return "\n".join(p.text for p in docx.Document(io.BytesIO(render(plan, fmt, lang))).paragraphs)
    return html.unescape(render(plan, fmt, lang).decode("utf-8"))


def test_a_plan_solved_without_the_lifts_says_so_in_every_document_and_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = _weifang_with_the_lifted_model_out_of_time(monkeypatch)
    kinds = [f.kind for f in plan.roadmap_fallbacks]
    assert kinds == ["without_lifts"]
    fallback = plan.roadmap_fallbacks[0]
    # the plan says it is not proven optimal, and why
    assert plan.roadmap_status == "FEASIBLE"
    for fmt in ("md", "html", "docx"):
        zh = _text(plan, fmt, "zh")
        assert fallback.note_zh in zh
        if fmt != "docx":  # Word shows no status line, only the fallback
            assert "可行方案（求解时限内未证明最优）" in zh
        for word in RAW:
            assert word not in zh, (fmt, word)
        assert fallback.note_en in _text(plan, fmt, "en")


def test_a_plan_whose_only_item_is_a_foundation_step_says_it_is_not_the_optimisers_result() -> None:
    plan = _tiny()
    assert len(plan.items) == 1
    (fallback,) = plan.roadmap_fallbacks
    assert fallback.kind == "first_step"
    # the optimiser proved the empty plan best; the item is the rule's, and the status does not claim a time limit
    assert plan.roadmap_status == "OPTIMAL"
    zh = _text(plan, "html", "zh")
    assert "不是优化结果" in zh
    assert "求解时限内未证明最优" not in zh
    en = _text(plan, "md", "en")
    assert "not the optimiser's result" in en


def test_a_plan_solved_in_time_states_no_fallback() -> None:
    plan = build_plan(load_profile(EXAMPLES / "zibo_chemical.yaml"), LOADED, PlanOptions())
    assert plan.roadmap_fallbacks == []
    assert "solver-fallback" not in render(plan, "html", "zh").decode("utf-8")
