"""The web plan page states the roadmap solver's fallbacks (issue 13) in the reader's language; a stored plan
without them (written before they were recorded) shows none."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from tests.web.conftest import client_for
from wendao.engine.roadmap import Fallback, SolveAttempt
from wendao.web.enterprises import services
from wendao.web.enterprises.models import PlanRecord

pytestmark = pytest.mark.django_db


def _with_a_fallback(record: PlanRecord) -> Fallback:
    tried = SolveAttempt(model="plan", status="FEASIBLE", gap=0.012, time_limit_seconds=10)
    fallback = Fallback(
        kind="unproven",
        tried=tried,
        used=tried,
        note_zh="路线图的求解达到 10 秒时限。",
        note_en="The solve reached its limit.",
    )
    plan = services.plan_of(record).model_copy(update={"roadmap_fallbacks": [fallback]})
    record.plan = plan.model_dump(mode="json")
    record.save(update_fields=["plan"])
    return fallback


def test_the_plan_page_states_a_fallback_of_the_solver_in_chinese_and_english(
    alice: Any, alice_plan: PlanRecord
) -> None:
    fallback = _with_a_fallback(alice_plan)
    url = reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})
    page = client_for(alice).get(url).content.decode()
    assert fallback.note_zh in page
    with translation.override("en"):
        client = client_for(alice)
        client.cookies["django_language"] = "en"
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert fallback.note_en in english
    assert fallback.note_zh not in english


def test_a_stored_plan_without_recorded_fallbacks_shows_none(alice: Any, alice_plan: PlanRecord) -> None:
    stored = dict(alice_plan.plan)
    stored.pop("roadmap_fallbacks", None)
    alice_plan.plan = stored
    alice_plan.save(update_fields=["plan"])
    assert services.plan_of(alice_plan).roadmap_fallbacks == []
    page = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    assert "solver-fallback" not in page
