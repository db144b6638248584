from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from wendao.engine import search
from wendao.engine.catalog import default_catalog
from wendao.engine.search import ScenarioSearch, SearchIndex
from wendao.engine.search_cache import JiebaFrequencies

SENTENCES = ["设备经常坏，维修全靠老师傅经验", "质检靠人眼看，漏检多", "库存积压严重，排产靠Excel", "能耗偏高电费贵"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("WENDAO_CACHE_DIR", str(tmp_path))
    return tmp_path / "embeddings"


def test_the_sorted_dictionary_segments_as_jiebas_own_dict_does() -> None:
    own = jieba.Tokenizer()
    own.initialize()
    ordered = sorted(own.FREQ.items())
    lean = jieba.Tokenizer()
    lean.FREQ = JiebaFrequencies([w for w, _ in ordered], [c for _, c in ordered])
    lean.total, lean.initialized = own.total, True
    for tokenizer in (own, lean):
        tokenizer.add_word("老师傅经验", freq=2000)  # an analyzer's own word, added in front of the shared lists
    assert lean.FREQ == own.FREQ
    for text in SENTENCES:
        assert lean.lcut_for_search(text) == own.lcut_for_search(text)
        assert lean.lcut(text) == own.lcut(text)


def test_a_copy_shares_the_dictionary_but_not_the_added_words() -> None:
    base = JiebaFrequencies(["设备", "质", "质检"], [9, 5, 3])  # sorted by code point
    copy = base.copy()
    copy["质检员"] = 2000
    assert "质检员" in copy
    assert "质检员" not in base
    assert copy.get("设备") == 9
    assert copy.get("没有") is None
    assert copy.get("没有", 1) == 1
    assert len(copy) == 4
    assert list(copy) == ["设备", "质", "质检", "质检员"]
    with pytest.raises(KeyError):
        base["没有"]


def test_a_second_index_reads_the_tokens_instead_of_segmenting_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ScenarioSearch(embeddings=False)
    assert len(list(cache.glob("tokens-scenarios-*.npz"))) == 1

    def refuse(self: SearchIndex) -> None:
        raise AssertionError("the tokens should have been read from the cache")

    monkeypatch.setattr(SearchIndex, "_tokenised", refuse)
    second = ScenarioSearch(embeddings=False)
    for text in SENTENCES:
        assert [(m.id, m.score, m.matched) for m in second.match(text)] == [
            (m.id, m.score, m.matched) for m in first.match(text)
        ]


def test_an_edited_scenario_is_segmented_again_never_served_stale(cache: Path) -> None:
    loaded = default_catalog()
    ScenarioSearch(loaded, embeddings=False)
    # what the web's catalog editor does: the scenarios come back from the database, one of them changed
    first = loaded.catalog.scenarios[0]
    edited = first.model_copy(update={"keywords_zh": [*first.keywords_zh, "榫卯排样"]})
    changed = loaded.catalog.model_copy(update={"scenarios": [edited, *loaded.catalog.scenarios[1:]]})
    index = ScenarioSearch(dataclasses.replace(loaded, catalog=changed), embeddings=False).index
    assert "榫卯排样" in index._doc_terms[0]
    assert len(list(cache.glob("tokens-scenarios-*.npz"))) == 2


def test_jieba_and_cp_sat_load_without_setuptools_and_pandas_which_stay_importable() -> None:
    code = (
        "import sys\n"
        "from wendao.engine.lean_imports import load_cp_model, load_jieba\n"
        "load_cp_model(); load_jieba()\n"
        "import jieba\n"
        "from ortools.sat.python import cp_model\n"
        "print('pandas' in sys.modules, 'pkg_resources' in sys.modules)\n"
        "m = cp_model.CpModel(); x = m.new_int_var(0, 7, 'x'); m.maximize(x)\n"
        "s = cp_model.CpSolver(); print(s.solve(m) == cp_model.OPTIMAL, s.value(x))\n"
        "print(jieba.lcut('设备维修'))\n"
        "import pandas\n"
        "print(pandas.Series([1, 2]).sum())\n"
    )
    # a fresh interpreter: in this one, other tests may have loaded pandas already
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert done.stdout.split("\n")[:4] == ["False False", "True 7", "['设备', '维修']", "3"]


def test_jiebas_dictionary_is_kept_sorted_under_a_name_of_its_own(cache: Path) -> None:
    search._jieba_dictionary.cache_clear()
    try:
        freq, total = search._jieba_dictionary()
        assert total > 0
        assert "设备" in freq
        assert [p.name.split("-")[0] for p in (cache.parent / "jieba").glob("*.npz")] == ["sorted"]
    finally:
        search._jieba_dictionary.cache_clear()


def test_a_text_read_again_gets_the_same_words_which_the_caller_may_change(cache: Path) -> None:
    analyzer = ScenarioSearch(embeddings=False).index.analyzer
    first = analyzer.words(SENTENCES[0])
    first.append("改动")
    assert analyzer.words(SENTENCES[0]) == first[:-1]
    assert "设备" in first
