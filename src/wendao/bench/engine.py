"""`wendao bench engine --n 10000`: full plans (assessment, ranking, funding, roadmap; no rendering, no model
routes) for generated enterprises, on a process pool. Pain points are drawn from a fixed pool of phrases;
each phrase is matched once by the real search engine and the result is reused (as a server would cache
identical queries). The catalog is loaded before timing, as a server loads it at start, and each worker moves
it out of the cyclic collector's reach (``wendao.engine.runtime``). The same-run baseline is the assessment
alone, timed on every 10th enterprise."""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import random
import statistics
import time
from collections.abc import Sequence
from typing import Any

from wendao.engine.assessment import assess
from wendao.engine.catalog import default_catalog
from wendao.engine.plan import PlanOptions, build_plan
from wendao.engine.profile import parse_profile
from wendao.engine.runtime import settle_for_batch
from wendao.synthetic import pain_phrases, synthetic_profile


class CachedMatcher:
    """Answers need->scenario queries from precomputed results of the real search engine."""

    def __init__(self, table: dict[str, list[Any]]) -> None:
        self.table = table

    def match_many(self, texts: Sequence[str], top: int = 5, taxonomy: Any = "all") -> list[list[Any]]:
        return [self.table[t][:top] for t in texts]


_STATE: dict[str, Any] = {}
ASSESS_SAMPLE = 10  # the assessment-only baseline is timed on every 10th enterprise


def _init(table: dict[str, list[Any]]) -> None:
    _STATE["matcher"] = CachedMatcher(table)
    if "loaded" not in _STATE:  # loaded once in the parent and inherited by fork
        _STATE["loaded"] = default_catalog()
    # a long-lived worker: what is loaded now (modules, the catalog, the parent's search index inherited by
    # fork) stays for good; see wendao.engine.runtime
    settle_for_batch()


def _work(args: tuple[int, int]) -> tuple[list[float], list[float], int, dict[str, int], list[float]]:
    seed, count = args
    loaded = _STATE["loaded"]
    rng = random.Random(seed)
    plan_times: list[float] = []
    plan_cpu: list[float] = []  # the process's CPU time per plan, which a loaded machine distorts less than wall time
    assess_times: list[float] = []
    items = 0
    statuses: dict[str, int] = {}
    options = PlanOptions(with_routes=False)
    for k in range(count):
        data = synthetic_profile(loaded, rng, seed * 100000 + k)
        profile = parse_profile(data, loaded)
        if k % ASSESS_SAMPLE == 0:  # the baseline needs a sample, not every enterprise
            start = time.perf_counter()
            assess(profile.answers, loaded.questionnaire)
            assess_times.append(time.perf_counter() - start)
        start, cpu = time.perf_counter(), time.process_time()
        plan = build_plan(profile, loaded, options, _STATE["matcher"])
        plan_times.append(time.perf_counter() - start)
        plan_cpu.append(time.process_time() - cpu)
        items += len(plan.items)
        statuses[plan.roadmap_status] = statuses.get(plan.roadmap_status, 0) + 1
    return plan_times, assess_times, items, statuses, plan_cpu


TIMING_FIELDS = frozenset({"solve_seconds", "roadmap_solve_seconds"})


def _without_timing(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timing(v) for k, v in value.items() if k not in TIMING_FIELDS}
    if isinstance(value, list):
        return [_without_timing(v) for v in value]
    return value


def sample_plans(n: int = 300, seed: int = 7) -> list[dict[str, Any]]:
    """The plans of the bench's first ``n`` enterprises (the same seeds and matcher as ``run_engine_bench``), as
    JSON values without their timing fields, built in this process: a speed change must leave every one as it was
    (scripts/engine_same_plans.py compares two runs)."""
    from wendao.engine.search import ScenarioSearch

    search = ScenarioSearch()
    phrases = pain_phrases()
    matcher = CachedMatcher(
        dict(zip(phrases, search.match_many(phrases, top=len(search.index.documents)), strict=True))
    )
    loaded = default_catalog()
    options = PlanOptions(with_routes=False)
    chunk = 50
    out: list[dict[str, Any]] = []
    for i in range(-(-n // chunk)):
        job_seed = seed * 1000 + i
        rng = random.Random(job_seed)
        for k in range(min(chunk, n - i * chunk)):
            profile = parse_profile(synthetic_profile(loaded, rng, job_seed * 100000 + k), loaded)
            plan = build_plan(profile, loaded, options, matcher)
            out.append(_without_timing(plan.model_dump(mode="json")))
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 5)


def run_engine_bench(n: int = 10000, workers: int | None = None, seed: int = 7) -> dict[str, Any]:
    from wendao.engine.search import ScenarioSearch

    workers = workers or min(2, os.cpu_count() or 1)
    search = ScenarioSearch()
    phrases = pain_phrases()
    started = time.perf_counter()
    table = dict(zip(phrases, search.match_many(phrases, top=len(search.index.documents)), strict=True))
    match_seconds = time.perf_counter() - started
    chunk = 50
    jobs = [(seed * 1000 + i, min(chunk, n - i * chunk)) for i in range(-(-n // chunk))]
    ctx = mp.get_context("fork")
    _STATE["loaded"] = default_catalog()
    import ortools.sat.python.cp_model  # noqa: F401  (imported once here, as a server would at start)

    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    with ctx.Pool(workers, initializer=_init, initargs=(table,)) as pool:
        results = list(pool.imap_unordered(_work, jobs, chunksize=1))
    wall = time.perf_counter() - started
    plan_t = [t for r in results for t in r[0]]
    assess_t = [t for r in results for t in r[1]]
    cpu_t = [t for r in results for t in r[4]]
    statuses: dict[str, int] = {}
    for r in results:
        for k, v in r[3].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "benchmark": "engine",
        "n": n,
        "workers": workers,
        "wall_seconds": round(wall, 2),
        "plans_per_second": round(n / wall, 1),
        "per_plan_seconds": {
            "p50": _pct(plan_t, 0.5),
            "p95": _pct(plan_t, 0.95),
            "max": _pct(plan_t, 1.0),
            "mean": round(statistics.mean(plan_t), 5),
        },
        "per_plan_cpu_seconds": {
            "p50": _pct(cpu_t, 0.5),
            "p95": _pct(cpu_t, 0.95),
            "mean": round(statistics.mean(cpu_t), 5),
            "total": round(sum(cpu_t), 2),
        },
        "load_average_1min": {"before": load_before, "after": round(os.getloadavg()[0], 2)},
        "baseline_assessment_only_seconds": {
            "p50": _pct(assess_t, 0.5),
            "p95": _pct(assess_t, 0.95),
            "sampled": len(assess_t),
        },
        "ratio_plan_over_assessment_p50": round(_pct(plan_t, 0.5) / max(_pct(assess_t, 0.5), 1e-9), 1),
        "roadmap_statuses": statuses,
        "items_per_plan_mean": round(sum(r[2] for r in results) / n, 2),
        "pain_phrases": len(phrases),
        "pain_matching_seconds_once": round(match_seconds, 2),
        "target": "10000 plans in <= 60 s on 2 cores",
        "machine": {"python": platform.python_version(), "cpu": platform.machine(), "cores": os.cpu_count()},
    }
