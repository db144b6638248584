"""Views of the enterprise journey: parse input, call one use case (services), render."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError

from wendao.engine.assessment import AnswersError
from wendao.engine.plan import ChoiceError, PlanError
from wendao.engine.profile import SIZE_NAMES, ProfileError
from wendao.report.labels import Labels
from wendao.report.who_pays import who_pays_context
from wendao.report.workings import defaults_lines, workings
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import home_hooks, services
from wendao.web.enterprises.access import (
    enterprises_for_user,
    get_enterprise_for_user,
    get_plan_for_user,
    get_round_for_user,
)
from wendao.web.enterprises.downloads import download_plan
from wendao.web.enterprises.forms import ProfileForm, WhatIfForm
from wendao.web.enterprises.models import AssessmentRound, PlanRecord
from wendao.web.enterprises.profile_errors import plan_messages, profile_messages
from wendao.web.htmx import htmx_partial

DOWNLOAD_FORMATS = ("pdf", "docx", "json")


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _size_label(size_class: str) -> str:
    zh, en = SIZE_NAMES.get(size_class, (size_class, size_class))
    return en if _lang() == "en" else zh


def _industry_label(code: str) -> str:
    """The division's name (GB/T 4754, e.g. C22 -> 橡胶和塑料制品业) in the reader's language; the code itself only
    when the catalog does not know it."""
    en = _lang() == "en"
    for industry in active_catalog().catalog.industries:
        if industry.code == code[:3]:
            return industry.name_en if en else industry.name_zh
    return code


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    mine = list(enterprises_for_user(request.user))
    if request.user.role == "provider":  # a provider's home is its marketplace dashboard
        return redirect("marketplace:home")
    if request.user.role == "city_official":  # a city official's home is their city's dashboard
        return redirect("insights:city")
    if (step := home_hooks.first_step(request)) is not None:  # programmes: organisers' overview, invitations
        return step
    if len(mine) == 1:
        return redirect("enterprises:detail", pk=mine[0].pk)
    if not mine and request.user.role == "enterprise":
        return redirect("enterprises:new")
    return render(request, "enterprises/home.html", {"enterprises": mine})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_new(request: HttpRequest) -> HttpResponse:
    loaded = active_catalog()
    form = ProfileForm(request.POST or None, loaded=loaded)
    if request.method == "POST" and form.is_valid():
        enterprise = services.save_profile(request.user, form.to_profile_data())
        messages.success(request, _("企业档案已保存。下一步：成熟度评估。"))
        return redirect("enterprises:assessment", pk=enterprise.pk)
    return render(request, "enterprises/profile_form.html", {"form": form, "enterprise": None})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    loaded = active_catalog()
    initial = ProfileForm.initial_from(enterprise.profile)
    form = ProfileForm(request.POST or None, loaded=loaded, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(request.user, form.to_profile_data(enterprise.profile), enterprise)
        except ProfileError as exc:  # the catalog changed between validation and save
            form.add_problems(exc)
        else:
            messages.success(request, _("企业档案已保存。"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    return render(
        request,
        "enterprises/profile_form.html",
        {"form": form, "enterprise": enterprise, "size_label": _size_label(enterprise.size_class)},
    )


@dataclass(frozen=True)
class PlanLine:
    """One plan in the enterprise's list, with what tells it apart from its neighbours: its time (to the second
    when another listed plan was made in the same minute: the demo's participant plan and the programme's
    re-planning job's were both "18:56"), who made it, the yearly budget it used (the profile's where the
    options left it open: the list read "预算 —"), the scenarios it pins and its NPV."""

    record: PlanRecord
    same_minute: bool
    budget: float | None
    pinned: list[dict[str, Any]]
    npv: float | None


def plan_list(records: list[PlanRecord]) -> list[PlanLine]:
    minutes = Counter(r.created_at.replace(second=0, microsecond=0) for r in records)
    lines = []
    for r in records:
        pins = set(r.options.get("pin") or [])
        items = r.plan.get("items") or []
        money = r.plan.get("money") or {}
        lines.append(
            PlanLine(
                record=r,
                same_minute=minutes[r.created_at.replace(second=0, microsecond=0)] > 1,
                budget=(r.plan.get("settings") or {}).get("yearly_budget"),
                # a staged scenario is two items (pilot, roll-out): named once
                pinned=list({i["scenario"]: i for i in items if i.get("scenario") in pins}.values()),
                npv=money.get("npv"),
            )
        )
    return lines


@login_required
@require_GET
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    rounds = list(enterprise.rounds.order_by("-number"))
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "size_label": _size_label(enterprise.size_class),
            "industry_label": _industry_label(enterprise.industry),
            "rounds": rounds,
            "open_round": next((r for r in rounds if r.completed_at is None), None),
            "current": next((r for r in rounds if r.current), None),
            "plans": plan_list(list(enterprise.plans.select_related("created_by")[:10])),
            "history": services.history(enterprise),
        },
    )


@login_required
@require_GET
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Resume the round in progress where the user left off (or show the latest results)."""
    enterprise = get_enterprise_for_user(request.user, pk)
    loaded = active_catalog()
    rnd = services.open_round(enterprise, loaded)
    if rnd.completed_at is not None:
        return redirect("enterprises:results", pk=pk, number=rnd.number)
    return redirect("enterprises:step", pk=pk, number=rnd.number, step=services.resume_step(rnd, loaded))


@login_required
@require_POST
def reassess(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    rnd = services.start_reassessment(request.user, enterprise, active_catalog())
    return redirect("enterprises:step", pk=pk, number=rnd.number, step=1)


def _step_context(rnd: AssessmentRound, step_number: int) -> dict[str, Any]:
    loaded = active_catalog()
    steps = services.wizard_steps(loaded)
    if not 1 <= step_number <= len(steps):
        raise Http404("no such step")
    step = steps[step_number - 1]
    total = len(loaded.questionnaire.questions)
    answered = sum(1 for q in loaded.questionnaire.questions if q.id in rnd.answers)
    questions = []
    for q in step.questions:
        given = rnd.answers.get(q.id)
        chosen = [given] if isinstance(given, str) else list(given or [])
        questions.append({"q": q, "chosen": chosen, "evidence": rnd.evidence.get(q.id, "")})
    return {
        "enterprise": rnd.enterprise,
        "round": rnd,
        "step": step,
        "steps": steps,
        "questions": questions,
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
        "previous_step": step_number - 1 if step_number > 1 else None,
        "next_step": step_number + 1 if step_number < len(steps) else None,
    }


@login_required
@require_GET
def wizard_step(request: HttpRequest, pk: int, number: int, step: int) -> HttpResponse:
    rnd = get_round_for_user(request.user, pk, number)
    if rnd.completed_at is not None:
        return redirect("enterprises:results", pk=pk, number=number)
    return htmx_partial(request, "enterprises/wizard.html", "htmx/wizard_step.html", _step_context(rnd, step))


@login_required
@require_POST
def save_answer(request: HttpRequest, pk: int, number: int, question: str) -> HttpResponse:
    """Autosave (hx-post on change): one question's answer and evidence."""
    rnd = get_round_for_user(request.user, pk, number)
    loaded = active_catalog()
    q = next((x for x in loaded.questionnaire.questions if x.id == question), None)
    if q is None:
        raise Http404("no such question")
    values = [v for v in request.POST.getlist("value") if v]
    value: str | list[str] | None
    if q.type == "multi":
        value = values or None
        if values == ["na"]:
            value = "na"
    else:
        value = values[0] if values else None
    evidence = request.POST.get("evidence")
    try:
        problems = services.save_answer(request.user, rnd.pk, question, value, evidence, loaded)
    except services.RoundClosedError:
        problems = [_("这一轮评估已完成，不能再修改。")]
    rnd.refresh_from_db()
    total = len(loaded.questionnaire.questions)
    answered = sum(1 for x in loaded.questionnaire.questions if x.id in rnd.answers)
    return render(
        request,
        "htmx/answer_saved.html",
        {
            "question": q,
            "problems": problems,
            "answered": answered,
            "total": total,
            "percent": round(100 * answered / total) if total else 0,
        },
        status=200 if not problems else 422,
    )


@login_required
@require_POST
def complete(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    rnd = get_round_for_user(request.user, pk, number)
    if rnd.completed_at is not None:
        return redirect("enterprises:results", pk=pk, number=number)
    loaded = active_catalog()
    try:
        services.complete_round(request.user, rnd, loaded)
    except AnswersError as exc:
        steps = {q.id: s.number for s in services.wizard_steps(loaded) for q in s.questions}
        missing = [
            {"question": loaded.questionnaire.question(p.question), "step": steps.get(p.question)}
            for p in exc.problems
            if p.question in steps
        ]
        context = _step_context(rnd, services.resume_step(rnd, loaded))
        context["missing"] = missing
        return render(request, "enterprises/wizard.html", context, status=422)
    return redirect("enterprises:results", pk=pk, number=number)


@login_required
@require_GET
def results(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    rnd = get_round_for_user(request.user, pk, number)
    result = services.assessment_of(rnd)
    if result is None:
        return redirect("enterprises:assessment", pk=pk)
    enterprise = rnd.enterprise
    peers = services.peer_scores(enterprise)
    en = _lang() == "en"
    radar = {
        "indicators": [{"name": d.name_en if en else d.name_zh, "max": 100} for d in result.dimensions],
        "own": [d.score or 0 for d in result.dimensions],
        "peers": [peers.averages.get(d.id) for d in result.dimensions] if peers.shown else None,
        "own_label": _("本企业") + f" {rnd.label}",
        "peer_label": _("同行业同规模企业平均"),
    }
    history = services.history(enterprise)
    return render(
        request,
        "enterprises/results.html",
        {
            "enterprise": enterprise,
            "round": rnd,
            "result": result,
            "peers": peers,
            "size_label": _size_label(enterprise.size_class),
            "radar": radar,
            "history": history,
            "this_delta": next((h for h in history if h.round.pk == rnd.pk), None),
            "dimension_names": {d.id: (d.name_en if en else d.name_zh) for d in result.dimensions},
        },
    )


@login_required
@require_POST
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user(request.user, pk)
    if not enterprise.rounds.filter(current=True).exists():
        messages.error(request, _("请先完成成熟度评估。"))
        return redirect("enterprises:assessment", pk=pk)
    if enterprise.profile.get("budget") is None:
        messages.error(request, _("请在企业档案中填写每年预算，才能生成规划。"))
        return redirect("enterprises:profile", pk=pk)
    try:
        rec = services.create_plan(request.user, enterprise, services.plan_options({}))
    except PlanError as exc:
        shown = profile_messages(exc.profile_error) if isinstance(exc, services.ProfilePlanError) else plan_messages(exc)
        for problem in shown:
            messages.error(request, problem)
        return redirect("enterprises:detail", pk=pk)
    return redirect("enterprises:plan", pk=rec.pk)


def _plan_context(rec: Any, form: WhatIfForm | None = None) -> dict[str, Any]:
    plan = services.plan_of(rec)
    en = _lang() == "en"
    settings = plan.settings
    gantt = {
        "names": [i.label_en if en else i.label_zh for i in plan.items],
        "start": [i.start_quarter for i in plan.items],
        "end": [i.end_quarter for i in plan.items],
        "horizon": settings.get("horizon_quarters"),
        "quarter": _("季度"),
    }
    initial = {
        "budget": rec.options.get("budget") if rec.options.get("budget") is not None else plan.enterprise.budget,
        "horizon_quarters": rec.options.get("horizon_quarters") or settings.get("horizon_quarters"),
        "objective": rec.options.get("objective") or settings.get("objective", "npv"),
        "pin": rec.options.get("pin", []),
        "drop": rec.options.get("drop", []),
    }
    return {
        "record": rec,
        "enterprise": rec.enterprise,
        "plan": plan,
        "top_scenarios": plan.scenarios[:10],
        "gantt": gantt,
        # how the money was made and which own figures would sharpen it (issue 13 item 8): report/workings.py
        "workings": workings(plan, Labels("en" if en else "zh")),
        "defaults_lines": defaults_lines(plan, Labels("en" if en else "zh")),
        "form": form or WhatIfForm(initial=initial),
        "formats": DOWNLOAD_FORMATS,
        "who_pays": who_pays_context(plan, Labels("en" if en else "zh")),
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = get_plan_for_user(request.user, pk)
    return render(request, "enterprises/plan.html", _plan_context(rec))


@login_required
@require_POST
def plan_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-run the engine with other budget / horizon / objective and swap the plan fragment in place."""
    rec = get_plan_for_user(request.user, pk)
    form = WhatIfForm(request.POST)
    if not form.is_valid():
        return htmx_partial(request, "enterprises/plan.html", "htmx/plan_body.html", _plan_context(rec, form))
    try:
        options = services.plan_options(form.cleaned_data)
        new = services.create_plan(request.user, rec.enterprise, options)
    except (PlanError, ValidationError, ChoiceError) as exc:
        if isinstance(exc, ChoiceError):  # a pin or drop that cannot be honoured, in the reader's language
            problems = exc.problems if _lang() == "en" else exc.problems_zh
        elif isinstance(exc, services.ProfilePlanError):  # the field's label and what is wrong, not its id
            problems = profile_messages(exc.profile_error)
        else:
            problems = plan_messages(exc) if isinstance(exc, PlanError) else [e["msg"] for e in exc.errors()]
        for problem in problems:
            form.add_error(None, problem)
        return htmx_partial(request, "enterprises/plan.html", "htmx/plan_body.html", _plan_context(rec, form))
    response = htmx_partial(request, "enterprises/plan.html", "htmx/plan_body.html", _plan_context(new, form))
    if getattr(request, "htmx", False):
        response["HX-Push-Url"] = reverse("enterprises:plan", kwargs={"pk": new.pk})
    return response


@login_required
@require_GET
def plan_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    rec = get_plan_for_user(request.user, pk)
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404("no such format")
    lang = request.GET.get("lang") or _lang()
    if lang not in ("zh", "en"):
        raise Http404("no such language")
    # audited as plan.download: programme staff track who took their plan home ("document downloaded")
    return download_plan(request.user, rec, fmt, lang, "web").response()  # type: ignore[arg-type]
