"""Support across the cohort: per policy, counted and likely money of the participants' newest plans and the
enterprises concerned, built from plans made through the real use case."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.insights import queries
from wendao.web.insights.support import cohort_support
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(programme: Programme) -> list[Enterprise]:
    out = [make_enterprise(None), make_enterprise(None, "zibo_chemical")]
    for e in out:
        join(programme, e)
        services.create_plan(None, e, services.plan_options({}))
    return out


def test_the_cohort_totals_add_up_the_newest_plans_lines_per_policy(
    programme: Programme, planned: list[Enterprise]
) -> None:
    support = cohort_support(queries.enterprises_of(Programme.objects.filter(pk=programme.pk)))
    assert support.plans == 2
    assert support.without_view == 0
    expected_counted: dict[str, float] = {}
    for e in planned:
        wp = PlanRecord.objects.filter(enterprise=e).first().plan["who_pays"]  # type: ignore[union-attr]
        for item in wp["items"]:
            for ln in item["lines"]:
                if ln["verdict"] == "counted":
                    expected_counted[ln["policy"]] = expected_counted.get(ln["policy"], 0.0) + ln["amount"]
    got = {p.policy: p.counted for p in support.policies if p.counted}
    assert got == pytest.approx(expected_counted)
    package = next(p for p in support.policies if p.policy == "sd_ai_manufacturing_package_2026")
    assert set(package.enterprises.values()) == {"announced"}
    assert len(package.enterprises) == 2


def test_the_support_page_and_csv_name_each_enterprise_with_its_verdict(
    programme: Programme, planned: list[Enterprise]
) -> None:
    client = client_for(programme.organisers.get())
    page = client.get(reverse("insights:support", kwargs={"pk": programme.pk})).content.decode()
    assert 'id="support"' in page
    assert planned[1].name in page
    # each policy's firms are folded under their count: on a 390 px phone the unfolded lists of the demo's 300 firms
    # made the page 55 000 px tall
    table = page.split('id="support"')[1].split("</table>")[0]
    assert table.count('<details class="firms">') == table.count("<tr>") - 1
    assert "家企业</summary>" in table
    response = client.get(reverse("insights:support_csv", kwargs={"pk": programme.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "政策"
    assert {r[4] for r in rows[1:]} == {e.name for e in planned}
