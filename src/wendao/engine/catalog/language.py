"""Whether the catalog's citations read in each document language (`wendao catalog check` warns, a test holds
the bundled catalog to it).

A plan's sources appendix prints, for every figure it uses, the citation of the catalog block the figure comes
from: a Chinese document ``source_zh`` (else ``source``), an English one ``source_en`` (else ``source``) and, for
an estimate, its method (``estimate``, written in English; the Chinese document prints a fixed Chinese note in
its place, ``report.labels.Labels.source_cell``). A text a Chinese reader reads must be mostly Chinese once its
web addresses and the titles it cites in 《》 (kept as published) are set aside; a text an English reader reads
must hold no Chinese character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wendao.engine.catalog.loader import LoadedCatalog

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_SET_ASIDE = re.compile(r"https?://\S+|《[^》]*》")
# Chinese characters among the characters and Latin words left (a word counts as one, as a character does in
# Chinese): below it, "Deloitte (2017) as cited at …" reads as English; authors' names and a publisher's name in a
# Chinese citation stay above it
CHINESE_SHARE = 0.5


_ENGLISH_PHRASE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+){2,}")  # "read in repost": names are one or two words


def reads_as_chinese(text: str) -> bool:
    """Mostly Chinese once URLs and 《titles》 are set aside, with no English phrase of three words or more left
    ("repost quoting MIIT"); a bare address (nothing left) reads in any language."""
    rest = _SET_ASIDE.sub("", text)
    if _ENGLISH_PHRASE.search(rest):
        return False
    cjk, latin = len(_CJK.findall(rest)), len(_LATIN_WORD.findall(rest))
    return cjk + latin == 0 or cjk / (cjk + latin) >= CHINESE_SHARE


def reads_as_english(text: str) -> bool:
    return _CJK.search(text) is None


def cited_blocks(loaded: LoadedCatalog) -> Iterator[tuple[str, Any]]:
    """Every block whose provenance a plan's sources appendix can print (``engine.plan._sources``)."""
    for s in loaded.catalog.scenarios:
        for k in s.kpi_effects:
            yield f"scenario {s.id} kpi {k.metric}", k
        yield f"scenario {s.id} cost", s.cost
        yield f"scenario {s.id} duration", s.duration
    for p in loaded.policies:
        yield f"policy {p.id} award", p.award
    yield "prices lpr_1y", loaded.prices.lpr_1y
    for d in loaded.baseline_defaults:
        yield f"baseline default {d.figure} {d.applies_to}", d


def language_problems(loaded: LoadedCatalog) -> list[str]:
    """Each citation or method that would print in the wrong language, with where it is and what to add."""
    out = []
    for where, block in cited_blocks(loaded):
        source, estimate = block.source, block.estimate
        zh, en = block.source_zh or source, block.source_en or source
        if zh and not reads_as_chinese(zh):
            out.append(f"{where}: the citation is not Chinese; add source_zh (titles and URLs as published)")
        if en and not reads_as_english(en):
            out.append(f"{where}: the citation holds Chinese; add source_en")
        if estimate and not source and not reads_as_english(estimate):
            out.append(f"{where}: the estimate's method holds Chinese (English documents print it)")
    return out
