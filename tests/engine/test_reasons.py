from __future__ import annotations

import re

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.plan import Plan
from wendao.engine.reasons import TEXTS, Reason, Ref, legacy_reason, render_reason, with_names

LOADED = default_catalog()
SAMPLE_VALUES = {
    "quarters": 9,
    "memory_gb": 640,
    "examples": 50,
    "samples": 80,
    "minimum": 200,
    "cap": 100.0,
    "chance": 0.52,
    "lifted": 0.61,
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_every_reason_renders_in_both_languages_with_its_names_and_figures(code: str) -> None:
    refs = (
        Ref(kind="requirement", id="MES", name_zh="生产执行系统", name_en="a MES"),
        Ref(kind="scenario", id="equipment_monitoring", name_zh="设备运行监控", name_en="Equipment monitoring"),
    )
    reason = Reason(code=code, refs=refs, values=SAMPLE_VALUES)
    zh, en = render_reason(reason, "zh"), render_reason(reason, "en")
    assert zh
    assert en
    assert "{" not in zh + en
    assert not re.search(r"[\u4e00-\u9fff]", en)
    for text in (zh, en):
        assert "equipment_monitoring" not in text  # a reference is named, never written as its id


def test_the_optimiser_names_nothing_and_the_plan_fills_in_the_names() -> None:
    policy = LOADED.policies[0]
    reason = Reason(code="subsidy_cap", refs=(Ref(kind="policy", id=policy.id),), values={"cap": 100.0})
    named = with_names(reason, {("policy", policy.id): (policy.name_zh, policy.name_en)})
    assert render_reason(named, "zh") == f"政策“{policy.name_zh}”的补贴额度已用满"
    assert policy.id not in render_reason(named, "en")


def test_a_reason_stored_as_bilingual_text_renders_each_half() -> None:
    reason = legacy_reason("没有可检索的文档 / no documents to retrieve from")
    assert render_reason(reason, "zh") == "没有可检索的文档"
    assert render_reason(reason, "en") == "no documents to retrieve from"
    assert render_reason(legacy_reason("只有中文"), "en") == "只有中文"


def test_a_plan_stored_before_reasons_were_values_still_loads(stored: tuple[Plan, dict]) -> None:  # type: ignore[type-arg]
    plan, data = stored
    for x in data["excluded"]:
        del x["why"]
    for mr_json, mr in zip(data["model_routes"], plan.model_routes, strict=True):
        for r_json, r in zip(mr_json["advice"]["routes"], mr.advice.routes, strict=True):
            r_json["why_not"] = [f"{render_reason(w, 'zh')} / {render_reason(w, 'en')}" for w in r.why_not]
    again = Plan.model_validate(data)
    assert [(x.why, x.detail_zh) for x in again.excluded] == [(None, x.detail_zh) for x in plan.excluded]
    before = [render_reason(w, "en") for mr in plan.model_routes for r in mr.advice.routes for w in r.why_not]
    after = [render_reason(w, "en") for mr in again.model_routes for r in mr.advice.routes for w in r.why_not]
    assert before
    assert after == before


@pytest.fixture(scope="module")
def stored() -> tuple[Plan, dict]:  # type: ignore[type-arg]
    from datetime import date

    from tests.conftest import EXAMPLES
    from wendao.engine.plan import PlanOptions, build_plan
    from wendao.engine.profile import load_profile

    # on-premise only: the hosted routes carry reasons
    plan = build_plan(load_profile(EXAMPLES / "zibo_chemical.yaml"), LOADED, PlanOptions(as_of=date(2026, 11, 24)))
    assert any(x.why is not None for x in plan.excluded)
    return plan, plan.model_dump(mode="json")
