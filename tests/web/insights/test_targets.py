"""Targets: only the programme's organisers manage them; every metric is computed from data made through the
real use cases (profiles, assessments, plans, members marking items deployed); validation names the field."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise, make_user
from wendao.web.accounts.models import AuditEvent, Role, User
from wendao.web.enterprises import services
from wendao.web.enterprises.models import AssessmentRound, Enterprise, Membership, PlanRecord
from wendao.web.insights import targets
from wendao.web.insights.models import ProgressStatus, ScenarioProgress, Target
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db

START = dt.date(2026, 6, 1)
DUE = dt.date(2027, 6, 1)


@pytest.fixture
def cohort(programme: Programme, alice: User) -> list[Enterprise]:
    """alice's 潍坊 firm with two plans (the later one counts), another 潍坊 firm with one, a 淄博 firm with none;
    a firm outside the programme with a plan (never counted)."""
    out = [make_enterprise(alice), make_enterprise(None), make_enterprise(None, "zibo_chemical")]
    for e in out:
        join(programme, e)
    services.create_plan(alice, out[0], services.plan_options({"budget": 50}))
    services.create_plan(alice, out[0], services.plan_options({}))
    services.create_plan(None, out[1], services.plan_options({"budget": 300}))
    outsider = make_enterprise(None)
    services.create_plan(None, outsider, services.plan_options({}))
    return out


def _target(programme: Programme, metric: str, value: float = 10, **kw: Any) -> Target:
    return Target.objects.create(programme=programme, metric=metric, value=value, start_date=START, due_date=DUE, **kw)


def _latest(e: Enterprise) -> PlanRecord:
    rec = PlanRecord.objects.filter(enterprise=e).first()
    assert rec is not None
    return rec


def test_counts_and_money_follow_the_latest_plans(programme: Programme, cohort: list[Enterprise]) -> None:
    plans = [_latest(e).plan for e in cohort[:2]]
    assert targets.current_value(_target(programme, "enterprises_with_plan")) == 2
    assert targets.current_value(_target(programme, "enterprises_assessed")) == 3
    # a pilot and its roll-out are one scenario planned
    assert targets.current_value(_target(programme, "scenarios_planned")) == sum(
        len({i["scenario"] for i in p["items"]}) for p in plans
    )
    investment = targets.current_value(_target(programme, "planned_investment"))
    assert investment == pytest.approx(round(sum(p["money"]["one_off"] for p in plans), 2))
    subsidy = targets.current_value(_target(programme, "subsidy_demand"))
    assert subsidy == pytest.approx(round(sum(p["money"]["subsidy"] for p in plans), 2))
    scores = sorted(
        AssessmentRound.objects.filter(enterprise__in=cohort, current=True).values_list("overall", flat=True)
    )
    threshold = scores[1]
    assert targets.current_value(_target(programme, "maturity_at_least", parameter=threshold)) == sum(
        1 for s in scores if s >= threshold
    )
    assert targets.current_value(_target(programme, "maturity_at_least", parameter=101)) == 0
    # scope: 淄博 has no plan; the chain of the 潍坊 firms has two
    assert targets.current_value(_target(programme, "enterprises_with_plan", scope="city", scope_value="zibo")) == 0
    chain = cohort[0].chain
    assert targets.current_value(_target(programme, "enterprises_with_plan", scope="chain", scope_value=chain)) == 2
    division = cohort[0].industry[:3]
    by_division = _target(programme, "enterprises_assessed", scope="division", scope_value=division)
    assert targets.current_value(by_division) == sum(1 for e in cohort if e.industry.startswith(division))


def _mark(user: User, rec: PlanRecord, scenario: str, status: str) -> Any:
    url = reverse("insights:scenario_progress", kwargs={"plan_pk": rec.pk})
    return client_for(user).post(url, {"scenario": scenario, "status": status})


def test_members_mark_items_deployed_and_high_value_counts_them(
    programme: Programme, cohort: list[Enterprise], alice: User
) -> None:
    rec = _latest(cohort[0])
    by_scenario: dict[str, dict[str, Any]] = {}
    for i in rec.plan["items"]:  # a pilot and its roll-out are one scenario, their NPV added (insights.signals)
        one = by_scenario.setdefault(i["scenario"], {"scenario": i["scenario"], "npv": 0.0})
        one["npv"] += i["npv"]
    items = sorted(by_scenario.values(), key=lambda i: i["npv"])
    assert len(items) >= 2
    for item in items:
        assert _mark(alice, rec, item["scenario"], ProgressStatus.DEPLOYED).status_code == 302
    assert _mark(alice, rec, items[0]["scenario"], ProgressStatus.STARTED).status_code == 302  # changed its mind
    deployed = items[1:]
    all_deployed = _target(programme, "scenarios_deployed")
    assert targets.current_value(all_deployed) == len(deployed)
    threshold = deployed[-1]["npv"]  # only the most valuable reaches it
    high = _target(programme, "high_value_deployed", value=4, parameter=threshold)
    assert targets.current_value(high) == sum(1 for i in deployed if i["npv"] >= threshold) == 1
    row = ScenarioProgress.objects.get(enterprise=cohort[0], scenario_id=items[0]["scenario"])
    assert row.status == ProgressStatus.STARTED
    assert row.updated_by == alice
    assert row.npv == items[0]["npv"]
    events = AuditEvent.objects.filter(action="scenario_progress.set", object_id=str(row.pk))
    assert events.count() == 2
    # the plan page shows the table with the saved status
    page = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": rec.pk})).content.decode()
    assert 'id="scenario-progress"' in page
    assert f'data-scenario="{items[0]["scenario"]}"' in page


def test_only_members_set_progress_and_only_for_items_of_the_plan(
    programme: Programme, cohort: list[Enterprise], alice: User, bob: User, olivia: User
) -> None:
    rec = _latest(cohort[0])
    scenario = rec.plan["items"][0]["scenario"]
    assert _mark(bob, rec, scenario, "deployed").status_code == 404
    assert _mark(olivia, rec, scenario, "deployed").status_code == 404  # organisers view, never change
    assert client_for(None).post(reverse("insights:scenario_progress", kwargs={"plan_pk": rec.pk})).status_code == 302
    bad = _mark(alice, rec, "no-such-scenario", "deployed")
    assert bad.status_code == 422
    assert "场景：" in bad.content.decode()  # the field by its label, not its name
    assert _mark(alice, rec, scenario, "finished").status_code == 422
    assert not ScenarioProgress.objects.exists()


def test_progress_is_measured_against_a_straight_line(programme: Programme, cohort: list[Enterprise]) -> None:
    target = _target(programme, "enterprises_with_plan", value=4)  # 2 of 4 = 50 %
    quarter = targets.progress(target, START + (DUE - START) / 4)
    assert (quarter.current, quarter.percent, quarter.expected_percent, quarter.state) == (2, 50.0, 24.9, "on_track")
    late = targets.progress(target, START + (DUE - START) * 3 / 4)
    assert late.state == "behind"
    assert not late.on_track
    assert targets.progress(target, DUE + dt.timedelta(days=1)).state == "missed"
    assert targets.progress(target, START - dt.timedelta(days=10)).expected_percent == 0.0
    reached = targets.progress(_target(programme, "enterprises_with_plan", value=2), DUE + dt.timedelta(days=9))
    assert (reached.state, reached.percent, reached.bar) == ("reached", 100.0, 100.0)
    over = targets.progress(_target(programme, "enterprises_with_plan", value=1), START)
    assert (over.percent, over.bar) == (200.0, 100.0)


TARGET_URLS = [
    ("insights:targets", {}, "get"),
    ("insights:targets_csv", {}, "get"),
    ("insights:target_new", {}, "get"),
    ("insights:target_edit", {"target_pk": None}, "get"),
    ("insights:target_delete", {"target_pk": None}, "post"),
]


@pytest.mark.parametrize(("name", "extra", "method"), TARGET_URLS)
def test_access_per_role(
    programme: Programme, alice_co: Enterprise, alice: User, olivia: User, name: str, extra: dict[str, Any], method: str
) -> None:
    join(programme, alice_co)
    target = _target(programme, "enterprises_with_plan")
    kwargs: dict[str, Any] = {"pk": programme.pk} | dict.fromkeys(extra, target.pk)
    url = reverse(name, kwargs=kwargs)
    oscar = make_user("oscar", Role.ORGANISER)
    other = Programme.objects.create(name="other")
    other.organisers.add(oscar)
    for outsider in (oscar, alice):  # organiser of another programme; member of a participating enterprise
        assert getattr(client_for(outsider), method)(url).status_code == 404
    if "target_pk" in kwargs:  # a target of another programme through one's own programme's URL
        foreign = _target(other, "enterprises_with_plan")
        mixed = reverse(name, kwargs={"pk": programme.pk, "target_pk": foreign.pk})
        assert getattr(client_for(olivia), method)(mixed).status_code == 404
    assert getattr(client_for(None), method)(url).status_code == 302
    assert getattr(client_for(olivia), method)(url).status_code in (200, 302)
    assert Target.objects.filter(programme=programme).count() == (0 if name == "insights:target_delete" else 1)


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "metric": "high_value_deployed",
        "parameter": "100",
        "scope": "",
        "scope_value": "",
        "value": "20",
        "start_date": "2026-06-01",
        "due_date": "2028-12-31",
        "source": "省行动方案",
    }
    return data | changes


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"parameter": ""}, "parameter", "该指标需要参数"),
        ({"metric": "enterprises_with_plan"}, "parameter", "不需要参数"),
        ({"metric": "maturity_at_least", "parameter": "120"}, "parameter", "0 到 100"),
        ({"metric": "nope"}, "metric", "nope"),
        ({"value": "0"}, "value", "大于 0"),
        ({"value": "abc"}, "value", ""),
        ({"scope": "city", "scope_value": ""}, "scope_value", "请填写范围取值"),
        ({"scope": "city", "scope_value": "hangzhou"}, "scope_value", "hangzhou"),
        ({"scope": "", "scope_value": "weifang"}, "scope_value", "留空"),
        ({"due_date": "2026-05-01"}, "due_date", "晚于起始日期"),
        ({"due_date": "31/12/2028"}, "due_date", ""),
    ],
)
def test_validation_names_the_field(
    programme: Programme, olivia: User, changes: dict[str, str], field: str, message: str
) -> None:
    url = reverse("insights:target_new", kwargs={"pk": programme.pk})
    response = client_for(olivia).post(url, _form(**changes))
    assert response.status_code == 422
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in " ".join(form.errors[field])
    assert f'id="field-{field}"' in response.content.decode()
    assert not Target.objects.exists()


def test_organiser_creates_edits_exports_and_deletes_a_target(
    programme: Programme, cohort: list[Enterprise], olivia: User
) -> None:
    client = client_for(olivia)
    preset = client.get(reverse("insights:target_new", kwargs={"pk": programme.pk}), {"preset": "province_high_value"})
    assert preset.context["form"].initial["value"] == 100
    assert "李梦瑶" in preset.context["form"].initial["source"]
    created = client.post(
        reverse("insights:target_new", kwargs={"pk": programme.pk}),
        _form(metric="enterprises_with_plan", parameter="", value="4", scope="city", scope_value="weifang"),
    )
    assert created.status_code == 302
    target = Target.objects.get()
    assert (target.programme, target.created_by, target.value, target.scope_value) == (programme, olivia, 4, "weifang")
    edit = reverse("insights:target_edit", kwargs={"pk": programme.pk, "target_pk": target.pk})
    form = _form(metric="enterprises_with_plan", parameter="", value="8", scope="city", scope_value="weifang")
    assert client.post(edit, form).status_code == 302
    page = client.get(reverse("insights:targets", kwargs={"pk": programme.pk})).content.decode()
    assert 'data-metric="enterprises_with_plan"' in page
    assert "25.0%" in page  # 2 of 8
    assert "李梦瑶" in page  # the presets cite the report
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("insights:targets_csv", kwargs={"pk": programme.pk})).content.decode("utf-8-sig")
            )
        )
    )
    assert len(rows) == 2
    assert rows[1][3:6] == ["8", "2", "25.0"]
    delete = reverse("insights:target_delete", kwargs={"pk": programme.pk, "target_pk": target.pk})
    assert client.post(delete).status_code == 302
    assert not Target.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="insights.target").order_by("pk").values_list("action", "changes")
    )
    assert [a for a, _c in actions] == ["target.create", "target.change", "target.delete"]
    assert actions[1][1] == {"value": [4.0, 8.0]}


def test_targets_count_only_the_programme(programme: Programme, cohort: list[Enterprise], alice: User) -> None:
    # alice's firm also joins a second programme; a target there sees only that programme's enterprises
    other = Programme.objects.create(name="第二期")
    join(other, cohort[0])
    assert Membership.objects.filter(user=alice, enterprise=cohort[0]).exists()
    assert targets.current_value(_target(other, "enterprises_with_plan")) == 1
    assert targets.current_value(_target(programme, "enterprises_with_plan")) == 2


def test_a_page_of_targets_equals_each_target_alone(programme: Programme, cohort: list[Enterprise]) -> None:
    goals = [
        _target(programme, metric, parameter=targets.METRICS[metric].parameter_default) for metric in targets.METRICS
    ]
    goals.append(_target(programme, "enterprises_with_plan", scope="city", scope_value="zibo"))
    together = targets.current_values(goals)
    assert together == {t.pk: targets.current_value(t) for t in goals}
    assert together[goals[0].pk] == 2
    assert together[goals[-1].pk] == 0


def test_the_target_form_lists_scope_values_by_name_instead_of_asking_for_codes(
    programme: Programme, olivia: User
) -> None:
    page = client_for(olivia).get(reverse("insights:target_new", kwargs={"pk": programme.pk})).content.decode()
    select = page.split('<select name="scope_value"')[1].split("</select>")[0]
    assert '<optgroup label="城市">' in select
    assert '<option value="weifang">潍坊</option>' in select
    assert '<optgroup label="行业大类">' in select
    assert '<option value="C34">通用设备制造业</option>' in select
    assert "C34 " not in select
    assert "weifang" not in page.split('id="field-scope_value"')[1].split("</select>")[1].split("</div>")[0]
    english = (
        client_for(olivia)
        .get(reverse("insights:target_new", kwargs={"pk": programme.pk}), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert '<option value="weifang">Weifang</option>' in english
