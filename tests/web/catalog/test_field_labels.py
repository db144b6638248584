"""The knowledge-base editor names every field in the reader's language, never by its path: a nested field without
a label of its own reads as its parts' names ("成本 · 大型 · 一次性投入（万元） · 下限")."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from wendao.web.catalog.fields import fields_of
from wendao.web.catalog.services import ENGINE_MODELS

ID = re.compile(r"[a-z]+_[a-z_]+|\b[a-z]{3,}\b")  # "one_off", "cost.large": a path, not a name


@pytest.mark.parametrize("entry", list(ENGINE_MODELS), ids=lambda m: m.__name__)
def test_every_editable_field_has_a_chinese_label(entry: type) -> None:
    with translation.override("zh-hans"):
        left = [(f.path, f.label) for f in fields_of(ENGINE_MODELS[entry]) if ID.search(f.label)]
    assert left == []


def test_a_nested_cost_field_reads_as_its_parts() -> None:
    scenario = next(model for entry, model in ENGINE_MODELS.items() if entry.__name__ == "ScenarioEntry")
    field = next(f for f in fields_of(scenario) if f.path == "cost.large.one_off.low")
    with translation.override("zh-hans"):
        assert field.label == "成本 · 大型 · 一次性投入（万元） · 下限"
