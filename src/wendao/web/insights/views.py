"""Organiser dashboards: maturity by city / division / chain / size, demand heat map, totals, pilot ranking,
targets with progress; and the members' progress of their roadmap items (set from the plan page).

Every page fetches the programme through ``enterprises.access.get_programme_for_user``: anyone who is not
an organiser of the programme gets 404. Every table has a CSV export.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wendao.engine.profile import SIZE_NAMES
from wendao.engine.tables import number, safe_row
from wendao.web.accounts.audit import record
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.access import get_plan_for_user, get_programme_for_user
from wendao.web.insights import queries, targets
from wendao.web.insights.forms import ProgressForm, TargetForm, WeightsForm
from wendao.web.insights.models import Scope, Target
from wendao.web.insights.progress import set_progress
from wendao.web.insights.support import cohort_support
from wendao.web.programmes.models import Participant, Programme

TABLES = ("city", "division", "chain", "size", "heatmap", "totals")
PILOT_ROWS = 100  # the page shows the top of the ranking; the CSV export has every enterprise


def _titles() -> dict[str, str]:
    return {
        "city": _("按城市"),
        "division": _("按行业大类"),
        "chain": _("按产业链"),
        "size": _("按企业规模"),
    }


def _csv(rows: list[list[Any]], filename: str) -> HttpResponse:
    """Every table's CSV: each cell through ``tables.safe_cell`` (text that would start a formula is quoted,
    numbers stay numbers)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(safe_row(row) for row in rows)
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
    by_dimension = queries.maturity_distributions(enterprises, list(titles))
    distributions = [(name, titles[name], by_dimension[name]) for name in titles]
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
            "enterprise_count": Participant.objects.filter(programme=programme).count(),
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
        rows = [[_("分组"), _("企业数"), _("平均分"), _("中位数"), _("最低分"), _("最高分")]]
        rows += [[c.key, c.n, c.mean, c.median, c.low, c.high] for c in dist.cells]
    return _csv(rows, f"programme-{programme.pk}-{table}.csv")


def _ranking(request: HttpRequest, programme: Programme, limit: int | None) -> tuple[WeightsForm, queries.Ranking]:
    form = WeightsForm(request.GET or None)
    enterprises = queries.enterprises_of(Programme.objects.filter(pk=programme.pk))
    return form, queries.pilot_ranking(enterprises, form.weights(), limit)


@login_required
@require_GET
def pilots(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    form, ranking = _ranking(request, programme, PILOT_ROWS)
    return render(
        request,
        "insights/pilots.html",
        {
            "programme": programme,
            "form": form,
            "rows": ranking.rows,
            "total": ranking.total,
            "labels": _labels(),
            "weights": form.weights(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def pilots_csv(request: HttpRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request.user, pk)
    _form, ranking = _ranking(request, programme, None)
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
        for i, r in enumerate(ranking.rows, 1)
    ]
    return _csv(rows, f"programme-{programme.pk}-pilots.csv")


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
    return _csv(table, f"programme-{programme.pk}-support.csv")


# --- targets ------------------------------------------------------------------------------------------------


def _scope_label(target: Target) -> str:
    if not target.scope:
        return str(Scope.ALL.label)
    return f"{Scope(target.scope).label}：{_label(_labels(), target.scope, target.scope_value)}"


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
    return _csv(rows, f"programme-{programme.pk}-targets.csv")


def _target_fields(target: Target) -> dict[str, Any]:
    return {
        f: (getattr(target, f).isoformat() if f.endswith("_date") else getattr(target, f))
        for f in ("metric", "parameter", "scope", "scope_value", "value", "start_date", "due_date", "source")
    }


def _scope_options() -> list[tuple[str, str]]:
    """Every value a scope may take, with its display name (the form's datalist)."""
    labels = _labels()
    out = [(k, f"{_('城市')}：{v}") for k, v in labels["city"].items()]
    out += [(k, f"{_('产业链')}：{v}") for k, v in labels["chain"].items()]
    divisions = {code[:3]: name for code, name in labels["division"].items() if len(code) >= 3}
    out += [(k, f"{_('行业大类')}：{v}") for k, v in sorted(divisions.items())]
    return out


def _target_form_page(
    request: HttpRequest, programme: Programme, form: TargetForm, target: Target | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "insights/target_form.html",
        {"programme": programme, "form": form, "target": target, "scope_options": _scope_options()},
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
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        return HttpResponse(errors, status=422, content_type="text/plain; charset=utf-8")
    set_progress(request.user, rec, form.cleaned_data["scenario"], form.cleaned_data["status"])
    messages.success(request, _("实施进度已更新。"))
    return redirect(reverse("enterprises:plan", kwargs={"pk": rec.pk}) + "#scenario-progress")
