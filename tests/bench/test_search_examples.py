from __future__ import annotations

import dataclasses

import pytest

from tests.conftest import require_dev_cases
from wendao.bench.search_examples import (
    Row,
    _same_source,
    development_rows,
    example_corpus,
    held_out_keys,
    page_key,
    text_key,
)
from wendao.engine.cases import cases_for
from wendao.engine.search import ScenarioSearch


@pytest.fixture(scope="module")
def lexical_search() -> ScenarioSearch:
    return ScenarioSearch(embeddings=False)


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    return development_rows(require_dev_cases())


def test_a_page_read_twice_is_one_page_and_a_text_in_another_script_is_one_text() -> None:
    assert page_key("https://www.example.com/news/1.html") == page_key("http://m.example.com/news/1.html/")
    assert page_key("https://example.com/a?id=1") == page_key("https://example.com/a")
    assert page_key("") == ""
    assert text_key("設備 突然停機") == text_key("设备突然停机")


def test_no_example_is_a_held_out_text_or_from_a_held_out_page(lexical_search: ScenarioSearch, rows: list[Row]) -> None:
    examples, left_out = example_corpus(lexical_search, rows)
    held_pages, held_texts = held_out_keys()
    assert len(held_pages) >= 30
    assert len(held_texts) >= 60
    # compared in code; only example ids are named on failure, never a held-out text or page
    assert [e.id for e in examples if e.page in held_pages] == []
    assert [e.id for e in examples if text_key(e.text) in held_texts] == []
    assert all(c.replace("_", "").isalnum() for c in left_out)  # case ids only


def test_no_development_test_text_is_an_example(lexical_search: ScenarioSearch, rows: list[Row]) -> None:
    examples, _ = example_corpus(lexical_search, rows)
    test_rows = [r for r in rows if r.split == "test"]
    assert len(test_rows) >= 90
    assert [e.id for e in examples if e.row is not None and e.row.split != "train"] == []
    test_texts = {text_key(r.text) for r in test_rows}
    test_pages = {r.page for r in test_rows} - {""}
    assert [e.id for e in examples if text_key(e.text) in test_texts or e.page in test_pages] == []
    assert sum(e.id.startswith("case:") for e in examples) >= 20  # the case library still teaches


def test_a_case_whose_page_a_test_text_quotes_is_left_out(lexical_search: ScenarioSearch, rows: list[Row]) -> None:
    # dev2's case rows quote the case library's pages: make one such row a test text and its case must go
    case_row = next(r for r in rows if r.file == "dev2" and r.id.startswith("C") and r.split == "train")
    case_ids = {c.id for c in cases_for(lexical_search.loaded) if page_key(c.source) == case_row.page}
    changed = [dataclasses.replace(r, split="test") if r is case_row else r for r in rows]
    examples, left_out = example_corpus(lexical_search, changed)
    _, before = example_corpus(lexical_search, rows)
    assert set(left_out) - set(before), "the case quoted by the new test text is left out"
    assert all(e.page != case_row.page for e in examples)
    assert case_ids
    assert case_ids <= set(left_out)


def test_a_text_is_never_its_own_example_nor_its_translation(lexical_search: ScenarioSearch, rows: list[Row]) -> None:
    examples, _ = example_corpus(lexical_search, rows)
    for e in examples:
        if e.row is not None:
            assert _same_source(e.row, e)
    twins = [
        (r, e)
        for r in rows
        if r.file == "dev2" and r.id.endswith("zh")
        for e in examples
        if e.row is not None and e.row.file == "dev2" and e.row.id == r.id[:-2] + "en"
    ]
    assert twins
    assert all(_same_source(zh, en) for zh, en in twins)
