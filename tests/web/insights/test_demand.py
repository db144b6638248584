"""Demand by group × scenario from roadmap items with their progress, the stated needs beside it, and money
totals with their band — on a cohort built through the real use cases (profile, assessment, plan, progress)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise
from wendao.engine.plan import PAIN_MATCH_THRESHOLD
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights import queries
from wendao.web.insights.models import PlanNeedSummary, PlanSummary, ProgressStatus
from wendao.web.insights.progress import set_progress
from wendao.web.insights.signals import likely_subsidy, summary_rows
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(programme: Programme, settings: Any) -> list[PlanRecord]:
    """Five 潍坊 enterprises (a shown group) and one 淄博 (hidden), each with a plan made with the need matcher on
    (so stated needs are matched as in production); one item deployed, one started."""
    settings.WENDAO_PLAN_MATCHER = True
    firms = [make_enterprise(None) for _ in range(5)] + [make_enterprise(None, "zibo_chemical")]
    plans = []
    for e in firms:
        join(programme, e)
        plans.append(services.create_plan(None, e, services.plan_options({})))
    set_progress(None, plans[0], plans[0].plan["items"][0]["scenario"], ProgressStatus.DEPLOYED)
    set_progress(None, plans[1], plans[1].plan["items"][1]["scenario"], ProgressStatus.STARTED)
    return plans


def _enterprises(programme: Programme) -> Any:
    return queries.enterprises_of(Programme.objects.filter(pk=programme.pk))


def test_demand_by_city_counts_each_roadmap_item_once_with_its_progress(
    programme: Programme, planned: list[PlanRecord]
) -> None:
    demand = queries.demand_by(_enterprises(programme), "city")
    assert demand.groups == ["weifang"]
    assert demand.hidden == 1  # 淄博: one enterprise with a plan
    assert demand.firms == {"weifang": 5}
    expected: dict[str, int] = {}
    for rec in planned[:5]:
        for sid in {i["scenario"] for i in rec.plan["items"]}:
            expected[sid] = expected.get(sid, 0) + 1
    assert {sid: demand.total("weifang", sid) for sid in demand.scenarios if demand.total("weifang", sid)} == expected
    deployed = planned[0].plan["items"][0]["scenario"]
    started = planned[1].plan["items"][1]["scenario"]
    assert demand.counts[("weifang", deployed)][2] == 1
    assert demand.counts[("weifang", started)][1] == 1
    assert sum(c[1] + c[2] for c in demand.counts.values()) == 2
    totals = [sum(demand.by_scenario(s)) for s in demand.scenarios]
    assert totals == sorted(totals, reverse=True)
    # a hidden group is not counted in the totals either; the whole programme is one group of six
    zibo_only = {i["scenario"] for i in planned[5].plan["items"]} - {
        i["scenario"] for rec in planned[:5] for i in rec.plan["items"]
    }
    by_city = queries.demand_by(_enterprises(programme), "city")
    assert not zibo_only & {s for s in by_city.scenarios if sum(by_city.by_scenario(s))}
    whole = queries.demand_by(_enterprises(programme), "all")  # six enterprises with plans: one shown group
    assert (whole.groups, whole.hidden) == ([""], 0)
    assert zibo_only <= set(whole.scenarios)


def test_stated_needs_and_money_come_from_the_latest_plans(programme: Programme, planned: list[PlanRecord]) -> None:
    # stated needs: the scenarios each plan says answer a pain or goal, in its roadmap or not
    rec = planned[0]
    matched = {s["id"] for s in rec.plan["scenarios"] if s["fit"]["pain"] >= PAIN_MATCH_THRESHOLD}
    assert matched  # the example's pains (停机, 目检, 排产) are matched
    assert set(PlanNeedSummary.objects.filter(summary_id=rec.pk).values_list("scenario_id", flat=True)) == matched
    whole = queries.demand_by(_enterprises(programme), "all")
    for sid in matched:  # the five 潍坊 firms share the example's needs; 淄博's are its own
        assert whole.needs[sid] >= 5
    # money: sums of the latest plans' own figures, with their band
    m = queries.money(_enterprises(programme))
    money = [rec.plan["money"] for rec in planned]
    assert m.plans == 6
    assert m.items == sum(len({i["scenario"] for i in rec.plan["items"]}) for rec in planned)
    assert m.one_off == pytest.approx(round(sum(x["one_off"] for x in money), 2))
    assert m.subsidy_counted == pytest.approx(round(sum(x["subsidy"] for x in money), 2))
    assert m.benefit_low == pytest.approx(round(sum(x["annual_benefit"]["low"] for x in money), 2))
    assert m.benefit_high == pytest.approx(round(sum(x["annual_benefit"]["high"] for x in money), 2))
    assert m.benefit_low <= m.benefit_median <= m.benefit_high
    likely = sum(likely_subsidy(i) for rec in planned for i in rec.plan["items"])
    assert m.subsidy_likely == pytest.approx(round(likely, 2))
    assert m.subsidy_likely >= m.subsidy_counted
    # a new plan replaces the enterprise's summary, band included
    firm: Enterprise = planned[0].enterprise
    newer = services.create_plan(None, firm, services.plan_options({"budget": 20}))
    assert PlanSummary.objects.get(enterprise=firm, latest=True).plan_id == newer.pk
    assert PlanSummary.objects.get(plan=newer).annual_benefit_high == pytest.approx(
        newer.plan["money"]["annual_benefit"]["high"]
    )


def test_likely_subsidy_takes_the_best_single_policy_and_reads_missing_fields_as_none() -> None:
    item = {
        "subsidy": 1.0,
        "funding": {"eligible": [{"eligible": True, "amount": 4.0}, {"eligible": True, "amount": 2.5}]},
    }
    assert likely_subsidy(item) == 4.0  # not 6.5: policies are not added up
    assert likely_subsidy({"subsidy": 3.0}) == 3.0
    assert likely_subsidy({"funding": "garbled"}) == 0.0
    assert likely_subsidy({"subsidy": 2.0, "funding": {"eligible": [{"eligible": False, "amount": 9.0}]}}) == 2.0


def test_a_pilot_and_its_roll_out_are_one_scenario_of_the_demand_with_their_money_added() -> None:
    plan = {
        "money": {"one_off": 62.5},
        "items": [
            {"scenario": "online_inspection", "stage": "pilot", "name_zh": "在线智能检测（试点）",
             "name_en": "Intelligent online inspection (pilot)", "npv": 30.0, "one_off": 37.5},
            {"scenario": "online_inspection", "stage": "rollout", "name_zh": "在线智能检测（推广）",
             "name_en": "Intelligent online inspection (roll-out)", "npv": 24.0, "one_off": 25.0},
        ],
    }
    summary, [row] = summary_rows(1, 1, plan)
    assert summary.items == 1
    assert (row.name_zh, row.name_en) == ("在线智能检测", "Intelligent online inspection")
    assert (row.npv, row.one_off) == (54.0, 62.5)


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_demand_page_and_its_exports_name_groups_and_scenarios(
    programme: Programme, planned: list[PlanRecord]
) -> None:
    client = client_for(programme.organisers.get())
    for by in ("city", "division", "chain", "size", "nonsense"):
        page = client.get(reverse("insights:demand", kwargs={"pk": programme.pk}), {"by": by})
        assert page.status_code == 200
        body = page.content.decode()
        assert 'id="demand-matrix"' in body
        assert "weifang" not in body.split('id="demand-matrix"')[1].split("</table>")[0]
    body = client.get(reverse("insights:demand", kwargs={"pk": programme.pk})).content.decode()
    assert "潍坊" in body
    # a group × scenario matrix scrolls sideways on a phone; as stacked cards it ran to 12 000 px
    assert '<table id="demand-matrix" class="no-stack matrix">' in body
    dashboard = client.get(reverse("insights:dashboard", kwargs={"pk": programme.pk})).content.decode()
    assert '<table id="heatmap" class="no-stack matrix">' in dashboard
    assert "1 个分组企业过少，未显示。" in body
    rows = _csv(client.get(reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": "demand_city"})))
    assert rows[0][:2] == ["城市", "场景"]
    assert {r[0] for r in rows[1:]} == {"潍坊"}
    assert {r[-2] for r in rows[1:]} == {"weifang"}
    scenario_ids = {r[-1] for r in rows[1:]}
    assert not scenario_ids & {r[1] for r in rows[1:]}
    assert sum(int(r[5]) for r in rows[1:]) == sum(len({i["scenario"] for i in rec.plan["items"]}) for rec in planned[:5])
    whole = _csv(
        client.get(reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": "demand_scenarios"}))
    )
    assert whole[0][5] == "提出相关需求的企业"
    assert any(int(r[5]) >= 5 for r in whole[1:])
    english = _csv(
        client.get(
            reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": "demand_city"}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    )
    assert english[1][0] == "Weifang"
    money = _csv(client.get(reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": "totals"})))
    assert money[0] == ["项目", "数值", "单位", "怎样算出"]
    assert money[1][1] == "6"
    assert all(r[3] for r in money[1:])  # every figure says how it was formed
