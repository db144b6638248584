"""The participant table at a class's size: names for cities and industries, search, filters and pages of 50,
with the status counts over the whole programme."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.web.accounts.models import User
from wendao.web.programmes import services
from wendao.web.programmes.importing import ImportRow
from wendao.web.programmes.models import DiscussionGroup, GroupMembership, Participant, Programme
from wendao.web.programmes.participant_table import PER_PAGE, participant_table, status_counts

pytestmark = pytest.mark.django_db

CITIES = ("jinan", "qingdao", "zibo")


@pytest.fixture
def class_of_120(programme: Programme, olivia: User) -> Programme:
    """120 imported firms over three cities and two divisions; the ten that joined form group 1."""
    rows = [
        ImportRow(
            i + 2,
            f"测试企业{i:03d}有限公司",
            "",
            CITIES[i % 3],
            "C34" if i % 2 else "C26",
            100,
            5000.0,
            f"联系人{i:03d}",
            f"1390000{i:04d}",
            "",
        )
        for i in range(120)
    ]
    services.import_participants(olivia, programme, rows)
    group = DiscussionGroup.objects.create(programme=programme, number=1)
    for p in Participant.objects.filter(programme=programme).order_by("pk")[:10]:
        assert p.account is not None
        services.accept_invitation(p.account, p, None)  # only a firm that joined is grouped
        GroupMembership.objects.create(group=group, participant=p)
    return programme


def _page(user: User, programme: Programme, **params: str) -> str:
    response = client_for(user).get(reverse("programmes:detail", kwargs={"pk": programme.pk}), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_table_shows_one_page_of_50_with_counts_over_everyone(class_of_120: Programme, olivia: User) -> None:
    page = _page(olivia, class_of_120)
    assert page.count(f'href="/programmes/{class_of_120.pk}/participants/') == PER_PAGE
    assert "第 1 / 3 页" in page
    assert "符合条件 120 家 / 共 120 家" in page
    assert "测试企业000有限公司" in page
    assert "测试企业119有限公司" not in page
    last = _page(olivia, class_of_120, page="3")
    assert "测试企业119有限公司" in last
    # cities and divisions by name, never their keys
    assert "济南" in page
    assert ">jinan<" not in page
    assert ">C34<" not in page


def test_search_and_filters_narrow_the_rows_and_keep_each_other_in_the_pager(
    class_of_120: Programme, olivia: User
) -> None:
    assert "符合条件 1 家" in _page(olivia, class_of_120, q="企业007")
    assert "符合条件 1 家" in _page(olivia, class_of_120, q="13900000007")  # the contact's mobile
    assert "符合条件 40 家" in _page(olivia, class_of_120, city="zibo")
    assert "符合条件 20 家" in _page(olivia, class_of_120, city="zibo", division="C34")
    assert "符合条件 10 家" in _page(olivia, class_of_120, group="1")
    assert "符合条件 110 家" in _page(olivia, class_of_120, group="none")
    assert "符合条件 110 家" in _page(olivia, class_of_120, status="pending")
    assert "没有符合条件的参训企业" in _page(olivia, class_of_120, status="plan_made")
    # nonsense is ignored rather than an error
    assert "符合条件 120 家" in _page(olivia, class_of_120, status="drop table", group="x", page="-1")
    table = participant_table(class_of_120, {"city": "jinan", "page": "1"})
    assert table.filters.query(page="2") == "city=jinan&page=2"
    assert any("济南" in name for key, name in table.cities if key == "jinan")


def test_the_counts_are_the_same_as_counting_every_row(class_of_120: Programme, alice_participant: Participant) -> None:
    programme = alice_participant.programme
    assert status_counts(programme) == services.status_counts(services.statuses(programme))
    assert status_counts(programme)["assessment_done"] == 1  # alice's joined enterprise; the imports count nothing


def test_the_participant_page_names_the_city_industry_and_dimensions(
    alice_participant: Participant, olivia: User
) -> None:
    from wendao.web.catalog.services import active_catalog

    url = reverse(
        "programmes:participant", kwargs={"pk": alice_participant.programme_id, "participant": alice_participant.pk}
    )
    page = client_for(olivia).get(url).content.decode()
    enterprise = alice_participant.enterprise
    assert "潍坊" in page
    assert f"{enterprise.city} · " not in page
    assert "潍坊 · 通用设备制造业 · " in page  # the division by name, not "C34 通用设备制造业"
    assert "首次评估 总分" in page  # the first round by name, not "T0"
    assert '<p id="contact">联系人：王丽 · 13900000001</p>' in page  # no dangling "·" for the missing e-mail
    dimensions = active_catalog().questionnaire.dimensions
    for d in dimensions:
        assert d.name_zh in page
        assert f"<td>{d.id}</td>" not in page


def test_django_rendered_forms_put_no_ascii_colon_after_chinese_labels(programme: Programme, olivia: User) -> None:
    page = client_for(olivia).get(reverse("programmes:visits", kwargs={"pk": programme.pk})).content.decode()
    form = page.split('id="visit-form"')[1].split("</form>")[0]
    assert "</label>" in form
    assert ":</label>" not in form
