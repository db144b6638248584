"""A city's totals cannot be differenced when one firm starts sharing with its city (docs/security.md, "City
officials' views").

Before: the city dashboard, demand view, CSV tables and report summed the live latest plans of the firms sharing
with the city. When one more firm agreed, its name appeared in the list and the difference of two reads of the
totals was exactly its plan: one-off investment, subsidy, running cost, benefits and the scenarios of its roadmap,
beyond the name, industry, size, overall score and item count its consent lets officials see. Now the plan
figures come from a stored release of the city (the peer cells' rule), made over at least five planned firms,
with noise on the money, and replaced only when two plans changed and a month passed, or the city doubled.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise, make_user
from wendao.engine import disclosure
from wendao.web.accounts.models import Role, User
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise
from wendao.web.insights import queries
from wendao.web.insights.models import CellRelease, CityShare
from wendao.web.insights.releases import city_cell_name, city_figures
from wendao.web.insights.report import cohort_document
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


def _official(city: str) -> User:
    user = make_user("weifang-official", Role.CITY_OFFICIAL)
    user.city = city
    user.save()
    return user


def _planned_firm(programme: Programme, name: str, *, shared: bool = True) -> Enterprise:
    enterprise = make_enterprise(None)
    enterprise.name = name
    enterprise.save(update_fields=["name"])
    join(programme, enterprise)
    services.create_plan(None, enterprise, services.plan_options({}))
    if shared:
        CityShare.objects.create(enterprise=enterprise)
    return enterprise


def _csv(user: User, table: str) -> str:
    return client_for(user).get(reverse("insights:city_csv", kwargs={"table": table})).content.decode()


def _demand(user: User) -> tuple[object, ...]:
    context = client_for(user).get(reverse("insights:city_demand")).context
    return (context["matrix"], context["scenario_rows"], context["hidden"])


@pytest.fixture
def five_sharing(programme: Programme) -> list[Enterprise]:
    return [_planned_firm(programme, f"潍坊第{i}机械有限公司") for i in range(disclosure.MIN_CELL)]


def test_a_firm_that_starts_sharing_cannot_be_read_as_the_difference_of_two_reads(
    programme: Programme, five_sharing: list[Enterprise]
) -> None:
    official = _official(five_sharing[0].city)
    victim = _planned_firm(programme, "潍坊受害机械有限公司", shared=False)
    before = {t: _csv(official, t) for t in ("totals", "demand_scenarios", "heatmap", "demand_chain")}
    demand_page = _demand(official)
    assert demand_page[0]  # the five firms' group is shown

    CityShare.objects.create(enterprise=victim)

    page = client_for(official).get(reverse("insights:city")).content.decode()
    assert "潍坊受害机械有限公司" in page  # named in the list, as its consent says
    assert 'id="city-release"' in page  # the page says when its figures were made and why they lag
    # before the fix the totals grew by the victim's plan: 6 planned firms and its one-off investment more
    assert {t: _csv(official, t) for t in before} == before
    assert _demand(official) == demand_page
    live = queries.money(Enterprise.objects.filter(pk__in=[f.pk for f in [*five_sharing, victim]]))
    shown = city_figures(victim.city).money
    assert shown.plans == disclosure.MIN_CELL < live.plans


def test_the_city_report_is_made_from_the_same_release(programme: Programme, five_sharing: list[Enterprise]) -> None:
    city = five_sharing[0].city
    money = city_figures(city).money
    victim = _planned_firm(programme, "潍坊受害机械有限公司")

    document = cohort_document(None, dt.date(2026, 12, 7), city=city)

    cells = [c for s in document.sections for b in s.blocks for row in getattr(b, "rows", []) for c in row]
    assert f"{money.plans} 家" in cells  # five, not six: the victim is named in the list, not in the sums
    texts = [b.text for s in document.sections for b in s.blocks if hasattr(b, "text")]
    assert any("生成的本市汇总" in t for t in texts)  # the report says where its figures come from
    assert city_figures(victim.city).money == money


def test_a_city_release_is_replaced_after_two_changes_and_a_month_with_noise_on_the_money(
    programme: Programme, five_sharing: list[Enterprise]
) -> None:
    city = five_sharing[0].city
    first = city_figures(city, rng=random.Random(1)).money
    _planned_firm(programme, "潍坊新甲机械有限公司")
    _planned_firm(programme, "潍坊新乙机械有限公司")
    assert city_figures(city).money == first  # two changes, but the release is not a month old
    release = CellRelease.objects.get(cell=city_cell_name(city))
    CellRelease.objects.filter(pk=release.pk).update(
        created_at=release.created_at - dt.timedelta(days=disclosure.RELEASE_MIN_DAYS)
    )

    after = city_figures(city, rng=random.Random(2)).money

    assert after.plans == disclosure.MIN_CELL + 2
    live = queries.money(Enterprise.objects.filter(name__startswith="潍坊"))
    assert after.one_off != live.one_off  # the sum carries noise drawn once (seeded here)
    assert abs(after.one_off - live.one_off) < 6 * live.one_off / live.plans  # of one firm's scale


def test_a_city_with_fewer_than_five_planned_firms_shows_no_plan_money(programme: Programme) -> None:
    firm = _planned_firm(programme, "潍坊唯一机械有限公司")
    body = _csv(_official(firm.city), "totals")
    assert "有规划的企业,0," in body  # one firm's "total" would be its plan


def test_the_city_reports_pilot_candidates_name_only_what_the_consent_promises(
    programme: Programme, five_sharing: list[Enterprise]
) -> None:
    document = cohort_document(None, dt.date(2026, 12, 7), city=five_sharing[0].city)
    pilots = next(s for s in document.sections if s.title.startswith("五"))
    rows = [row for b in pilots.blocks for row in getattr(b, "rows", [])]
    assert rows
    assert all(len(row) == 3 for row in rows)  # rank, name, reasons: no score
    assert not any("信息系统" in c or "年度预算" in c for row in rows for c in row)


def test_the_noisy_city_money_keeps_the_orders_a_reader_relies_on(
    programme: Programme, five_sharing: list[Enterprise]
) -> None:
    city = five_sharing[0].city
    for seed in range(20):
        CellRelease.objects.filter(cell=city_cell_name(city)).delete()
        money = city_figures(city, rng=random.Random(seed)).money
        assert 0 <= money.subsidy_counted <= money.one_off
        assert money.subsidy_counted <= money.subsidy_likely
        assert money.benefit_low <= money.benefit_median <= money.benefit_high
