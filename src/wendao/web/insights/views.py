"""Organiser dashboards: maturity by city / division / chain / size, demand heat map, totals, pilot ranking,
targets with progress; and the members' progress of their roadmap items (set from the plan page).

Every page fetches the programme through ``programmes.access.get_programme_for_user``: anyone who is not
an organiser of the programme gets 404. Every table has a CSV export.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wendao.engine.tables import number, safe_row
from wendao.web.accounts.audit import record
from wendao.web.enterprises.access import get_plan_for_user
from wendao.web.enterprises.models import Enterprise
from wendao.web.htmx import htmx_partial
from wendao.web.insights import queries, targets
from wendao.web.insights.forms import PilotFilterForm, ProgressForm, TargetForm, WeightsForm
from wendao.web.insights.labels import Labels, dimension_titles, labels
from wendao.web.insights.models import CohortReport, Scope, Target
from wendao.web.insights.progress import set_progress
from wendao.web.insights.releases import CityFigures
from wendao.web.insights.report import start_report
from wendao.web.insights.support import cohort_support
from wendao.web.programmes.access import get_programme_for_user
from wendao.web.programmes.models import Participant, Programme

DIMENSIONS = ("city", "division", "chain", "size")
DEMAND_TABLES = {f"demand_{d}": d for d in DIMENSIONS} | {"demand_scenarios": "all"}
TABLES = ("city", "division", "chain", "size", "heatmap", "totals", *DEMAND_TABLES)
# the ranking by pages: 100 rows on one page stood 24 511 px tall on a 390 px phone (demo, session 7); the CSV
# export has every enterprise the filters keep
PILOTS_PER_PAGE = 25
DEMAND_COLUMNS = 15  # scenarios in the demand chart and matrix (most items first); the CSV has every one


def _titles() -> dict[str, str]:
    return {
        "city": _("按城市"),
        "division": _("按行业大类"),
        "chain": _("按产业链"),
        "size": _("按企业规模"),
    }


def csv_response(rows: list[list[Any]], filename: str) -> HttpResponse:
    """Every table's CSV: each cell through ``tables.safe_cell`` (text that would start a formula is quoted,
    numbers stay numbers)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(safe_row(row) for row in rows)
    # BOM so that Excel opens the UTF-8 file with the Chinese names intact
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scenario_name(heat: queries.HeatMap, names: Labels, sid: str) -> str:
    return names.scenario(sid, heat.names.get(sid))


def dashboard_context(
    enterprises: QuerySet[Enterprise], dimensions: tuple[str, ...], city: CityFigures | None = None
) -> dict[str, Any]:
    """What the dashboard shows for a set of enterprises (a programme's, or a city's for its officials): maturity
    by each dimension (the first one also as a bar chart), the chain × scenario heat map and the money totals.
    A city's heat map and money come from its release (``city``), not from the live plans."""
    titles = {d: t for d, t in _titles().items() if d in dimensions}
    by_dimension = queries.maturity_distributions(enterprises, list(titles))
    names = labels()
    distributions = [
        (name, titles[name], by_dimension[name], [(names.of(name, c.key), c) for c in by_dimension[name].cells])
        for name in titles
    ]
    heat = queries.demand_heatmap(enterprises, city.plans if city else None)
    first = distributions[0]
    charts = {
        "city": {
            "keys": [names.of(first[0], c.key) for c in first[2].cells],
            "means": [c.mean for c in first[2].cells],
        },
        "heat": {
            "rows": [names.of("chain", r) for r in heat.rows],
            "columns": [_scenario_name(heat, names, s) for s in heat.columns],
            "data": [[j, i, n] for i, (_r, ns) in enumerate(heat.matrix()) for j, n in enumerate(ns)],
        },
    }
    return {
        "distributions": distributions,
        "bar_dimension": first[0],
        "bar_label": _("平均成熟度") + " · " + first[1],
        "heat_rows": [(names.of("chain", r), ns) for r, ns in heat.matrix()],
        "heat_columns": [_scenario_name(heat, names, s) for s in heat.columns],
        "money": city.money if city else queries.money(enterprises),
        "method": money_method(),
        "released_at": city.released_at if city else None,
        "city_release": city is not None,
        "charts": charts,
        "min_cell": queries.MIN_CELL,
    }


def _programme_links(programme: Programme) -> dict[str, Any]:
    """Where a programme's pages link to: its navigation, CSV tables and demand page."""
    return {
        "programme": programme,
        "scope_name": programme.name,
        "nav": "insights/_nav.html",
        "csv": {t: reverse("insights:dashboard_csv", kwargs={"pk": programme.pk, "table": t}) for t in TABLES},
        "demand_url": reverse("insights:demand", kwargs={"pk": programme.pk}),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    return render(
        request,
        "insights/dashboard.html",
        {
            **_programme_links(programme),
            **dashboard_context(enterprises, DIMENSIONS),
            "enterprise_count": Participant.objects.filter(programme=programme).count(),
        },
    )


def table_rows(enterprises: QuerySet[Enterprise], table: str, city: CityFigures | None = None) -> list[list[Any]]:
    """One dashboard table as CSV rows: names for people, the keys in the last columns for machines. A city's
    plan tables come from its release (``city``)."""
    names = labels()
    plans = city.plans if city else None
    rows: list[list[Any]]
    if table == "heatmap":
        heat = queries.demand_heatmap(enterprises, plans)
        rows = [[_("产业链"), *(_scenario_name(heat, names, s) for s in heat.columns), _("产业链代码")]]
        rows += [[names.of("chain", r), *ns, r] for r, ns in heat.matrix()]
    elif table == "totals":
        rows = _money_rows(city.money if city else queries.money(enterprises))
    elif table in DEMAND_TABLES:
        rows = _demand_rows(queries.demand_by(enterprises, DEMAND_TABLES[table], plans), names)
    else:
        dist = queries.maturity_by(enterprises, table)
        rows = [[dimension_titles()[table], _("企业数"), _("平均分"), _("中位数"), _("最低分"), _("最高分"), _("代码")]]
        rows += [[names.of(table, c.key), c.n, c.mean, c.median, c.low, c.high, c.key] for c in dist.cells]
    return rows


@login_required
@require_GET
def dashboard_csv(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if table not in TABLES:
        raise Http404("no such table")
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    return csv_response(table_rows(enterprises, table), f"programme-{programme.pk}-{table}.csv")


def _money_rows(m: queries.Money) -> list[list[Any]]:
    """The money totals as a two-column table, each figure with how it was formed."""
    method = money_method()
    return [
        [_("项目"), _("数值"), _("单位"), _("怎样算出")],
        [_("有规划的企业"), m.plans, _("家"), method["plans"]],
        [_("路线图项目"), m.items, _("个"), method["items"]],
        [_("一次性投资"), m.one_off, _("万元"), method["one_off"]],
        [_("计入的补贴"), m.subsidy_counted, _("万元"), method["subsidy_counted"]],
        [_("可能获得的补贴"), m.subsidy_likely, _("万元"), method["subsidy_likely"]],
        [_("扣除计入补贴后的投资"), m.net_one_off, _("万元"), method["net_one_off"]],
        [_("年运行费用"), m.annual_running, _("万元/年"), method["annual_running"]],
        [_("年收益（低）"), m.benefit_low, _("万元/年"), method["benefit_band"]],
        [_("年收益（中位）"), m.benefit_median, _("万元/年"), method["benefit_median"]],
        [_("年收益（高）"), m.benefit_high, _("万元/年"), method["benefit_band"]],
    ]


def money_method() -> dict[str, str]:
    """How each money total is formed, in the reader's language (the dashboard, its CSV and the report)."""
    return {
        "plans": _("参训企业中已接受邀请、且有规划的企业；每家只计最新一份规划。"),
        "items": _("各企业最新规划路线图中的项目数之和；只有路线图中的项目计入金额，排名中未入选的场景不计。"),
        "one_off": _("路线图项目的一次性投资之和（软件、硬件、服务），按各项目的覆盖范围估算。"),
        "subsidy_counted": _("规划中计入的补贴之和：只计政策规则明确适用、金额可按官方公式算出的部分。"),
        "subsidy_likely": _(
            "每个项目取计入补贴与一项符合条件政策的最高金额中较大者（政策之间不叠加），"
            "包括企业尚需确认条件的政策；是可能的上限，不是承诺。"
        ),
        "net_one_off": _("一次性投资减去计入的补贴。"),
        "annual_running": _("路线图项目每年的运行费用（订阅、维护、云服务等）之和。"),
        "benefit_median": _(
            "各规划年收益中位数之和：每个项目的效果按其实施风险打折（风险调整），"
            "作用于同一成本池（如能源费用、质量损失）的多个项目按 1 − Π(1 − 效果) 复合，且不超过该成本池本身。"
        ),
        "benefit_band": _(
            "可信区间：各规划自身低值之和至高值之和。每家企业都落在自己的区间内时，合计必在此区间内；"
            "各企业同时落在低端或同时落在高端的可能性较小，所以这是一个偏宽的区间。"
        ),
    }


def _demand_rows(d: queries.Demand, names: Labels) -> list[list[Any]]:
    if d.dimension == "all":
        rows: list[list[Any]] = [
            [_("场景"), _("计划中"), _("实施中"), _("已上线"), _("合计"), _("提出相关需求的企业"), _("场景代码")]
        ]
        for sid in d.scenarios:
            planned, started, deployed = d.by_scenario(sid)
            name = names.scenario(sid, d.names.get(sid))
            rows.append([name, planned, started, deployed, planned + started + deployed, d.needs.get(sid, 0), sid])
        return rows
    title = dimension_titles()[d.dimension]
    rows = [
        [
            title,
            _("场景"),
            _("计划中"),
            _("实施中"),
            _("已上线"),
            _("合计"),
            _("有规划的企业"),
            _("分组代码"),
            _("场景代码"),
        ]
    ]
    for group in d.groups:
        for sid in d.scenarios:
            planned, started, deployed = d.counts.get((group, sid), (0, 0, 0))
            if planned + started + deployed:
                rows.append(
                    [
                        names.of(d.dimension, group),
                        names.scenario(sid, d.names.get(sid)),
                        planned,
                        started,
                        deployed,
                        planned + started + deployed,
                        d.firms[group],
                        group,
                        sid,
                    ]
                )
    return rows


def demand_context(
    enterprises: QuerySet[Enterprise], dimension: str, dimensions: tuple[str, ...], city: CityFigures | None = None
) -> dict[str, Any]:
    """The demand page for a set of enterprises: ``dimension`` × scenario, and every scenario with the needs.
    A city's counts are over the plans of its release (``city``)."""
    names = labels()
    plans = city.plans if city else None
    by_group = queries.demand_by(enterprises, dimension, plans)
    overall = queries.demand_by(enterprises, "all", plans)
    columns = by_group.scenarios[:DEMAND_COLUMNS]
    column_names = [names.scenario(s, by_group.names.get(s)) for s in columns]
    group_names = [names.of(dimension, g) for g in by_group.groups]
    matrix = [
        (
            group_names[i],
            by_group.firms[g],
            [(by_group.total(g, s), by_group.counts.get((g, s), (0, 0, 0))) for s in columns],
        )
        for i, g in enumerate(by_group.groups)
    ]
    scenario_rows = []
    for sid in overall.scenarios:
        planned, started, deployed = overall.by_scenario(sid)
        scenario_rows.append(
            (names.scenario(sid, overall.names.get(sid)), planned, started, deployed, overall.needs.get(sid, 0))
        )
    chart = {
        "rows": group_names,
        "columns": column_names,
        "data": [[j, i, by_group.total(g, s)] for i, g in enumerate(by_group.groups) for j, s in enumerate(columns)],
    }
    titles = dimension_titles()
    return {
        "dimension": dimension,
        "demand_table": f"demand_{dimension}",
        "dimension_title": titles[dimension],
        "tabs": [(d, titles[d]) for d in dimensions],
        "columns": column_names,
        "more_columns": max(0, len(by_group.scenarios) - len(columns)),
        "matrix": matrix,
        "hidden": by_group.hidden,
        "scenario_rows": scenario_rows,
        "overall_hidden": overall.hidden,
        "chart": chart,
        "min_cell": queries.MIN_CELL,
        "released_at": city.released_at if city else None,
        "city_release": city is not None,
    }


@login_required
@require_GET
def demand(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    dimension = request.GET.get("by", "city")
    if dimension not in DIMENSIONS:
        dimension = "city"
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    return render(
        request,
        "insights/demand.html",
        {**_programme_links(programme), **demand_context(enterprises, dimension, DIMENSIONS)},
    )


def _place(names: Labels, row: queries.PilotRow) -> tuple[str, str, str]:
    """City, chain and size class of a ranked enterprise as a person reads them."""
    return names.of("city", row.city), names.of("chain", row.chain), names.of("size", row.size_class)


def _pilot_forms(
    request: HttpRequest, programme: Programme
) -> tuple[WeightsForm, PilotFilterForm, QuerySet[Enterprise]]:
    """The weights and the filters from the query string, and the programme's enterprises the filters keep."""
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    filters = PilotFilterForm(request.GET or None, enterprises)
    return WeightsForm(request.GET or None), filters, filters.apply(enterprises)


class _RankedPages:
    """The pilot ranking as Django's Paginator reads a sequence: ``count()`` and slices, each slice one query
    for the rows of that page only (``queries.pilot_ranking`` with an offset)."""

    def __init__(self, enterprises: QuerySet[Enterprise], weights: Any) -> None:
        self.enterprises, self.weights = enterprises, weights

    def count(self) -> int:
        return queries.pilot_ranking(self.enterprises, self.weights, 0).total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[queries.PilotRow]:
        start = window.start or 0
        return queries.pilot_ranking(self.enterprises, self.weights, window.stop - start, start).rows


@login_required
@require_GET
def pilots(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    form, filters, enterprises = _pilot_forms(request, programme)
    page = Paginator(_RankedPages(enterprises, form.weights()), PILOTS_PER_PAGE).get_page(request.GET.get("page"))
    names = labels()
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "insights/pilots.html",
        {
            "programme": programme,
            "form": form,
            "filters": filters,
            "filtered": filters.chosen(),
            "page": page,
            "rows": [(page.start_index() + i, r, _place(names, r)) for i, r in enumerate(page.object_list)],
            "weights": form.weights(),
            "keep": keep.urlencode(),
        },
    )


@login_required
@require_GET
def pilots_csv(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    form, _filters, enterprises = _pilot_forms(request, programme)
    ranking = queries.pilot_ranking(enterprises, form.weights())
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
            _("城市代码"),
            _("产业链代码"),
            _("规模代码"),
        ]
    ]
    names = labels()
    rows += [
        [
            i,
            r.name,
            *_place(names, r),
            r.result.foundation,
            r.result.willingness,
            r.result.demonstration,
            r.result.score,
            r.city,
            r.chain,
            r.size_class,
        ]
        for i, r in enumerate(ranking.rows, 1)
    ]
    return csv_response(rows, f"programme-{programme.pk}-pilots.csv")


# --- the report for superiors ---------------------------------------------------------------------------------


def _report_context(programme: Programme) -> dict[str, Any]:
    latest = {
        lang: CohortReport.objects.filter(programme=programme, lang=lang).defer("pdf", "docx").first()
        for lang in ("zh", "en")
    }
    reports = [
        (lang, r, *(reverse("insights:report_download", args=[programme.pk, r.pk, f]) for f in ("docx", "pdf")))
        for lang, r in latest.items()
        if r is not None
    ]
    return {
        **_programme_links(programme),
        "reports": reports,
        "status_url": reverse("insights:report", args=[programme.pk]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if request.method == "POST":
        lang = "en" if request.POST.get("lang") == "en" else "zh"
        start_report(request.user, programme, lang)
        return redirect("insights:report", pk=programme.pk)
    return htmx_partial(request, "insights/report.html", "insights/_report_status.html", _report_context(programme))


# --- support across the cohort (issue 14) ---------------------------------------------------------------------


def _verdicts() -> dict[str, str]:
    return {
        "counted": _("计入"),
        "to_confirm": _("需确认"),
        "possible": _("可能适用"),
        "announced": _("已发布、条款待定"),
        "listed": _("未公布金额"),
    }


def _support_rows(programme: Programme) -> tuple[Any, list[dict[str, Any]]]:
    support = cohort_support(queries.enterprises_of(Programme.objects.filter(pk=programme.pk)))
    en = (get_language() or "").startswith("en")
    verdicts = _verdicts()
    rows = [
        {
            "name": p.name_en if en else p.name_zh,
            "document_no": p.document_no,
            "counted": round(p.counted, 2),
            "likely": round(p.likely, 2),
            "count": len(p.enterprises),
            "enterprises": [(e, verdicts.get(v, v)) for e, v in sorted(p.enterprises.items())],
        }
        for p in support.policies
    ]
    return support, rows


@login_required
@require_GET
def report_download(request: HttpRequest, pk: int, report_pk: int, fmt: str) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    try:
        report = CohortReport.objects.get(programme=programme, pk=report_pk, status=CohortReport.Status.DONE)
    except CohortReport.DoesNotExist:
        raise Http404("no such report") from None
    return report_file(request, report, f"programme-{programme.pk}", fmt)


def report_file(request: HttpRequest, report: CohortReport, stem: str, fmt: str) -> HttpResponse:
    """A finished report's PDF or Word file, its download audited; the file name in the report's language."""
    content_types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    if fmt not in content_types:
        raise Http404("no such format")
    body = bytes(report.pdf if fmt == "pdf" else report.docx or b"")
    record(request.user, "cohort_report.download", report, {"format": fmt})
    response = HttpResponse(body, content_type=content_types[fmt])
    title = "cohort-report" if report.lang == "en" else "参训企业情况报告"
    name = f"{title}-{stem}-{report.created_at:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename=\"{stem}-report.{fmt}\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_GET
def support(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    cohort, rows = _support_rows(programme)
    return render(request, "insights/support.html", {"programme": programme, "support": cohort, "rows": rows})


@login_required
@require_GET
def support_csv(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    _cohort, rows = _support_rows(programme)
    table: list[list[Any]] = [
        [_("政策"), _("文号"), _("计入（万元）"), _("确认后可能获得（万元）"), _("企业名称"), _("判断")]
    ]
    for r in rows:
        for enterprise, verdict in r["enterprises"]:
            table.append([r["name"], r["document_no"], r["counted"], r["likely"], enterprise, verdict])
    return csv_response(table, f"programme-{programme.pk}-support.csv")


# --- targets ------------------------------------------------------------------------------------------------


def _scope_label(target: Target) -> str:
    if not target.scope:
        return str(Scope.ALL.label)
    return f"{Scope(target.scope).label}：{labels().of(target.scope, target.scope_value)}"


def _metric_text(p: targets.Progress) -> str:
    text = str(p.metric.label)
    if p.metric.parameter_label is not None and p.target.parameter is not None:
        text += f"（{p.metric.parameter_label} {p.target.parameter:g}）"
    return text


@login_required
@require_GET
def targets_page(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    today = timezone.localdate()
    rows = [(p, _metric_text(p), _scope_label(p.target)) for p in targets.programme_progress(programme, today)]
    return render(
        request,
        "insights/targets.html",
        {
            "programme": programme,
            "rows": rows,
            "today": today,
            "presets": [(p, targets.METRICS[p.metric]) for p in targets.PRESETS],
            "metrics": targets.METRICS.values(),
            "states": targets.STATE_LABELS,
        },
    )


@login_required
@require_GET
def targets_csv(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    rows: list[list[Any]] = [
        [
            _("指标"),
            _("范围"),
            _("单位"),
            _("目标值"),
            _("当前值"),
            _("完成率（%）"),
            _("按时间应完成（%）"),
            _("状态"),
            _("起始日期"),
            _("截止日期"),
            _("目标来源"),
        ]
    ]
    for p in targets.programme_progress(programme, timezone.localdate()):
        t = p.target
        rows.append(
            [
                _metric_text(p),
                _scope_label(t),
                str(p.metric.unit),
                number(t.value),
                number(round(p.current, 4)),
                p.percent,
                p.expected_percent,
                str(targets.STATE_LABELS[p.state]),
                t.start_date.isoformat(),
                t.due_date.isoformat(),
                t.source,
            ]
        )
    return csv_response(rows, f"programme-{programme.pk}-targets.csv")


def _target_fields(target: Target) -> dict[str, Any]:
    return {
        f: (getattr(target, f).isoformat() if f.endswith("_date") else getattr(target, f))
        for f in ("metric", "parameter", "scope", "scope_value", "value", "start_date", "due_date", "source")
    }


def _target_form_page(
    request: HttpRequest, programme: Programme, form: TargetForm, target: Target | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "insights/target_form.html",
        {"programme": programme, "form": form, "target": target},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    if request.method == "POST":
        form = TargetForm(request.POST)
        if not form.is_valid():
            return _target_form_page(request, programme, form, None, status=422)
        target = form.save(commit=False)
        target.programme = programme
        target.created_by = request.user  # type: ignore[assignment]
        target.save()
        record(request.user, "target.create", target, _target_fields(target))
        messages.success(request, _("目标已添加。"))
        return redirect("insights:targets", pk=programme.pk)
    initial: dict[str, Any] = {"start_date": timezone.localdate()}
    chosen = targets.preset(request.GET.get("preset", ""))
    if chosen is not None:
        initial.update(
            metric=chosen.metric,
            parameter=chosen.parameter,
            value=chosen.value,
            due_date=chosen.due_date,
            source=str(chosen.source),
        )
    return _target_form_page(request, programme, TargetForm(initial=initial), None)


def _target(programme: Programme, target_pk: int) -> Target:
    try:
        return Target.objects.get(programme=programme, pk=target_pk)
    except Target.DoesNotExist:
        raise Http404("no such target") from None


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    target = _target(programme, target_pk)
    if request.method == "POST":
        before = _target_fields(target)
        form = TargetForm(request.POST, instance=target)
        if not form.is_valid():
            return _target_form_page(request, programme, form, target, status=422)
        target = form.save()
        after = _target_fields(target)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        record(request.user, "target.change", target, changes)
        messages.success(request, _("目标已保存。"))
        return redirect("insights:targets", pk=programme.pk)
    return _target_form_page(request, programme, TargetForm(instance=target), target)


@login_required
@require_POST
def target_delete(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    target = _target(programme, target_pk)
    record(request.user, "target.delete", target, _target_fields(target))
    target.delete()
    messages.success(request, _("目标已删除。"))
    return redirect("insights:targets", pk=programme.pk)


# --- roadmap item progress, set by the enterprise's members --------------------------------------------------


@login_required
@require_POST
def scenario_progress(request: HttpRequest, plan_pk: int) -> HttpResponse:
    rec = get_plan_for_user(request.user, plan_pk)
    form = ProgressForm(request.POST, plan=rec.plan)
    if not form.is_valid():
        # each problem under its field's label in the reader's language, never the form field's name
        errors = "；".join(f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items() if k in form.fields)
        return HttpResponse(errors, status=422, content_type="text/plain; charset=utf-8")
    set_progress(request.user, rec, form.cleaned_data["scenario"], form.cleaned_data["status"])
    messages.success(request, _("实施进度已更新。"))
    return redirect(reverse("enterprises:plan", kwargs={"pk": rec.pk}) + "#scenario-progress")
