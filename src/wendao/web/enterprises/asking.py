"""Ask wendao on the web (the participant's home and plan pages) and in the API: one use case, ``answer_for``.

The enterprise and plan are fetched only through the access helpers (members only: an organiser or another
firm's member gets 404), so a plan's figures reach no one else. The answer itself comes from the engine
(``wendao.engine.ask``), phrased by a language model only when one is configured (``engine/ask_llm.py``).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from wendao.engine.ask import MAX_QUESTION_CHARS, Answer, AskContext, QuestionError, ask
from wendao.engine.ask_llm import phrase_from_env
from wendao.engine.profile import ProfileError
from wendao.web.accounts.types import Visitor
from wendao.web.catalog.services import active_catalog, scenario_matcher
from wendao.web.enterprises import services
from wendao.web.enterprises.access import get_enterprise_for_user, get_plan_for_user
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.htmx import htmx_partial
from wendao.web.ids import optional_id_from

KIND_LABELS = {
    "cost_down": _("哪里还能降本"),
    "model_route": _("低成本定制模型"),
    "funding": _("要花多少钱，谁来出钱"),
    "eligibility": _("能不能申请"),
    "scenarios": _("相关场景"),
    "cases": _("同类企业的做法"),
    "unknown": _("问道暂时回答不了"),
}
_URL = re.compile(r"https?://[^\s;,，；)）]+")


def answer_for(user: Visitor, question: str, enterprise_pk: int | None = None, plan_pk: int | None = None) -> Answer:
    """The answer to a member's question, with the figures of the given plan (or the enterprise's latest plan)."""
    loaded = active_catalog()
    ctx = AskContext(loaded=loaded, search=scenario_matcher(loaded))
    enterprise: Enterprise | None = None
    record: PlanRecord | None = None
    if plan_pk is not None:
        record = get_plan_for_user(user, plan_pk)
        enterprise = record.enterprise
    elif enterprise_pk is not None:
        enterprise = get_enterprise_for_user(user, enterprise_pk)
        record = enterprise.plans.first()
    if enterprise is not None:
        rnd = enterprise.rounds.filter(current=True).first()
        try:
            ctx.profile = services.profile_of(enterprise, rnd, loaded)
        except ProfileError:  # a stored profile from before the bounds: answer without its data assets
            ctx.profile = None
    if record is not None:
        ctx.plan = services.plan_of(record)
    return phrase_from_env(ask(question, ctx))


def source_links(answer: Answer) -> list[dict[str, Any]]:
    """Each source with the first web address its citation holds (citations may name a repost after the URL)."""
    out = []
    for src in answer.sources:
        match = _URL.search(src.url or "")
        out.append({"source": src, "href": match.group(0) if match else None})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def ask_view(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    enterprise_pk, plan_pk = optional_id_from(data.get("enterprise")), optional_id_from(data.get("plan"))
    context: dict[str, Any] = {"enterprise_pk": enterprise_pk, "plan_pk": plan_pk, "max_chars": MAX_QUESTION_CHARS}
    if enterprise_pk is not None:  # fetched first so that a stranger's id is a 404 even for an empty question
        context["enterprise"] = get_enterprise_for_user(request.user, enterprise_pk)
    if plan_pk is not None:
        context["record"] = get_plan_for_user(request.user, plan_pk)
    status = 200
    question = data.get("question", "")
    if request.method == "POST" or question:
        context["question"] = question
        try:
            answer = answer_for(request.user, question, enterprise_pk, plan_pk)
        except QuestionError as exc:
            context["error"] = exc.en if (get_language() or "").startswith("en") else exc.zh
            status = 422
        else:
            context.update({"answer": answer, "kind_label": KIND_LABELS[answer.kind], "links": source_links(answer)})
    response = htmx_partial(request, "enterprises/ask.html", "htmx/ask_answer.html", context)
    response.status_code = status
    return response
