"""Plan summaries follow the stored plans: one latest per enterprise, numbers equal to the plan's own."""

from __future__ import annotations

import pytest

from tests.web.conftest import make_enterprise
from wendao.web.enterprises import services
from wendao.web.enterprises.models import PlanRecord
from wendao.web.insights.models import PlanItemSummary, PlanSummary

pytestmark = pytest.mark.django_db


def test_newest_plan_is_latest_and_deleting_it_promotes_the_previous_one() -> None:
    enterprise = make_enterprise(None)
    first = services.create_plan(None, enterprise, services.plan_options({"budget": 50}))
    second = services.create_plan(None, enterprise, services.plan_options({}))
    assert list(PlanSummary.objects.filter(latest=True).values_list("plan", flat=True)) == [second.pk]
    summary = PlanSummary.objects.get(plan=second)
    money = second.plan["money"]
    assert (summary.one_off, summary.subsidy, summary.annual_benefit_median) == (
        money["one_off"],
        money["subsidy"],
        money["annual_benefit"]["median"],
    )
    assert summary.items == len({i["scenario"] for i in second.plan["items"]})
    rows = {r.scenario_id: r.npv for r in PlanItemSummary.objects.filter(summary=summary)}
    npv: dict[str, float] = {}
    for i in second.plan["items"]:  # a pilot and its roll-out are one row, their NPV added
        npv[i["scenario"]] = npv.get(i["scenario"], 0.0) + i["npv"]
    assert rows == npv
    second.delete()
    assert list(PlanSummary.objects.filter(latest=True).values_list("plan", flat=True)) == [first.pk]
    assert not PlanItemSummary.objects.filter(summary_id=second.pk).exists()
    assert PlanRecord.objects.count() == PlanSummary.objects.count() == 1
