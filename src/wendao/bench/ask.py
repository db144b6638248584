"""`wendao bench ask`: are participants' questions routed to the right kind of answer, and how fast?

Each question of bench/ask_questions.yaml (or another file of the same shape) is asked for both bundled example
enterprises (Weifang machinery, Zibo chemicals), with their plans, as in the web box. Measured: the share routed
to the expected kind (overall and by script: simplified, traditional, Latin), and the answer time per question
after start-up (catalog, scenario search with embeddings and the two plans built first; no language model).

A HELD-OUT share is measured beside it on bench/heldout_ask.yaml: real questions published by others (policy Q&A
pages, articles and interviews for factory owners, each with its page), collected after the cues were written and
never used to change them.

FIRST ASK (``first_ask``): a participant's first question to a freshly started server. Each variant is a new
process started the way the web server starts (catalog and need matcher built), timed from inside: start-up,
the warm-up (``prepare_ask``, what `wendao serve` / `wendao demo` run before forking), then the first question.
``cold_cache_no_warmup`` is how it was before the warm-up (the first question embedded the router's examples),
``cold_cache_warmup`` the same with the warm-up at start-up (an empty embedding cache: after an install or a
change of the examples), ``warm_cache_warmup`` every later start (the examples read from the cache).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from wendao.engine.ask import KINDS, AskContext, ask
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import build_plan
from wendao.engine.profile import load_profile
from wendao.engine.search import ScenarioSearch, script_of

QUESTIONS = Path(__file__).resolve().parent / "ask_questions.yaml"
HELD_OUT = Path(__file__).resolve().parent / "heldout_ask.yaml"
# a second held-out set, written down before the router was reworked to generalise (same rules as the first)
HELD_OUT_2 = Path(__file__).resolve().parent / "heldout_ask_2.yaml"
EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"
ENTERPRISES = ("weifang_machinery", "zibo_chemical")
# the first question, asked without a plan (the first ask of a fresh process is about the router)
FIRST_QUESTION = "我们的生产线自动化程度已经不低，下一步怎么用人工智能真正提效、降本？"

FIRST_ASK = """
import json, sys, time
start = time.perf_counter()
from wendao.engine.ask import AskContext, ask, prepare_ask
from wendao.engine.catalog import default_catalog
from wendao.engine.search import ScenarioSearch
loaded = default_catalog()
search = ScenarioSearch(loaded)
ready = time.perf_counter()
if sys.argv[1] == "warm":
    prepare_ask(search)
prepared = time.perf_counter()
answer = ask(sys.argv[2], AskContext(loaded=loaded, search=search))
done = time.perf_counter()
print(json.dumps({"startup_s": round(ready - start, 2), "warmup_s": round(prepared - ready, 2),
                  "first_ask_ms": round((done - prepared) * 1000, 1), "kind": answer.kind}))
"""


class QuestionsError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_questions(path: Path) -> list[dict[str, str]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionsError([f"{path}: cannot read ({exc})"]) from None
    rows = raw.get("questions") or []
    problems = [
        f"question {i}: expected {{q, kind}} with kind one of {', '.join(KINDS)}"
        for i, r in enumerate(rows, 1)
        if not isinstance(r, dict) or not str(r.get("q", "")).strip() or r.get("kind") not in KINDS
    ]
    if not rows:
        problems.append(f"{path}: no questions")
    if problems:
        raise QuestionsError(problems)
    return [{"q": str(r["q"]), "kind": str(r["kind"])} for r in rows]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _routing(rows: list[dict[str, str]], contexts: dict[str, AskContext]) -> dict[str, Any]:
    """Share of answers routed to the expected kind (each question asked for every example enterprise)."""
    by_script: dict[str, list[bool]] = {}
    wrong = []
    for row in rows:
        for name, ctx in contexts.items():
            got = ask(row["q"], ctx).kind
            by_script.setdefault(script_of(row["q"]), []).append(got == row["kind"])
            if got != row["kind"]:
                wrong.append({"question": row["q"], "enterprise": name, "expected": row["kind"], "got": got})
    routed = [ok for oks in by_script.values() for ok in oks]
    return {
        "questions": len(rows),
        "answers": len(routed),
        "routed": round(sum(routed) / len(routed), 4) if routed else None,
        "routed_by_script": {
            k: {"n": len(v), "routed": round(sum(v) / len(v), 4)} for k, v in sorted(by_script.items())
        },
        "misrouted": wrong,
    }


def _first_ask_once(warm: bool, cache: Path) -> dict[str, Any]:
    env = {**os.environ, "WENDAO_CACHE_DIR": str(cache), "WENDAO_EMBED_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", FIRST_ASK, "warm" if warm else "cold", FIRST_QUESTION],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"first-ask process failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def first_ask() -> dict[str, Any]:
    """A fresh process's first question, without and with the start-up warm-up (see the module docstring)."""
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="wendao-first-ask-") as tmp:
        before = _first_ask_once(False, Path(tmp) / "cold-1")
        cold_warm = _first_ask_once(True, Path(tmp) / "cold-2")
        warm_cache = _first_ask_once(True, Path(tmp) / "cold-2")  # the cache the previous process wrote
    return {
        "question": FIRST_QUESTION,
        "cold_cache_no_warmup": before,
        "cold_cache_warmup": cold_warm,
        "warm_cache_warmup": warm_cache,
        "load_average": {"start": [round(x, 2) for x in load_start], "end": [round(x, 2) for x in os.getloadavg()]},
    }


def run_ask_bench(
    questions: Path = QUESTIONS,
    held_out: Path | None = HELD_OUT,
    held_out_2: Path | None = HELD_OUT_2,
    measure_first_ask: bool = True,
) -> dict[str, Any]:
    rows = read_questions(questions)
    held_rows = read_questions(held_out) if held_out is not None else []
    held_rows_2 = read_questions(held_out_2) if held_out_2 is not None else []
    # as the web server answers (web/launch.py): one embedding thread per query, measured faster on a busy machine
    os.environ.setdefault("WENDAO_EMBED_THREADS", "1")
    start = time.perf_counter()
    loaded = default_catalog()
    search = ScenarioSearch(loaded)
    contexts = {}
    for name in ENTERPRISES:
        profile = load_profile(EXAMPLES / f"{name}.yaml")
        contexts[name] = AskContext(
            loaded=loaded, search=search, profile=profile, plan=build_plan(profile, loaded, None, search)
        )
    startup = time.perf_counter() - start
    ask("预热", contexts[ENTERPRISES[0]])  # first call loads OpenCC and jieba's caches: start-up, not answer time
    timings: list[float] = []
    by_script: dict[str, list[bool]] = {}
    by_kind: dict[str, list[bool]] = {}
    wrong = []
    for row in rows:
        for name, ctx in contexts.items():
            t = time.perf_counter()
            answer = ask(row["q"], ctx)
            timings.append(time.perf_counter() - t)
            ok = answer.kind == row["kind"]
            by_script.setdefault(script_of(row["q"]), []).append(ok)
            by_kind.setdefault(row["kind"], []).append(ok)
            if not ok:
                wrong.append({"question": row["q"], "enterprise": name, "expected": row["kind"], "got": answer.kind})
    routed = [ok for oks in by_kind.values() for ok in oks]
    ms = [t * 1000 for t in timings]
    return {
        "benchmark": "ask",
        "questions_file": str(questions),
        "questions": len(rows),
        "answers": len(routed),
        "enterprises": list(ENTERPRISES),
        "catalog_version": loaded.version,
        "embeddings": search.uses_embeddings,
        "language_model": None,
        "target_routed": 0.95,
        "target_p95_ms": 1000,
        "routed": round(sum(routed) / len(routed), 4),
        "routed_by_script": {
            k: {"n": len(v), "routed": round(sum(v) / len(v), 4)} for k, v in sorted(by_script.items())
        },
        "routed_by_kind": {k: {"n": len(v), "routed": round(sum(v) / len(v), 4)} for k, v in by_kind.items()},
        "answer_ms": {
            "p50": round(statistics.median(ms), 1),
            "p95": round(_percentile(ms, 0.95), 1),
            "max": round(max(ms), 1),
        },
        "startup_seconds": round(startup, 2),
        "first_ask": first_ask() if measure_first_ask else None,
        "misrouted": wrong,
        "held_out": {
            "note": "real published questions collected after the cues were written, never used to change them",
            "questions_file": str(held_out),
            **_routing(held_rows, contexts),
        }
        if held_rows
        else None,
        "held_out_2": {
            "note": "real published questions written down before the router rework, never used to change it",
            "questions_file": str(held_out_2),
            **_routing(held_rows_2, contexts),
        }
        if held_rows_2
        else None,
        "machine": {"python": platform.python_version(), "cpu": platform.machine()},
    }
