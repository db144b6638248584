"""Organiser dashboards: maturity by city / division / chain / size, demand heat map, totals, pilot ranking.

Every page fetches the programme through ``enterprises.access.get_programme_for_user``: anyone who is not
an organiser of the programme gets 404. Every table has a CSV export.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wendao.engine.profile import SIZE_NAMES
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.access import get_programme_for_user
from wendao.web.insights import queries
from wendao.web.insights.forms import WeightsForm
from wendao.web.programmes.models import Programme

TABLES = ("city", "division", "chain", "size", "heatmap", "totals")


def _titles() -> dict[str, str]:
    return {
        "city": _("按城市"),
        "division": _("按行业大类"),
        "chain": _("按产业链"),
        "size": _("按企业规模"),
    }


def _csv(rows: list[list[Any]], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(rows)
    # BOM so that Excel opens the UTF-8 file with the Chinese names intact
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _labels() -> dict[str, dict[str, str]]:
    """Display names for the grouping keys (city, division, chain, size class) in the current language."""
    en = (get_language() or "").startswith("en")
    catalog = active_catalog().catalog
    pick = (lambda zh, e: e) if en else (lambda zh, e: zh)
    return {
        "city": {c.id: pick(c.name_zh, c.name_en) for c in catalog.cities},
        "division": {i.code: f"{i.code} {pick(i.name_zh, i.name_en)}" for i in catalog.industries},
        "chain": {c.id: pick(c.name_zh, c.name_en) for c in catalog.chains},
        "size": {k: pick(zh + "企业", e) for k, (zh, e) in SIZE_NAMES.items()},
    }


def _label(labels: dict[str, dict[str, str]], dimension: str, key: Any) -> str:
    return labels.get(dimension, {}).get(str(key), str(key))


def _scenario_name(heat: queries.HeatMap, sid: str) -> str:
    zh, en = heat.names.get(sid, (sid, sid))
    return en if (get_language() or "").startswith("en") else zh


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    titles = _titles()
    distributions = [(name, titles[name], queries.maturity_by(enterprises, name)) for name in titles]
    heat = queries.demand_heatmap(enterprises)
    city = distributions[0][2]
    labels = _labels()
    charts = {
        "city": {"keys": [_label(labels, "city", c.key) for c in city.cells], "means": [c.mean for c in city.cells]},
        "heat": {
            "rows": [_label(labels, "chain", r) for r in heat.rows],
            "columns": [_scenario_name(heat, s) for s in heat.columns],
            "data": [[j, i, n] for i, (_r, ns) in enumerate(heat.matrix()) for j, n in enumerate(ns)],
        },
    }
    return render(
        request,
        "insights/dashboard.html",
        {
            "programme": programme,
            "distributions": distributions,
            "heat": heat,
            "heat_columns": [_scenario_name(heat, s) for s in heat.columns],
            "labels": labels,
            "totals": queries.totals(enterprises),
            "charts": charts,
            "min_cell": queries.MIN_CELL,
            "enterprise_count": enterprises.count(),
        },
    )


@login_required
@require_GET
def dashboard_csv(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if table not in TABLES:
        raise Http404("no such table")
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    rows: list[list[Any]]
    if table == "heatmap":
        heat = queries.demand_heatmap(enterprises)
        rows = [[_("产业链"), *heat.columns]]
        rows += [[r, *ns] for r, ns in heat.matrix()]
    elif table == "totals":
        t = queries.totals(enterprises)
        rows = [
            [_("规划数"), _("投资（万元）"), _("计入补贴（万元）"), _("预期年收益中位数合计（万元/年）")],
            [t.plans, t.one_off, t.subsidy, t.annual_benefit_median],
        ]
    else:
        dist = queries.maturity_by(enterprises, table)
        rows = [[_("分组"), _("企业数"), _("平均分"), _("最低分"), _("最高分")]]
        rows += [[c.key, c.n, c.mean, c.low, c.high] for c in dist.cells]
    return _csv(rows, f"programme-{programme.pk}-{table}.csv")


def _ranking(request: HttpRequest, programme: Programme) -> tuple[WeightsForm, list[queries.PilotRow]]:
    form = WeightsForm(request.GET or None)
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    return form, queries.pilot_ranking(enterprises, form.weights())


@login_required
@require_GET
def pilots(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    form, rows = _ranking(request, programme)
    return render(
        request,
        "insights/pilots.html",
        {
            "programme": programme,
            "form": form,
            "rows": rows,
            "weights": form.weights(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def pilots_csv(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    _form, ranking = _ranking(request, programme)
    rows: list[list[Any]] = [
        [
            _("排名"),
            _("企业名称"),
            _("城市"),
            _("产业链"),
            _("规模"),
            _("基础扎实"),
            _("转型意愿"),
            _("示范带动"),
            _("总分"),
        ]
    ]
    rows += [
        [
            i,
            r.name,
            r.city,
            r.chain,
            r.size_class,
            r.result.foundation,
            r.result.willingness,
            r.result.demonstration,
            r.result.score,
        ]
        for i, r in enumerate(ranking, 1)
    ]
    return _csv(rows, f"programme-{programme.pk}-pilots.csv")
