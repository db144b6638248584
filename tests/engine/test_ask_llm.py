from __future__ import annotations

import json
import os

import httpx
import pytest

from wendao.engine.ask import AskContext, ask
from wendao.engine.ask_llm import LlmConfig, config_from_env, phrase, unchecked_numbers
from wendao.engine.catalog import default_catalog

CONFIG = LlmConfig(url="http://llm.test/v1", model="fake-qwen")


def _answer():  # type: ignore[no-untyped-def]
    return ask("How much will it cost and who pays?", AskContext(loaded=default_catalog()))


def _server(reply: str, seen: list[dict[str, object]]) -> httpx.Client:
    """A fake OpenAI-compatible server answering every chat request with ``reply``."""

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.url.path == "/v1/chat/completions"
        return httpx.Response(200, json={"choices": [{"message": {"role": "assistant", "content": reply}}]})

    return httpx.Client(transport=httpx.MockTransport(handle))


def test_a_reply_that_only_rewords_the_facts_is_shown() -> None:
    answer = _answer()
    seen: list[dict[str, object]] = []
    phrased = phrase(answer, CONFIG, _server("In short: build a plan first to see what it costs.", seen))
    assert phrased.text == "In short: build a plan first to see what it costs."
    assert phrased.phrased_by == "fake-qwen"
    assert phrased.sources == answer.sources  # the sources stay the engine's
    assert seen[0]["model"] == "fake-qwen"


def test_a_reply_with_a_number_the_engine_did_not_give_is_rejected() -> None:
    answer = _answer()
    phrased = phrase(answer, CONFIG, _server("It costs 1234 万元 and the province pays half.", []))
    assert phrased.text == answer.text
    assert "1234" in phrased.phrased_by


def test_an_unreachable_server_leaves_the_template_answer() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    answer = _answer()
    phrased = phrase(answer, CONFIG, httpx.Client(transport=httpx.MockTransport(down)))
    assert phrased.text == answer.text
    assert phrased.phrased_by.startswith("template (model not reachable")


def test_numbers_are_compared_without_thousands_separators() -> None:
    answer = _answer().model_copy(update={"text": "一次性投资 1,303 万元"})
    assert unchecked_numbers("一次性投资1303万元", answer) == set()
    assert unchecked_numbers("一次性投资1304万元", answer) == {"1304"}


def test_nothing_is_configured_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WENDAO_LLM_URL", raising=False)
    monkeypatch.delenv("WENDAO_LLM_MODEL", raising=False)
    assert config_from_env() is None


def _reachable(config: LlmConfig | None) -> bool:
    if config is None:
        return False
    try:
        return httpx.get(f"{config.url}/models", timeout=3).status_code < 500
    except httpx.HTTPError:
        return False


@pytest.mark.skipif(
    not _reachable(config_from_env()),
    reason="no OpenAI-compatible server reachable: set WENDAO_LLM_URL and WENDAO_LLM_MODEL "
    f"(now {os.environ.get('WENDAO_LLM_URL') or 'unset'}) to a local Ollama or vLLM to run this test",
)
def test_a_reachable_server_phrases_an_answer_whose_numbers_check() -> None:
    config = config_from_env()
    assert config is not None
    phrased = phrase(_answer(), config)
    # either the model's wording (every number checked) or the template with the reason it was refused
    assert phrased.phrased_by == config.model or phrased.phrased_by.startswith("template (model reply rejected")
    if phrased.phrased_by == config.model:
        assert unchecked_numbers(phrased.text, _answer()) == set()
