from __future__ import annotations

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.modelroute import Route, UseCase, advise_routes, finetune_memory_gb, gpu_hours_text, kv_cache_gb
from wendao.engine.reasons import render_reason

LOADED = default_catalog()


def _model(model_id: str):  # type: ignore[no-untyped-def]
    return next(m for m in LOADED.open_models if m.id == model_id)


def test_kv_cache_follows_layers_kv_heads_and_head_size() -> None:
    m = _model("qwen2_5_7b_instruct")
    per_token_bytes = 2 * m.layers * m.kv_heads * m.head_dim * 2
    assert kv_cache_gb(m, 1000) == pytest.approx(per_token_bytes * 1000 / 1e9)


def test_on_premise_rules_out_hosted_apis() -> None:
    advice = advise_routes(UseCase(task="document_qa", documents=300, on_premise=True), LOADED)
    hosted = [r for r in advice.routes if r.route in ("hosted_api", "rag_api")]
    assert hosted
    assert all(not r.usable for r in hosted)
    assert advice.recommended in ("rag_private", "lora", "full_finetune")


def test_document_qa_without_on_premise_prefers_cheap_retrieval_over_fine_tuning() -> None:
    advice = advise_routes(UseCase(task="document_qa", documents=500, requests_per_day=100), LOADED)
    assert advice.recommended == "rag_api"
    costs = {r.route: r.total_yuan.high for r in advice.routes if r.usable}
    assert costs["rag_api"] < costs["rag_private"]


def test_fine_tuning_needs_enough_examples() -> None:
    advice = advise_routes(UseCase(task="report_drafting", training_examples=50), LOADED)
    lora = next(r for r in advice.routes if r.route == "lora")
    assert not lora.usable
    assert [w.code for w in lora.why_not] == ["too_few_examples"]
    assert render_reason(lora.why_not[0], "zh") == "标注样本 50 条，微调至少需要 200 条高质量样本"
    assert render_reason(lora.why_not[0], "en") == "50 labelled examples; fine-tuning needs at least 200 good examples"


def test_training_compute_is_six_n_d() -> None:
    uc = UseCase(task="report_drafting", training_examples=1000, tokens_per_example=1000, quality="basic")
    lora = next(r for r in advise_routes(uc, LOADED).routes if r.route == "lora")
    model = _model("qwen2_5_7b_instruct")
    tokens = 1000 * 1000 * LOADED.modelroute.training.epochs
    assert lora.training_flops == pytest.approx(6 * model.params_b * 1e9 * tokens)
    assert lora.training_gpu_hours is not None
    assert lora.training_gpu_hours > 0


def test_visual_inspection_goes_to_a_small_vision_model() -> None:
    advice = advise_routes(UseCase(task="visual_inspection", images=3000, on_premise=True), LOADED)
    assert advice.recommended == "small_task_model"
    assert advice.routes[0].workings


# LLaMA-Factory README, "Hardware Requirement" (read 2026-12-06): GB per method at 7B, 14B, 30B, 70B
PUBLISHED = {
    "qlora_4bit": {7: 6, 14: 12, 30: 24, 70: 48},
    "lora_16bit": {7: 16, 14: 32, 30: 64, 70: 160},
    "full_amp": {7: 120, 14: 240, 30: 600, 70: 1200},
}
SIZES = {7: "qwen2_5_7b_instruct", 14: "qwen2_5_14b_instruct", 30: "qwen2_5_32b_instruct", 70: "qwen2_5_72b_instruct"}


@pytest.mark.parametrize("method", sorted(PUBLISHED))
@pytest.mark.parametrize("column", sorted(SIZES))
def test_fine_tuning_memory_is_within_30_percent_of_the_llama_factory_table(method: str, column: int) -> None:
    model = _model(SIZES[column])  # 7.6B, 14.8B, 32.8B and 72.7B against the 7B, 14B, 30B and 70B columns
    published = PUBLISHED[method][column]
    assert finetune_memory_gb(LOADED, method, model.params_b) == pytest.approx(published, rel=0.30)


def test_the_lora_route_trains_with_the_table_memory_not_the_x_over_2_rule() -> None:
    uc = UseCase(task="report_drafting", training_examples=1000, quality="basic")
    lora = next(r for r in advise_routes(uc, LOADED).routes if r.route == "lora")
    assert any("memory 7 GB (qlora_4bit" in w for w in lora.workings)  # 6 GB at 7B, 12 GB at 14B: 6.5 at 7.6B


def test_gpu_hours_never_read_zero() -> None:
    assert gpu_hours_text(0.004) == "<0.1 GPU·小时"
    assert gpu_hours_text(0.28, "en") == "0.3 GPU-hours"
    assert gpu_hours_text(1234.0) == "1,234 GPU·小时"
    uc = UseCase(task="report_drafting", training_examples=200, tokens_per_example=100, quality="basic")
    for r in advise_routes(uc, LOADED).routes:
        assert r.training_gpu_hours is None or r.training_gpu_hours > 0
        assert not any("0.00 GPU" in w for w in r.workings), r.workings


def test_a_vision_route_runs_on_a_box_by_the_line_priced_in_wan_yuan_with_its_method() -> None:
    advice = advise_routes(UseCase(task="visual_inspection", images=2000), LOADED)
    assert [r.route for r in advice.routes] == ["small_task_model"]  # never an LLM API for images
    route = advice.routes[0]
    edge = LOADED.modelroute.edge_hardware
    assert edge is not None
    assert edge.estimate
    assert route.hardware == edge.name_zh
    assert route.gpu_memory_gb == LOADED.modelroute.vision.inference_memory_gb
    assert route.one_off_yuan.low >= edge.price_low * 1e4
    assert route.monthly_yuan.high == 0


def test_advice_stored_with_bilingual_reason_strings_still_loads_and_renders_per_language() -> None:
    route = advise_routes(UseCase(task="report_drafting", training_examples=50), LOADED).routes[0]
    data = route.model_dump(mode="json")
    data["why_not"] = ["没有可检索的文档 / no documents to retrieve from"]
    again = Route.model_validate(data)
    assert render_reason(again.why_not[0], "zh") == "没有可检索的文档"
    assert render_reason(again.why_not[0], "en") == "no documents to retrieve from"


def test_a_plan_gives_vision_items_vision_routes_and_says_which_items_need_no_model() -> None:
    from datetime import date

    from tests.conftest import EXAMPLES
    from wendao.engine.plan import PlanOptions, build_plan
    from wendao.engine.profile import load_profile

    plan = build_plan(load_profile(EXAMPLES / "weifang_machinery.yaml"), LOADED, PlanOptions(as_of=date(2026, 11, 24)))
    hints = {s.id: s.model_route for s in LOADED.catalog.scenarios}
    routed = {mr.scenario: {r.route for r in mr.advice.routes} for mr in plan.model_routes}
    assert routed["online_inspection"] == {"small_task_model"}  # inline inspection: never a cloud LLM API
    free = {m.scenario for m in plan.model_free}
    assert hints["human_robot_collaboration"] == "none"  # cobots: the vendor's vision, nothing to train
    assert "mes_lite_production_reporting" in free  # software bought ready
    assert free.isdisjoint(routed)
    assert free | set(routed) == {i.scenario for i in plan.items}
    assert all(hints[s] in ("none", "optimisation_solver") for s in free)
