"""Each reader reads their own language: the sources appendix cites in Chinese for a Chinese reader and holds no
Chinese for an English one (catalog ``source_zh`` / ``source_en``), and money reads "20.0 万元" in Chinese and
"CNY 200,000" in English (one rule, ``engine.scenarios.money_en``) in every document format."""

from __future__ import annotations

import random
import re
from datetime import date
from functools import cache

import pytest

from tests.conftest import EXAMPLES
from tests.report.document_text import document_text
from wendao.engine.catalog import default_catalog
from wendao.engine.catalog.language import language_problems, reads_as_chinese, reads_as_english
from wendao.engine.plan import Plan, PlanOptions, build_plan
from wendao.engine.profile import load_profile, parse_profile
from wendao.engine.scenarios import money_en, money_range_en
from wendao.report.labels import Labels
from wendao.synthetic import synthetic_profile

LOADED = default_catalog()
NAMES = [p.stem for p in sorted(EXAMPLES.glob("*.yaml"))] + ["generated_0", "generated_1", "generated_2"]


@cache
def _plans() -> dict[str, Plan]:
    options = PlanOptions(as_of=date(2026, 11, 24))
    plans = {p.stem: build_plan(load_profile(p), LOADED, options) for p in sorted(EXAMPLES.glob("*.yaml"))}
    rng = random.Random(20261207)
    for k in range(3):
        plans[f"generated_{k}"] = build_plan(parse_profile(synthetic_profile(LOADED, rng, k), LOADED), LOADED, options)
    return plans


def _text(plan: Plan, fmt: str, lang: str) -> str:
    return document_text(plan, fmt, lang)


def _own_words(plan: Plan, text: str) -> str:
    """The enterprise's own words are quoted as written (a pain point may say 万元)."""
    e = plan.enterprise
    for quoted in sorted(filter(None, [e.name, *e.pain_points, *e.goals]), key=len, reverse=True):
        text = text.replace(quoted, " ")
    return text


def test_an_english_amount_is_in_whole_yuan_at_the_precision_of_the_wan_figure() -> None:
    assert money_en(20.0) == "CNY 200,000"
    assert money_en(1234.56) == "CNY 12,346,000"
    assert money_en(0.03) == "CNY 300"  # two decimals under 0.05 万元, as in Chinese
    assert money_en(-2.0) == "−CNY 20,000"
    assert money_en(0.004, 4) == "CNY 40"
    assert money_range_en(20.0, 35.5) == "CNY 200,000–355,000"
    assert money_range_en(20.0, 20.04) == "CNY 200,000"


def test_the_shipped_catalog_cites_every_figure_in_both_languages() -> None:
    assert language_problems(LOADED) == []


def test_a_citation_read_in_an_english_repost_is_not_chinese() -> None:
    assert not reads_as_chinese("https://www.sipoch.com/en/article/1 (repost of McKinsey/WEF lighthouse text)")
    assert not reads_as_chinese("MIIT aggregate for 卓越级智能工厂: R&D cycle −28.4% on average")
    assert reads_as_chinese(
        "Noy, S. 和 Zhang, W.（2023），《Experimental evidence on generative AI》，Science 381（摘要：写作任务用时减少 40%）"
    )
    assert reads_as_chinese("https://example.org/only-an-address")
    assert not reads_as_english("http://m.chuangze.cn/x （转载）")


@pytest.mark.parametrize("name", NAMES)
def test_the_sources_appendix_cites_in_the_readers_language(name: str) -> None:
    plan = _plans()[name]
    zh, en = Labels("zh"), Labels("en")
    assert plan.sources
    for s in plan.sources:
        assert reads_as_chinese(zh.source_cell(s)), f"{s.id} in the Chinese appendix: {zh.source_cell(s)}"
        assert reads_as_english(en.source_cell(s)), f"{s.id} in the English appendix: {en.source_cell(s)}"


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("name", NAMES)
def test_an_english_document_writes_money_in_cny_and_a_chinese_one_in_wan(name: str, fmt: str) -> None:
    plan = _plans()[name]
    english = _own_words(plan, _text(plan, fmt, "en"))
    left = re.findall(r".{0,40}[万元].{0,20}", english)
    assert not left, f"万元/元 in the English {fmt} of {name}: {left[:5]}"
    assert "CNY" in english
    chinese = _own_words(plan, _text(plan, fmt, "zh"))
    assert "CNY" not in chinese
    assert "万元" in chinese
