"""Insights views: access per role, aggregates on a small dataset built through the real use cases,
small cells hidden, CSV exports parse."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise, make_user
from wendao.web.accounts.models import Role, User
from wendao.web.enterprises import services
from wendao.web.enterprises.models import AssessmentRound, Enterprise, PlanRecord
from wendao.web.insights import queries
from wendao.web.insights.pilots import Weights
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(programme: Programme) -> list[Enterprise]:
    """Five enterprises in 潍坊 (a shown cell), one in 淄博 (hidden); two 潍坊 plans, one twice (latest counts)."""
    out = [make_enterprise(None) for i in range(5)]
    out.append(make_enterprise(None, "zibo_chemical"))
    for e in out:
        join(programme, e)
    services.create_plan(None, out[0], services.plan_options({}))  # superseded by the next one
    services.create_plan(None, out[0], services.plan_options({"budget": 300}))
    services.create_plan(None, out[1], services.plan_options({}))
    return out


def _enterprises(programme: Programme) -> Any:
    return queries.enterprises_of(Programme.objects.filter(pk=programme.pk))


def test_maturity_by_city_hides_small_cells(programme: Programme, cohort: list[Enterprise]) -> None:
    dist = queries.maturity_by(_enterprises(programme), "city")
    assert [c.key for c in dist.cells] == ["weifang"]
    scores = list(
        AssessmentRound.objects.filter(enterprise__in=cohort[:5], current=True).values_list("overall", flat=True)
    )
    cell = dist.cells[0]
    assert cell.n == 5
    assert cell.mean == pytest.approx(round(sum(scores) / 5, 1))
    assert dist.hidden == 1  # 淄博: one enterprise
    # by chain: the 潍坊 enterprises share one chain; 淄博's is a hidden cell of one
    chain = queries.maturity_by(_enterprises(programme), "chain")
    assert [c.n for c in chain.cells] == [5]
    assert queries.maturity_by(_enterprises(programme), "division").cells[0].key == "C34"


def test_heatmap_and_totals_use_the_latest_plan(programme: Programme, cohort: list[Enterprise]) -> None:
    latest = [PlanRecord.objects.filter(enterprise=e).first() for e in cohort[:2]]
    plans = [p.plan for p in latest if p is not None]
    heat = queries.demand_heatmap(_enterprises(programme))
    chain = cohort[0].chain
    expected: dict[str, int] = {}
    for plan in plans:
        for sid in {i["scenario"] for i in plan["items"]}:
            expected[sid] = expected.get(sid, 0) + 1
    assert {sid: heat.counts[(chain, sid)] for sid in heat.columns} == expected
    t = queries.money(_enterprises(programme))
    assert t.plans == 2
    assert t.one_off == pytest.approx(round(sum(p["money"]["one_off"] for p in plans), 2))
    assert t.subsidy_counted == pytest.approx(round(sum(p["money"]["subsidy"] for p in plans), 2))
    assert t.benefit_median == pytest.approx(round(sum(p["money"]["annual_benefit"]["median"] for p in plans), 2))


def test_pilot_ranking(programme: Programme, cohort: list[Enterprise]) -> None:
    ranking = queries.pilot_ranking(_enterprises(programme), Weights())
    rows = ranking.rows
    assert len(rows) == ranking.total == 6
    assert [r.result.score for r in rows] == sorted((r.result.score for r in rows), reverse=True)
    by_pk = {r.pk: r for r in rows}
    assert by_pk[cohort[0].pk].inputs.steps == 3
    assert by_pk[cohort[2].pk].inputs.steps == 2
    assert by_pk[cohort[0].pk].inputs.systems == 5
    assert "zjtx" in by_pk[cohort[0].pk].inputs.qualifications


URLS = [
    ("insights:dashboard", {}),
    ("insights:dashboard_csv", {"table": "city"}),
    ("insights:pilots", {}),
    ("insights:pilots_csv", {}),
    ("insights:support", {}),
    ("insights:support_csv", {}),
]


@pytest.mark.parametrize(("name", "extra"), URLS)
def test_access_per_role(
    programme: Programme, alice_co: Enterprise, alice: User, name: str, extra: dict[str, str]
) -> None:
    join(programme, alice_co)
    url = reverse(name, kwargs={"pk": programme.pk, **extra})
    olivia = programme.organisers.get()
    assert client_for(olivia).get(url).status_code == 200
    oscar = make_user("oscar", Role.ORGANISER)
    Programme.objects.create(name="other").organisers.add(oscar)
    assert client_for(oscar).get(url).status_code == 404
    assert client_for(alice).get(url).status_code == 404  # member of a participating enterprise
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_pages_and_csv_exports(programme: Programme, cohort: list[Enterprise]) -> None:
    client = client_for(programme.organisers.get())
    page = client.get(reverse("insights:dashboard", kwargs={"pk": programme.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="chart-city"' in body
    assert 'id="heatmap"' in body
    assert "zibo" not in body.split('id="maturity-city"')[1].split("</table>")[0]
    city = _csv(client.get(reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": "city"})))
    assert city[0][0] == "城市"
    assert city[1][:2] == ["潍坊", "5"]
    assert city[1][-1] == "weifang"  # the key, for machines, in the last column only
    assert len(city) == 2
    for table in ("division", "chain", "size", "heatmap", "totals"):
        rows = _csv(client.get(reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": table})))
        assert rows
        assert rows[0]
    totals = _csv(client.get(reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": "totals"})))
    assert totals[1][:2] == ["有规划的企业", "2"]
    assert (
        client.get(reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": "nope"})).status_code == 404
    )
    url = reverse("insights:pilots_csv", kwargs={"pk": programme.pk})
    pilots = _csv(client.get(url, {"foundation": "1", "willingness": "0", "demonstration": "0"}))
    assert len(pilots) == 7
    zibo = next(r for r in pilots if r[1] == cohort[5].name)
    assert zibo[2:5] == ["淄博", "高端化工", "中型企业"]
    assert zibo[-3:] == ["zibo", "high_end_chemicals", "medium"]
    assert [float(r[8]) for r in pilots[1:]] == pytest.approx([100 * float(r[5]) for r in pilots[1:]], abs=0.02)
    page = client.get(reverse("insights:pilots", kwargs={"pk": programme.pk}), {"foundation": "abc"})
    assert page.status_code == 200
    assert 'id="pilots"' in page.content.decode()


def test_ranking_in_sql_equals_the_pure_score_and_follows_changes(
    programme: Programme, cohort: list[Enterprise]
) -> None:
    from wendao.web.insights.pilots import score

    for weights in (Weights(), Weights(1, 0, 0), Weights(0, 2, 1)):
        ranking = queries.pilot_ranking(_enterprises(programme), weights)
        assert [r.result for r in ranking.rows] == [score(r.inputs, weights) for r in ranking.rows]
        totals = [r.result.score for r in ranking.rows]
        assert totals == sorted(totals, reverse=True)
    top = queries.pilot_ranking(_enterprises(programme), Weights(), limit=2)
    assert (len(top.rows), top.total) == (2, 6)
    # the stored components follow a profile change (signal on save) and a new plan (steps)
    zibo = cohort[5]
    before = {r.pk: r for r in queries.pilot_ranking(_enterprises(programme), Weights()).rows}[zibo.pk]
    services.save_profile(None, dict(zibo.profile, systems=["ERP"]), zibo)
    services.create_plan(None, zibo, services.plan_options({}))
    after = {r.pk: r for r in queries.pilot_ranking(_enterprises(programme), Weights()).rows}[zibo.pk]
    assert (after.inputs.systems, after.inputs.steps) == (1, 3)
    assert after.result.foundation < before.result.foundation
    assert after.result.willingness > before.result.willingness


def test_exports_name_cities_chains_sizes_and_scenarios_as_a_person_reads_them(
    programme: Programme, cohort: list[Enterprise]
) -> None:
    client = client_for(programme.organisers.get())

    def table(name: str, lang: str = "zh-hans") -> list[list[str]]:
        url = reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": name})
        return _csv(client.get(url, HTTP_ACCEPT_LANGUAGE=lang))

    chain = table("chain")
    assert chain[1][0] == "工业母机"
    assert chain[1][-1] == cohort[0].chain
    size = table("size")
    assert size[1][0].endswith("企业")
    assert size[1][-1] in ("micro", "small", "medium", "large")
    division = table("division")
    assert division[1][0] == "通用设备制造业"  # the name a reader knows; the GB/T code only in the key column
    assert division[1][-1] == "C34"
    heat = table("heatmap")
    scenario_ids = {sid for p in PlanRecord.objects.all() for sid in (i["scenario"] for i in p.plan["items"])}
    assert not scenario_ids & set(heat[0])  # scenario names in the header, not ids
    assert heat[0][-1] == "产业链代码"
    assert all(not row[0].isascii() for row in heat[1:])
    english = table("city", "en")
    assert english[0][0] == "City"
    assert english[1][0] == "Weifang"
