"""Optional: a language model phrases an answer that engine/ask.py composed, and nothing more.

Off by default (and in CI). Point it at any OpenAI-compatible chat endpoint through the environment:

    WENDAO_LLM_URL    base URL of the API, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8000/v1
                      (vLLM serving Qwen or DeepSeek), or a hosted API's base URL
    WENDAO_LLM_MODEL  the model name the server knows (e.g. qwen2.5:7b-instruct in Ollama)
    WENDAO_LLM_KEY    the API key, if the server wants one (local servers usually do not)

The model receives the composed paragraphs and the figures, and is told to rewrite them without adding facts.
Its reply is shown only if every number in it is a number of the composed answer (the engine's figures);
otherwise, or when the server cannot be reached, the template answer is shown and ``phrased_by`` says why.
Sources and structured parts always stay the engine's.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

import httpx

from wendao.engine.ask import Answer

_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")
SYSTEM_ZH = (
    "你是问道平台的助手。把下面由系统根据企业数据生成的回答改写得更通顺、简洁，面向工厂老板。"
    "只能使用给出的事实和数字，不得增加任何数字、政策、案例或结论；保留每个数字原样；使用简体中文。"
)
SYSTEM_EN = (
    "You are wendao's assistant. Rewrite the answer below, composed by the system from the enterprise's data, to "
    "read clearly and briefly for a factory owner. Use only the facts and numbers given; add no number, policy, "
    "case or conclusion; keep every number exactly as written; answer in English."
)


@dataclass(frozen=True)
class LlmConfig:
    url: str
    model: str
    key: str = ""
    timeout_seconds: float = 20.0


def config_from_env() -> LlmConfig | None:
    url = os.environ.get("WENDAO_LLM_URL", "").strip()
    model = os.environ.get("WENDAO_LLM_MODEL", "").strip()
    if not url or not model:
        return None
    return LlmConfig(url=url.rstrip("/"), model=model, key=os.environ.get("WENDAO_LLM_KEY", "").strip())


def _numbers(text: str) -> set[str]:
    out = set()
    for raw in _NUMBER.findall(text):
        n = re.sub(r"[,，]", "", raw)
        out.add(n.rstrip("0").rstrip(".") if "." in n else n)
    return out


def unchecked_numbers(reply: str, answer: Answer) -> set[str]:
    """Numbers in the model's reply that are not numbers of the composed answer (its text and figures)."""
    allowed = _numbers(answer.text) | _numbers(answer.question)
    for f in answer.figures:
        allowed |= _numbers(str(f.value)) | _numbers(f.name)
    return _numbers(reply) - allowed


def phrase(answer: Answer, config: LlmConfig, client: httpx.Client | None = None) -> Answer:
    """The answer with its text rewritten by the model when every number checks; else the answer unchanged."""
    facts = {
        "question": answer.question,
        "answer": answer.paragraphs,
        "figures": [f.model_dump() for f in answer.figures],
    }
    body = {
        "model": config.model,
        "temperature": 0.2,
        "messages": [
            {"role": "system", "content": SYSTEM_EN if answer.language == "en" else SYSTEM_ZH},
            {"role": "user", "content": json.dumps(facts, ensure_ascii=False)},
        ],
    }
    headers = {"Authorization": f"Bearer {config.key}"} if config.key else {}
    try:
        http = client or httpx.Client(timeout=config.timeout_seconds)
        response = http.post(f"{config.url}/chat/completions", json=body, headers=headers)
        response.raise_for_status()
        reply = str(response.json()["choices"][0]["message"]["content"]).strip()
    except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
        return answer.model_copy(update={"phrased_by": f"template (model not reachable: {type(exc).__name__})"})
    extra = unchecked_numbers(reply, answer)
    if not reply or extra:
        why = "empty reply" if not reply else "numbers not in the facts: " + ", ".join(sorted(extra)[:5])
        return answer.model_copy(update={"phrased_by": f"template (model reply rejected: {why})"})
    return answer.model_copy(update={"text": reply, "phrased_by": config.model})


def phrase_from_env(answer: Answer) -> Answer:
    config = config_from_env()
    return answer if config is None else phrase(answer, config)
