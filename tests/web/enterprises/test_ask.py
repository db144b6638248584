from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.engine.ask import number_text
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord

pytestmark = pytest.mark.django_db

ASK = reverse("enterprises:ask")
FUNDING = "要花多少钱，谁来出钱？"


def test_the_ask_box_is_on_the_home_and_plan_pages(alice: Any, alice_co: Enterprise, alice_plan: PlanRecord) -> None:
    client = client_for(alice)
    for url in (
        reverse("enterprises:detail", kwargs={"pk": alice_co.pk}),
        reverse("enterprises:plan", kwargs={"pk": alice_plan.pk}),
    ):
        text = client.get(url).content.decode()
        assert 'id="ask-question"' in text
        assert f'hx-post="{ASK}"' in text
    assert (
        f'name="plan" value="{alice_plan.pk}"'
        in client.get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    )


def test_a_member_gets_the_funding_answer_with_her_plans_figures(alice: Any, alice_plan: PlanRecord) -> None:
    response = client_for(alice).post(ASK, {"question": FUNDING, "plan": alice_plan.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    money = services.plan_of(alice_plan).money
    assert 'data-kind="funding"' in text
    assert "<html" not in text  # the fragment only, swapped into the box
    assert f"一次性投资 {number_text(money.one_off)} 万元" in text
    assert "用到的企业数据" in text


def test_the_enterprise_box_answers_from_the_latest_plan(
    alice: Any, alice_co: Enterprise, alice_plan: PlanRecord
) -> None:
    response = client_for(alice).post(ASK, {"question": FUNDING, "enterprise": alice_co.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" in text  # without htmx: the whole page, box and answer
    assert alice_co.name in text


def test_another_firms_plan_is_a_404_and_shows_nothing(bob: Any, alice_plan: PlanRecord) -> None:
    response = client_for(bob).post(ASK, {"question": FUNDING, "plan": alice_plan.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 404


def test_an_organiser_cannot_read_a_participants_figures_through_the_box(
    olivia: Any, alice_participant: Any, alice_plan: PlanRecord
) -> None:
    response = client_for(olivia).post(ASK, {"question": FUNDING, "enterprise": alice_plan.enterprise.pk})
    assert response.status_code == 404


def test_an_empty_question_gets_a_clear_error_in_place(alice: Any, alice_co: Enterprise) -> None:
    response = client_for(alice).post(ASK, {"question": "  ", "enterprise": alice_co.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "请输入问题" in response.content.decode()


def test_everything_from_the_question_is_escaped(alice: Any, alice_co: Enterprise) -> None:
    question = "<script>alert(1)</script>有没有同类企业的案例？"
    response = client_for(alice).post(ASK, {"question": question, "enterprise": alice_co.pk})
    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    response = client_for(None).post(ASK, {"question": FUNDING})
    assert response.status_code == 302


def test_the_plan_page_shows_real_cases_per_item_with_their_sources(alice: Any, alice_plan: PlanRecord) -> None:
    from wendao.engine.cases import cases_for, nearest_cases
    from wendao.web.catalog.services import active_catalog

    text = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    assert "同行业、同规模企业的做法" in text
    plan = services.plan_of(alice_plan)
    loaded = active_catalog()
    shown = [
        n.case
        for i in plan.items
        for n in nearest_cases(
            cases_for(loaded), loaded, [i.scenario], plan.enterprise.industry, plan.enterprise.size_class, 2
        )
    ]
    assert shown, "the Weifang plan has items with a case in the library"
    for case in shown:
        assert case.enterprise_zh in text
        assert f'href="{case.source}"' in text


def test_a_what_if_brings_the_new_plans_cases_and_points_the_ask_box_at_the_new_plan(
    alice: Any, alice_plan: PlanRecord
) -> None:
    from wendao.report.cases import plan_cases_context
    from wendao.report.labels import Labels
    from wendao.web.catalog.services import active_catalog

    old = plan_cases_context(services.plan_of(alice_plan), Labels("zh"), active_catalog())
    dropped = old["rows"][0]  # the Weifang plan's first scenario with a case
    client = client_for(alice)
    response = client.post(
        reverse("enterprises:plan_whatif", kwargs={"pk": alice_plan.pk}),
        {"budget": "150", "horizon_quarters": "12", "objective": "npv", "drop": [dropped["scenario"]]},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    new = PlanRecord.objects.exclude(pk=alice_plan.pk).get()
    text = response.content.decode()
    section = text[text.index('id="plan-cases"') :]
    section = section[: section.index("</section>")]
    new_rows = plan_cases_context(services.plan_of(new), Labels("zh"), active_catalog())["rows"]
    assert dropped["scenario"] not in {r["scenario"] for r in new_rows}
    assert f"<h3>{dropped['name']}</h3>" not in section
    for row in new_rows:
        assert f"<h3>{row['name']}</h3>" in section
    # the ask box (outside the swapped body) now asks about the new plan; the old plan's answer is cleared
    assert f'id="ask-plan" name="plan" value="{new.pk}" hx-swap-oob="true"' in text
    assert '<div id="ask-answer" aria-live="polite" hx-swap-oob="true"></div>' in text
    answer = client.post(ASK, {"question": FUNDING, "plan": new.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert f"{services.plan_of(new).money.one_off:,.0f}" in answer


def test_the_plan_page_renders_the_cases_once_and_no_out_of_band_parts(alice: Any, alice_plan: PlanRecord) -> None:
    text = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    assert text.count('id="plan-cases"') == 1
    assert text.count('id="ask-plan"') == 1
    assert "hx-swap-oob" not in text


def test_the_english_plan_page_shows_the_cases_in_english(alice: Any, alice_plan: PlanRecord) -> None:
    import re

    from django.utils import translation

    client = client_for(alice)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        text = client.get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk}), HTTP_ACCEPT_LANGUAGE="en")
    html = text.content.decode()
    section = html[html.index('id="plan-cases"') :]
    section = section[: section.index("</section>")]
    assert "What firms of the same industry and size did" in section
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    assert items
    for item in items:
        # the money unit 万元 (and 元) stays in English, as in every English document (tests/report/test_documents.py)
        shown = re.sub(r"万?元", "", re.sub(r"<[^>]+>", "", item))
        assert not re.search(r"[\u4e00-\u9fff（）：；]", shown), shown
