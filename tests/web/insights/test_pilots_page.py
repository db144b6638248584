"""The pilot ranking page: by pages with the rank counted across pages, filtered by city, chain and size (the
CSV export follows the filters), each row's place and component scores under its name for a phone."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise
from wendao.web.insights import queries, views
from wendao.web.insights.pilots import Weights
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(programme: Programme) -> list[Enterprise]:
    """Five enterprises in 潍坊 (the last in no provincial key chain) and one in 淄博, all joined."""
    out = [make_enterprise(None) for _ in range(4)]
    out += [make_enterprise(None, chain=None), make_enterprise(None, "zibo_chemical")]
    for e in out:
        join(programme, e)
    return out


def _ranked_names(programme: Programme) -> list[str]:
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    return [r.name for r in queries.pilot_ranking(enterprises, Weights()).rows]


def test_the_ranking_comes_in_pages_and_a_rank_counts_across_pages(
    programme: Programme, cohort: list[Enterprise], olivia: User, monkeypatch: Any
) -> None:
    monkeypatch.setattr(views, "PILOTS_PER_PAGE", 4)
    client = client_for(olivia)
    url = reverse("insights:pilots", kwargs={"pk": programme.pk})
    first, second = client.get(url), client.get(url, {"page": 2})
    order = _ranked_names(programme)
    assert [(rank, r.name) for rank, r, _place in first.context["rows"]] == list(enumerate(order[:4], 1))
    assert [(rank, r.name) for rank, r, _place in second.context["rows"]] == list(enumerate(order[4:], 5))
    assert first.context["page"].paginator.count == 6
    assert "page=2" in first.content.decode()
    assert "第 2 / 2 页，共 6 家" in second.content.decode()


def test_a_filter_keeps_its_city_ranks_within_it_and_the_csv_follows(
    programme: Programme, cohort: list[Enterprise], olivia: User
) -> None:
    client = client_for(olivia)
    page = client.get(reverse("insights:pilots", kwargs={"pk": programme.pk}), {"city": "zibo"})
    assert [(rank, r.name) for rank, r, _place in page.context["rows"]] == [(1, cohort[5].name)]
    body = page.content.decode()
    assert "筛选后共 1 家企业" in body
    assert f'href="/insights/programmes/{programme.pk}/pilots.csv?city=zibo"' in body
    exported = client.get(reverse("insights:pilots_csv", kwargs={"pk": programme.pk}), {"city": "zibo"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == [cohort[5].name]
    # "no provincial key chain" is a choice of its own; a value no enterprise holds filters nothing
    outside = client.get(reverse("insights:pilots", kwargs={"pk": programme.pk}), {"chain": "-"})
    assert [r.name for _rank, r, _place in outside.context["rows"]] == [cohort[4].name]
    unknown = client.get(reverse("insights:pilots", kwargs={"pk": programme.pk}), {"city": "lhasa"})
    assert len(unknown.context["rows"]) == 6
    none = client.get(reverse("insights:pilots", kwargs={"pk": programme.pk}), {"city": "zibo", "chain": "-"})
    assert none.context["rows"] == []
    assert "没有符合条件的企业。" in none.content.decode()


def test_a_filter_offers_only_what_the_programme_s_enterprises_hold(
    programme: Programme, cohort: list[Enterprise], olivia: User
) -> None:
    page = client_for(olivia).get(reverse("insights:pilots", kwargs={"pk": programme.pk}))
    cities = [label for value, label in page.context["filters"].fields["city"].choices]
    assert cities == ["全部", "潍坊", "淄博"]


def test_each_row_folds_its_place_and_component_scores_under_the_name(
    programme: Programme, cohort: list[Enterprise], olivia: User
) -> None:
    body = client_for(olivia).get(reverse("insights:pilots", kwargs={"pk": programme.pk})).content.decode()
    assert 'class="no-stack"' in body  # not nine stacked cells a row on a phone
    assert body.count('<details class="phone-only"><summary>潍坊 · ') == 5
    assert "淄博 · 高端化工 · 中型企业</summary>基础扎实 " in body
    assert body.count('<tr><td class="num">') == 6
