"""City officials: a Weifang official counts and names only Weifang's enterprises that joined a programme and
agreed to share with their city; members give and withdraw that consent; the city report is built for them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise, make_user
from wendao.web.accounts.models import AuditEvent, Role, User
from wendao.web.enterprises import services
from wendao.web.enterprises.access import city_enterprises_for_user, get_city_for_user
from wendao.web.enterprises.models import Enterprise
from wendao.web.insights.models import CityShare, CohortReport
from wendao.web.insights.report import build_report, cohort_document, start_report
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db


def official(username: str, city: str) -> User:
    user = make_user(username, Role.CITY_OFFICIAL)
    user.city = city
    user.save()
    return user


def share(enterprise: Enterprise) -> None:
    CityShare.objects.create(enterprise=enterprise)


def firm(name: str, example: str = "weifang_machinery") -> Enterprise:
    enterprise = make_enterprise(None, example)
    enterprise.name = name
    enterprise.profile = enterprise.profile | {"name": name}
    enterprise.save(update_fields=["name", "profile"])
    return enterprise


@pytest.fixture
def weifang_firms(programme: Programme) -> dict[str, Enterprise]:
    """Shared and joined (two, one with a plan); joined but not shared; shared but only invited; another city's."""
    firms = {
        "shared": firm("潍坊甲机械有限公司"),
        "shared_planned": firm("潍坊乙机械有限公司"),
        "not_shared": firm("潍坊丙机械有限公司"),
        "invited_only": firm("潍坊丁机械有限公司"),
        "zibo": firm("淄博戊化工有限公司", "zibo_chemical"),
    }
    for key in ("shared", "shared_planned", "not_shared", "zibo"):
        join(programme, firms[key])
    Participant.objects.create(programme=programme, enterprise=firms["invited_only"])
    for key in ("shared", "shared_planned", "invited_only", "zibo"):
        share(firms[key])
    services.create_plan(None, firms["shared_planned"], services.plan_options({}))
    return firms


def test_a_city_official_counts_only_their_citys_joined_enterprises_that_agreed(
    weifang_firms: dict[str, Enterprise],
) -> None:
    weifang = official("weifang-official", weifang_firms["shared"].city)
    visible = set(city_enterprises_for_user(weifang).values_list("name", flat=True))
    assert visible == {"潍坊甲机械有限公司", "潍坊乙机械有限公司"}
    page = client_for(weifang).get(reverse("insights:city")).content.decode()
    assert "潍坊甲机械有限公司" in page
    assert "潍坊丙机械有限公司" not in page  # joined, but did not agree
    assert "潍坊丁机械有限公司" not in page  # agreed, but never accepted an invitation
    assert "淄博戊化工有限公司" not in page  # another city's
    assert "数据看板 · 潍坊市" in page or "数据看板 · 潍坊" in page  # the city by name, not its key
    # two firms are too few for a group: the table says so, and no empty chart box is drawn above it
    assert "没有足够的数据。" in page.split('id="maturity-division"')[1]
    assert 'id="chart-city"' not in page


def test_the_firm_list_is_searched_filtered_and_paged(weifang_firms: dict[str, Enterprise]) -> None:
    weifang = official("weifang-official", weifang_firms["shared"].city)
    client = client_for(weifang)
    page = client.get(reverse("insights:city"), {"q": "甲"}).content.decode()
    assert "潍坊甲机械有限公司" in page
    assert "潍坊乙机械有限公司" not in page
    division = weifang_firms["shared"].industry[:3]
    page = client.get(reverse("insights:city"), {"division": division}).content.decode()
    assert "潍坊乙机械有限公司" in page
    page = client.get(reverse("insights:city"), {"division": "C99"}).content.decode()
    assert "没有符合条件的企业" in page
    assert client.get(reverse("insights:city"), {"page": "999"}).status_code == 200  # the last page, not an error


def test_nobody_but_a_city_official_with_a_city_reaches_the_city_pages(
    weifang_firms: dict[str, Enterprise], olivia: User, alice: User
) -> None:
    nowhere = make_user("no-city-official", Role.CITY_OFFICIAL)  # an official whose account has no city yet
    urls = [
        reverse("insights:city"),
        reverse("insights:city_demand"),
        reverse("insights:city_csv", kwargs={"table": "totals"}),
        reverse("insights:city_report"),
    ]
    for user in (olivia, alice, nowhere):
        for url in urls:
            assert client_for(user).get(url).status_code == 404, (user.username, url)
    weifang = official("weifang-official", weifang_firms["shared"].city)
    for url in urls:
        assert client_for(weifang).get(url).status_code == 200, url
    # the organiser's pages and the enterprise's own stay closed to a city official
    programme = Participant.objects.get(enterprise=weifang_firms["shared"]).programme
    assert client_for(weifang).get(reverse("insights:dashboard", kwargs={"pk": programme.pk})).status_code == 404
    assert (
        client_for(weifang).get(reverse("enterprises:detail", kwargs={"pk": weifang_firms["shared"].pk})).status_code
        == 404
    )
    # the city's own CSV tables: a city table is not among them (the city is the whole view)
    assert client_for(weifang).get(reverse("insights:city_csv", kwargs={"table": "city"})).status_code == 404
    assert get_city_for_user(weifang) == weifang_firms["shared"].city


def test_the_city_csv_names_groups_and_keeps_keys_last(weifang_firms: dict[str, Enterprise]) -> None:
    weifang = official("weifang-official", weifang_firms["shared"].city)
    body = client_for(weifang).get(reverse("insights:city_csv", kwargs={"table": "totals"})).content.decode()
    assert body.startswith("\ufeff项目,数值,单位,怎样算出")
    # one shared, joined firm with a plan: fewer than five, so no release and no plan money (its "total" would be
    # its plan; tests/web/security/test_s8b_city_releases.py)
    assert "有规划的企业,0," in body


def test_a_member_gives_and_withdraws_the_consent_and_outsiders_cannot(
    alice: User, alice_co: Enterprise, alice_participant: Participant, bob: User
) -> None:
    url = reverse("insights:city_share", kwargs={"pk": alice_co.pk})
    detail = reverse("enterprises:detail", kwargs={"pk": alice_co.pk})
    page = client_for(alice).get(detail).content.decode()
    assert 'id="city-share"' in page
    assert "同意向潍坊市共享" in page or "同意向潍坊共享" in page
    assert client_for(bob).post(url, {"share": "1"}).status_code == 404
    assert not CityShare.objects.exists()
    response = client_for(alice).post(url, {"share": "1", "next": detail})
    assert response.status_code == 302
    assert response["Location"] == detail
    assert CityShare.objects.get().enterprise == alice_co
    weifang = official("weifang-official", alice_co.city)
    assert list(city_enterprises_for_user(weifang)) == [alice_co]
    client_for(alice).post(url, {"share": "0", "next": "https://evil.example/"})
    assert not CityShare.objects.exists()
    assert not city_enterprises_for_user(weifang).exists()
    actions = list(AuditEvent.objects.filter(object_type="enterprises.enterprise").values_list("action", flat=True))
    assert "city_share.give" in actions
    assert "city_share.withdraw" in actions


def test_the_city_report_is_the_citys_and_names_what_an_official_reads(
    weifang_firms: dict[str, Enterprise],
) -> None:
    city = weifang_firms["shared"].city
    document = cohort_document(None, dt.date(2026, 12, 6), city=city)
    assert "潍坊" in document.title
    assert city not in document.title
    texts = [b.text for s in document.sections for b in s.blocks if hasattr(b, "text")]
    assert any("共有 2 家企业参加培训并同意向本市共享数据" in t for t in texts)
    assert any("城市报告不含目标" in t for t in texts)
    weifang = official("weifang-official", city)
    report = start_report(weifang, None, "zh", city=city)
    build_report(report.pk)
    report.refresh_from_db()
    assert report.status == CohortReport.Status.DONE, report.error
    client = client_for(weifang)
    download = reverse("insights:city_report_download", kwargs={"report_pk": report.pk, "fmt": "docx"})
    assert client.get(download).content.startswith(b"PK")
    other = official("zibo-official", weifang_firms["zibo"].city)
    assert client_for(other).get(download).status_code == 404
    page = client.get(reverse("insights:city_report")).content.decode()
    assert download in page
