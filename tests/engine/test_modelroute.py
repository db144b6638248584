from __future__ import annotations

import pytest

from wendao.engine.catalog import default_catalog
from wendao.engine.modelroute import UseCase, advise_routes, kv_cache_gb

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
    assert any("样本" in w for w in lora.why_not)


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
