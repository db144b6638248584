"""The median aggregate gives the same number on SQLite and PostgreSQL (run this file with DATABASE_URL set
to a PostgreSQL server as well), and the dashboard shows it per group."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Value

from tests.web.conftest import join, make_enterprise
from wendao.web.enterprises.models import AssessmentRound, Enterprise
from wendao.web.insights import queries
from wendao.web.insights.median import Median, median_of
from wendao.web.programmes.models import Programme

pytestmark = pytest.mark.django_db


def test_median_of_follows_percentile_cont() -> None:
    assert median_of([]) is None
    assert median_of([3.0]) == 3.0
    assert median_of([5.0, 1.0, 3.0]) == 3.0
    assert median_of([1.0, 2.0]) == 1.5
    assert median_of([0.1, 0.7]) == 0.1 + (0.7 - 0.1) * 0.5


def _cohort(scores: list[float], example: str = "weifang_machinery") -> tuple[Programme, list[Enterprise]]:
    programme = Programme.objects.create(name="中位数")
    enterprises = [make_enterprise(None, example) for _ in scores]
    for e, s in zip(enterprises, scores, strict=True):
        join(programme, e)
        # the scores the questionnaire gives are all alike; set known ones to test the aggregate itself
        AssessmentRound.objects.filter(enterprise=e, current=True).update(overall=s)
    return programme, enterprises


@pytest.mark.parametrize(
    "scores",
    [
        [40.0, 10.0, 70.0, 55.5, 20.25],  # odd: the middle value
        [40.0, 10.0, 70.0, 55.5, 20.25, 33.3],  # even: interpolated between 33.3 and 40
        [0.1, 0.7, 0.2, 0.9, 0.3, 0.6],  # values where lo + (hi - lo) / 2 and (lo + hi) / 2 differ in floats
    ],
)
def test_median_aggregate_equals_the_python_definition(scores: list[float]) -> None:
    _programme, enterprises = _cohort(scores)
    rounds = AssessmentRound.objects.filter(enterprise__in=enterprises, current=True)
    got = rounds.aggregate(m=Median("overall"))["m"]
    assert got == median_of(scores), connection.vendor  # exactly, not approximately


def test_median_per_group_and_of_an_empty_set() -> None:
    _programme, enterprises = _cohort([10.0, 20.0, 30.0, 40.0, 50.0, 60.0])
    grouped = (
        AssessmentRound.objects.filter(enterprise__in=enterprises, current=True)
        .annotate(g=Value("x"))
        .values("g")
        .annotate(m=Median("overall"))
        .order_by("g")
    )
    assert [r["m"] for r in grouped] == [35.0]
    assert AssessmentRound.objects.filter(pk=-1).aggregate(m=Median("overall"))["m"] is None
    AssessmentRound.objects.filter(enterprise=enterprises[0]).update(overall=None)
    rounds = AssessmentRound.objects.filter(enterprise__in=enterprises)
    assert rounds.aggregate(m=Median("overall"))["m"] == 40.0  # NULL skipped: 20..60


def test_dashboard_cells_carry_the_median() -> None:
    programme, _enterprises = _cohort([40.0, 10.0, 70.0, 55.5, 20.25, 33.3])
    dist = queries.maturity_by(queries.enterprises_of(Programme.objects.filter(pk=programme.pk)), "city")
    (cell,) = dist.cells
    assert cell.n == 6
    assert cell.median == round(median_of([40.0, 10.0, 70.0, 55.5, 20.25, 33.3]) or 0, 1) == 36.6
    assert cell.low == 10.0
    assert cell.high == 70.0


def test_all_dimensions_at_once_equal_one_query_per_dimension() -> None:
    programme, _enterprises = _cohort([40.0, 10.0, 70.0, 55.5, 20.25, 33.3])
    for _ in range(5):  # a second city: 淄博, five firms, just enough to be shown
        join(programme, make_enterprise(None, "zibo_chemical"))
    scoped = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    dimensions = ["city", "division", "chain", "size"]
    together = queries.maturity_distributions(scoped, dimensions)
    assert together == {d: queries.maturity_by(scoped, d) for d in dimensions}, connection.vendor
    assert [c.n for c in together["city"].cells] == [6, 5]
