"""Marketplace pages: parse input, fetch through ``marketplace.access``, call one use case in ``services``,
render. A user who may not see an object gets 404; a rule the user runs into (an illegal transition, a
deadline in the past) comes back as a message or a field error, never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wendao.web.accounts.models import Role
from wendao.web.accounts.types import Visitor
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.access import get_plan_for_user
from wendao.web.htmx import htmx_partial
from wendao.web.ids import id_from, optional_id_from
from wendao.web.marketplace import access, joint, services
from wendao.web.marketplace.forms import (
    AnswerForm,
    AttachmentForm,
    CaseFormSet,
    ChallengeForm,
    JointChallengeForm,
    ProposalForm,
    ProviderForm,
    QuestionForm,
    ShareForm,
    cases_of,
    local_name,
    show_error,
)
from wendao.web.marketplace.models import Challenge, JointMember, Proposal, Provider, Question
from wendao.web.programmes.access import get_programme_for_user, programmes_for_user

MATCH_TOP = 8
DASHBOARD_DEMAND = 5


def _names() -> dict[str, Any]:
    """Catalog names for templates: scenarios, cities and divisions by id."""
    cat = active_catalog().catalog
    return {
        "scenarios": {s.id: s for s in cat.scenarios},
        "cities": {c.id: c for c in cat.cities},
        "industries": {i.code: i for i in cat.industries},
        "chains": {c.id: c for c in cat.chains},
    }


def _is(user: Visitor, role: str) -> bool:
    return bool(getattr(user, "role", None) == role)


# --- home -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"names": _names()}
    if _is(user, Role.PROVIDER):
        providers = list(access.providers_of_member(user))
        if not providers:
            return redirect("marketplace:provider_new")
        context |= {
            "providers": providers,
            "profiles": [(p, *services.profile_completeness(p)) for p in providers],
            "proposals": access.proposals_for_user(user).filter(provider__in=providers).order_by("-updated_at")[:20],
            "challenges": access.challenges_for_user(user)
            .filter(state=Challenge.State.PUBLISHED)
            .select_related("enterprise", "programme")[:20],
            "shares": access.shares_for_user(user)[:20],
        }
    elif _is(user, Role.ENTERPRISE) or _is(user, Role.ORGANISER):
        context |= {
            "published": access.challenges_published_by_user(user).select_related("enterprise", "programme")[:50],
            "shares": access.shares_for_user(user).filter(withdrawn_at__isnull=True)[:50],
            "can_publish": bool(_publishers(user)),
            "joint_invitations": access.joint_members_for_user(user)
            .select_related("challenge", "enterprise")
            .order_by("-created_at")[:50],
            "organises": _is(user, Role.ORGANISER),
            "leads_chain": bool(access.chain_leaders_for_user(user)),
        }
    return render(request, "marketplace/home.html", context)


# --- providers --------------------------------------------------------------------------------------------


@login_required
@require_GET
def provider_list(request: HttpRequest) -> HttpResponse:
    scenario = request.GET.get("scenario", "")
    industry = request.GET.get("industry", "")
    region = request.GET.get("region", "")
    providers = access.providers_visible_to_user(request.user).filter(listed=True).prefetch_related("cases")
    # the tags are JSON lists: filtered here, the same way on SQLite and PostgreSQL (the directory is small;
    # ranking at scale is the matcher's job)
    rows = [
        p
        for p in providers
        if (not scenario or scenario in p.scenario_ids)
        and (not industry or not p.industries or industry in p.industries)
        and (not region or not p.regions or region in p.regions)
    ]
    return render(
        request,
        "marketplace/provider_list.html",
        {
            "providers": rows,
            "names": _names(),
            "filters": {"scenario": scenario, "industry": industry, "region": region},
        },
    )


@login_required
@require_GET
def provider_detail(request: HttpRequest, pk: int) -> HttpResponse:
    provider = access.get_provider_for_user(request.user, pk)
    mine = access.providers_of_member(request.user).filter(pk=pk).exists()
    return render(request, "marketplace/provider_detail.html", {"provider": provider, "mine": mine, "names": _names()})


def _provider_page(request: HttpRequest, provider: Provider | None) -> HttpResponse:
    loaded = active_catalog()
    if request.method == "POST":
        form = ProviderForm(request.POST, loaded=loaded)
        cases = CaseFormSet(request.POST, prefix="cases")
        if form.is_valid() and cases.is_valid():
            data = form.cleaned_data
            try:
                saved = services.save_provider(request.user, data, cases_of(cases), provider)
            except services.MarketplaceError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("服务商档案已保存。"))
                return redirect("marketplace:provider", pk=saved.pk)
        status = 422
    else:
        initial = ProviderForm.initial_from(provider) if provider else None
        form = ProviderForm(initial=initial, loaded=loaded)
        case_initial = (
            [
                {"title": c.title, "client_type": c.client_type, "industry": c.industry, "result": c.result}
                for c in provider.cases.all()
            ]
            if provider
            else []
        )
        cases = CaseFormSet(initial=case_initial, prefix="cases")
        status = 200
    return render(
        request, "marketplace/provider_form.html", {"form": form, "cases": cases, "provider": provider}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_new(request: HttpRequest) -> HttpResponse:
    if not _is(request.user, Role.PROVIDER):
        raise Http404("only provider accounts keep a provider profile")
    return _provider_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _provider_page(request, access.get_own_provider(request.user, pk))


@login_required
@require_GET
def provider_demand(request: HttpRequest, pk: int) -> HttpResponse:
    """Matched demand: the open public (or invited) challenges and shared plan items, ranked for this provider."""
    provider = access.get_own_provider(request.user, pk)
    # the dashboard loads the first few into its page (HTMX); the page itself lists up to 20
    top = DASHBOARD_DEMAND if getattr(request, "htmx", False) else 20
    demand = services.matched_demand(
        provider, access.challenges_for_user(request.user), access.shares_for_user(request.user), top=top
    )
    context = {"provider": provider, "demand": demand, "names": _names()}
    return htmx_partial(request, "marketplace/demand.html", "marketplace/_demand.html", context)


# --- challenges -------------------------------------------------------------------------------------------


def _publishers(user: Visitor) -> list[tuple[str, str]]:
    """The publisher choices of the challenge form: "enterprise:<pk>" / "programme:<pk>" -> name."""
    return [(f"{access.publisher_kind(p)}:{p.pk}", p.name) for p in access.publishers_for_user(user)]


def _publisher(user: Visitor, key: str) -> Any:
    kind, _sep, pk = key.partition(":")
    return access.get_publisher_for_user(user, kind, id_from(pk))


@login_required
@require_GET
def challenge_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    challenges = access.challenges_for_user(request.user).select_related("enterprise", "programme")
    if state in Challenge.State.values:
        challenges = challenges.filter(state=state)
    return render(
        request,
        "marketplace/challenge_list.html",
        {"challenges": challenges[:200], "names": _names(), "state": state, "states": Challenge.State.choices},
    )


def _prefill_from_plan(user: Visitor, request: HttpRequest) -> dict[str, Any]:
    """A challenge from a plan item: publisher, scenario, title and budget (the item's investment)."""
    plan_pk, scenario = optional_id_from(request.GET.get("plan")), request.GET.get("scenario", "")
    if plan_pk is None or not scenario:
        return {}
    rec = get_plan_for_user(user, plan_pk)
    try:
        _plan, item = services.plan_item(rec, scenario)
    except services.MarketplaceError:
        raise Http404("no such plan item") from None
    return {
        "publisher": f"enterprise:{rec.enterprise_id}",
        "scenario": scenario,
        "title": item.name_zh,
        "budget": round(item.one_off, 1),
    }


@login_required
@require_http_methods(["GET", "POST"])
def challenge_new(request: HttpRequest) -> HttpResponse:
    publishers = _publishers(request.user)
    if not publishers:
        raise Http404("no enterprise or programme to publish for")
    loaded = active_catalog()
    if request.method == "POST":
        form = ChallengeForm(request.POST, loaded=loaded, publishers=publishers)
        if form.is_valid():
            publisher = _publisher(request.user, form.cleaned_data["publisher"])
            try:
                challenge = services.create_challenge(request.user, publisher, form.challenge_data())
            except services.MarketplaceError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("榜单已保存为草稿。检查无误后请发布。"))
                return redirect("marketplace:challenge", pk=challenge.pk)
        return render(request, "marketplace/challenge_form.html", {"form": form}, status=422)
    form = ChallengeForm(initial=_prefill_from_plan(request.user, request), loaded=loaded, publishers=publishers)
    return render(request, "marketplace/challenge_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access.get_challenge_for_publisher(request.user, pk)
    publisher = (
        f"enterprise:{challenge.enterprise_id}" if challenge.enterprise_id else f"programme:{challenge.programme_id}"
    )
    publishers = [(publisher, challenge.publisher_name)]
    loaded = active_catalog()
    if request.method == "POST":
        form = ChallengeForm(request.POST, loaded=loaded, publishers=publishers)
        if form.is_valid():
            try:
                services.update_challenge(request.user, challenge, form.challenge_data())
            except services.MarketplaceError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("榜单已保存。"))
                return redirect("marketplace:challenge", pk=challenge.pk)
        return render(request, "marketplace/challenge_form.html", {"form": form, "challenge": challenge}, status=422)
    initial = {k: getattr(challenge, k) for k in services.CHALLENGE_FIELDS} | {"publisher": publisher}
    form = ChallengeForm(initial=initial, loaded=loaded, publishers=publishers)
    return render(request, "marketplace/challenge_form.html", {"form": form, "challenge": challenge})


def _matches_context(challenge: Challenge) -> dict[str, Any]:
    invited = set(challenge.invited.values_list("pk", flat=True))
    return {
        "challenge": challenge,
        "matches": services.match_providers(services.need_for_challenge(challenge), top=MATCH_TOP),
        "invited": invited,
        "can_invite": challenge.state not in services.FINAL_STATES,
    }


@login_required
@require_GET
def challenge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    challenge = access.get_challenge_for_user(user, pk)
    context: dict[str, Any] = {"challenge": challenge, "names": _names()} | _joint_context(user, challenge)
    if access.user_publishes(user, challenge):
        context |= _matches_context(challenge) | {
            "publisher": True,
            "actions": [(a, services.action_label(a)) for a in services.allowed_actions(challenge)],
            "proposals": challenge.proposals.select_related("provider").prefetch_related("attachments"),
            "invited_providers": challenge.invited.all(),
            "questions": access.questions_for_user(user).filter(challenge=challenge),
            "answer_form": AnswerForm(),
        }
    elif _is(user, Role.PROVIDER):
        own = list(access.providers_of_member(user))
        proposal = Proposal.objects.filter(challenge=challenge, provider__in=own).first()
        context |= _provider_context(challenge, own, proposal, _proposal_form(proposal))
    return render(request, "marketplace/challenge_detail.html", context)


def _joint_context(user: Visitor, challenge: Challenge) -> dict[str, Any]:
    """Everyone who sees a joint challenge gets the counts; the publisher the firms; an invited firm its choice."""
    if not challenge.joint:
        return {}
    context: dict[str, Any] = {"joint": joint.summary(challenge)}
    if access.user_publishes(user, challenge):
        members = challenge.joint_members.select_related("enterprise")
        if challenge.enterprise_id:  # a chain leader learns a firm's name only once the firm opts in
            members = members.filter(state=JointMember.State.JOINED)
        context["joint_members"] = members
    context["my_joint"] = list(
        access.joint_members_for_user(user).filter(challenge=challenge).select_related("enterprise")
    )
    context["joint_open"] = challenge.state not in services.FINAL_STATES
    return context


def _provider_context(
    challenge: Challenge,
    own: list[Provider],
    proposal: Proposal | None,
    form: ProposalForm,
    question_form: QuestionForm | None = None,
    attachment_form: AttachmentForm | None = None,
) -> dict[str, Any]:
    taking = challenge.state == Challenge.State.PUBLISHED
    revisable = proposal is None or proposal.state in (Proposal.State.SUBMITTED, Proposal.State.WITHDRAWN)
    return {
        "own_providers": own,
        "proposal": proposal,
        "proposal_form": form,
        "attachments": list(proposal.attachments.all()) if proposal else [],
        "can_attach": proposal is not None and taking and proposal.state == Proposal.State.SUBMITTED,
        "attachment_form": attachment_form or AttachmentForm(),
        "questions": Question.objects.filter(challenge=challenge, provider__in=own),
        "can_ask": bool(own) and challenge.state in (Challenge.State.PUBLISHED, Challenge.State.SHORTLISTING),
        "question_form": question_form or QuestionForm(),
        "can_propose": bool(own) and taking and revisable,
        "can_withdraw": proposal is not None
        and proposal.state in services.UNDECIDED
        and challenge.state not in services.FINAL_STATES,
    }


def _proposal_form(proposal: Proposal | None, data: Any = None) -> ProposalForm:
    if data is not None:
        return ProposalForm(data)
    initial = (
        {
            "approach": proposal.approach,
            "price": proposal.price,
            "duration_months": proposal.duration_months,
            "team": proposal.team,
        }
        if proposal
        else None
    )
    return ProposalForm(initial=initial)


@login_required
@require_POST
def challenge_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    challenge = access.get_challenge_for_publisher(request.user, pk)
    try:
        services.transition_challenge(request.user, challenge, action)
    except services.MarketplaceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(action)s。") % {"action": services.action_label(action)})
    return redirect("marketplace:challenge", pk=challenge.pk)


@login_required
@require_POST
def challenge_invite(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access.get_challenge_for_publisher(request.user, pk)
    provider = access.get_provider_for_user(request.user, id_from(request.POST.get("provider")))
    try:
        services.invite_provider(request.user, challenge, provider)
    except services.MarketplaceError as exc:
        messages.error(request, exc.message)
    if getattr(request, "htmx", False):
        context = _matches_context(challenge) | {"names": _names()}
        return htmx_partial(request, "marketplace/challenge_detail.html", "marketplace/_matches.html", context)
    return redirect("marketplace:challenge", pk=challenge.pk)


# --- proposals --------------------------------------------------------------------------------------------


@login_required
@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access.get_challenge_for_user(request.user, pk)
    own, provider = _own_provider(request)
    form = _proposal_form(None, request.POST)
    if form.is_valid():
        try:
            services.submit_proposal(request.user, challenge, provider, form.cleaned_data)
        except services.MarketplaceError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("方案已提交。"))
            return redirect("marketplace:challenge", pk=challenge.pk)
    proposal = Proposal.objects.filter(challenge=challenge, provider=provider).first()
    context = {"challenge": challenge, "names": _names()} | _provider_context(challenge, own, proposal, form)
    return render(request, "marketplace/challenge_detail.html", context, status=422)


def _proposal_action(request: HttpRequest, proposal: Proposal, action: Any, done: str) -> HttpResponse:
    try:
        action(request.user, proposal)
    except services.MarketplaceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("marketplace:challenge", pk=proposal.challenge_id)


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_provider(request.user, pk)
    return _proposal_action(request, proposal, services.withdraw_proposal, _("方案已撤回。"))


@login_required
@require_POST
def proposal_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_publisher(request.user, pk)
    return _proposal_action(request, proposal, services.shortlist_proposal, _("方案已入围。"))


@login_required
@require_POST
def proposal_award(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_publisher(request.user, pk)
    return _proposal_action(request, proposal, services.award_proposal, _("已确定揭榜方，其余方案标记为未中选。"))


# --- questions, answers and attachments -------------------------------------------------------------------


def _own_provider(request: HttpRequest) -> tuple[list[Provider], Provider]:
    """The user's providers and the one chosen in the form (the first when there is one)."""
    own = list(access.providers_of_member(request.user))
    if not own:
        raise Http404("no provider profile")
    chosen = request.POST.get("provider", str(own[0].pk))
    provider = next((p for p in own if str(p.pk) == chosen), None)
    if provider is None:
        raise Http404("no such provider")
    return own, provider


@login_required
@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    challenge = access.get_challenge_for_user(request.user, pk)
    own, provider = _own_provider(request)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.ask_question(request.user, challenge, provider, form.cleaned_data["text"])
        except services.MarketplaceError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("问题已发给发布方。答复会显示在这里。"))
            return redirect(f"{reverse('marketplace:challenge', args=[challenge.pk])}#questions")
    proposal = Proposal.objects.filter(challenge=challenge, provider=provider).first()
    context = {"challenge": challenge, "names": _names()}
    context |= _provider_context(challenge, own, proposal, _proposal_form(proposal), question_form=form)
    return render(request, "marketplace/challenge_detail.html", context, status=422)


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.get_question_for_publisher(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.answer_question(request.user, question, form.cleaned_data["answer"])
        messages.success(request, _("已答复。只有提问的服务商能看到这条答复。"))
    else:
        messages.error(request, _("请写下答复（不超过 2000 字）。"))
    return redirect(f"{reverse('marketplace:challenge', args=[question.challenge_id])}#questions")


@login_required
@require_POST
def proposal_attach(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = access.get_proposal_for_provider(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择一个 PDF 文件。"))
    else:
        upload = form.cleaned_data["file"]
        try:
            services.check_attachment_size(upload.size)  # before the upload is read into memory
            services.attach_to_proposal(request.user, proposal, upload.name, upload.read())
        except services.MarketplaceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("附件已上传。"))
    return redirect(f"{reverse('marketplace:challenge', args=[proposal.challenge_id])}#proposal")


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = access.get_attachment_for_user(request.user, pk)
    response = HttpResponse(bytes(attachment.content), content_type="application/pdf")
    # always a download, never rendered in the site's origin; the name is encoded (RFC 6266), not pasted
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- joint challenges (demand aggregation) ----------------------------------------------------------------


@login_required
@require_GET
def joint_demand(request: HttpRequest) -> HttpResponse:
    """The organiser's city × scenario demand over each programme's joined firms, to pool into joint challenges."""
    programmes = list(programmes_for_user(request.user).order_by("pk"))
    if not programmes:
        raise Http404("organisers only")
    rows = [(p, joint.demand_cells(p)) for p in programmes]
    return render(
        request,
        "marketplace/joint_demand.html",
        {"rows": rows, "names": _names(), "min_firms": joint.JOINT_MIN_FIRMS},
    )


def _cell(request: HttpRequest) -> tuple[Any, str, str, dict[int, float]]:
    params = request.GET if request.method == "GET" else request.POST
    programme = get_programme_for_user(request.user, id_from(params.get("programme")))
    scenario, city = params.get("scenario", ""), params.get("city", "")
    names = _names()
    if scenario not in names["scenarios"] or city not in names["cities"]:
        raise Http404("no such demand cell")
    return programme, scenario, city, joint.cell_firms(programme, scenario, city)


@login_required
@require_http_methods(["GET", "POST"])
def joint_new(request: HttpRequest) -> HttpResponse:
    programme, scenario, city, firms = _cell(request)
    names = _names()
    cell = {
        "programme": programme,
        "scenario": names["scenarios"][scenario],
        "city": names["cities"][city],
        "firms": len(firms),
        "one_off": round(sum(firms.values()), 1),
        "keys": {"programme": programme.pk, "scenario": scenario, "city": city},
    }
    if request.method == "POST":
        form = JointChallengeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data | {"visibility": Challenge.Visibility.PUBLIC}
            try:
                challenge = joint.draft_joint_challenge(request.user, programme, scenario, city, data)
            except services.MarketplaceError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("联合榜单已保存为草稿，并已邀请这些企业确认是否参与。"))
                return redirect("marketplace:challenge", pk=challenge.pk)
        return render(request, "marketplace/joint_form.html", {"form": form, "cell": cell}, status=422)
    # the draft is written in the reader's language, names included (not "in 泰安 need “大模型文档问答试点”")
    scenario_name, city_name = local_name(cell["scenario"]), local_name(cell["city"])
    initial = {
        "title": _("%(city)s%(scenario)s联合揭榜（%(n)s 家企业）")
        % {"city": city_name, "scenario": scenario_name, "n": len(firms)},
        "description": _(
            "本项目参训的 %(n)s 家%(city)s企业在转型规划中都需要“%(scenario)s”。征集一套可在各企业复制实施的方案，"
            "按企业分别报价，并给出多家同时实施的优惠价。"
        )
        % {"n": len(firms), "city": city_name, "scenario": scenario_name},
        "budget": cell["one_off"],
    }
    return render(request, "marketplace/joint_form.html", {"form": JointChallengeForm(initial=initial), "cell": cell})


@login_required
@require_POST
def joint_decide(request: HttpRequest, pk: int, choice: str) -> HttpResponse:
    member = access.get_joint_member_for_user(request.user, pk)
    if choice not in ("join", "decline"):
        raise Http404("no such choice")
    try:
        joint.decide(request.user, member, choice == "join")
    except services.MarketplaceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已确认参与。服务商只会看到参与企业的数量和行业，看不到企业名称。")
            if choice == "join"
            else _("已选择不参与。"),
        )
    return redirect("marketplace:challenge", pk=member.challenge_id)


# --- plan items: matching and sharing (enterprise members only) -------------------------------------------


def _plan_item_page(request: HttpRequest, plan_pk: int, scenario: str, form: ShareForm | None) -> HttpResponse:
    rec = get_plan_for_user(request.user, plan_pk)
    try:
        _plan, item = services.plan_item(rec, scenario)
    except services.MarketplaceError:
        raise Http404("no such plan item") from None
    matches = services.match_providers(services.need_for_plan_item(rec, scenario), top=MATCH_TOP)
    providers = list(Provider.objects.filter(listed=True))
    context = {
        "record": rec,
        "item": item,
        "matches": matches,
        "form": form or ShareForm(providers=providers),
        "shares": rec.shared_items.filter(scenario=scenario).select_related("provider"),
        "names": _names(),
    }
    return render(
        request, "marketplace/plan_item.html", context, status=422 if form is not None and form.errors else 200
    )


@login_required
@require_GET
def plan_item(request: HttpRequest, plan: int, scenario: str) -> HttpResponse:
    return _plan_item_page(request, plan, scenario, None)


@login_required
@require_POST
def plan_item_share(request: HttpRequest, plan: int, scenario: str) -> HttpResponse:
    rec = get_plan_for_user(request.user, plan)
    form = ShareForm(request.POST, providers=list(Provider.objects.filter(listed=True)))
    if not form.is_valid():
        return _plan_item_page(request, plan, scenario, form)
    try:
        services.share_plan_item(request.user, rec, scenario, form.provider(), form.cleaned_data["note"])
    except services.MarketplaceError:
        raise Http404("no such plan item") from None
    messages.success(request, _("已共享这一项。服务商只能看到场景、投资估算、城市、行业和您的说明。"))
    return redirect("marketplace:plan_item", plan=plan, scenario=scenario)


@login_required
@require_GET
def share_detail(request: HttpRequest, pk: int) -> HttpResponse:
    share = access.get_share_for_user(request.user, pk)
    return render(
        request,
        "marketplace/share_detail.html",
        {"share": share, "names": _names(), "owner": _is(request.user, Role.ENTERPRISE)},
    )


@login_required
@require_POST
def share_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    share = access.get_share_for_owner(request.user, pk)
    try:
        services.withdraw_share(request.user, share)
    except services.MarketplaceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("共享已撤回，服务商不再能看到这一项。"))
    return redirect("marketplace:plan_item", plan=share.plan_id, scenario=share.scenario)


# --- chain leaders' joint challenges (链主发起的产业链联合榜单) ----------------------------------------------------


def _chain_names() -> dict[str, Any]:
    return {c.id: c for c in active_catalog().catalog.chains}


@login_required
@require_GET
def chain_demand(request: HttpRequest) -> HttpResponse:
    """A chain leader's scenario demand over the other firms of its chain (counts only), to pool into a challenge."""
    leaders = access.chain_leaders_for_user(request.user)
    if not leaders:
        raise Http404("chain leaders only")
    chains = _chain_names()
    # a stated but unconfirmed leader sees why it cannot pool yet, and no counts of its chain
    rows = [(e, chains.get(e.chain), joint.chain_cells(e) if joint.is_chain_leader(e) else None) for e in leaders]
    return render(
        request,
        "marketplace/chain_demand.html",
        {"rows": rows, "names": _names(), "min_firms": joint.JOINT_MIN_FIRMS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def chain_new(request: HttpRequest) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    leader = access.get_chain_leader_for_user(request.user, id_from(params.get("enterprise")))
    scenario = params.get("scenario", "")
    names = _names()
    if scenario not in names["scenarios"]:
        raise Http404("no such scenario")
    # the figures of the chain's stored release, never of the firms now (joint.chain_cells): a cell under the
    # minimum is not the leader's to see, and two reads of a live sum would give a newcomer's estimate
    demand = joint.chain_cell(leader, scenario)
    if demand is None or not joint.chain_firms(leader, scenario):
        raise Http404("no such demand cell")
    chain = _chain_names().get(leader.chain)
    cell = {
        "leader": leader,
        "chain": chain,
        "scenario": names["scenarios"][scenario],
        "firms": demand.firms,
        "one_off": demand.one_off,
        "keys": {"enterprise": leader.pk, "scenario": scenario},
    }
    context = {"cell": cell, "action": reverse("marketplace:chain_new")}
    if request.method == "POST":
        form = JointChallengeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data | {"visibility": Challenge.Visibility.PUBLIC}
            try:
                challenge = joint.draft_chain_challenge(request.user, leader, scenario, data)
            except services.MarketplaceError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("联合榜单已保存为草稿，并已邀请这些企业确认是否参与。"))
                return redirect("marketplace:challenge", pk=challenge.pk)
        return render(request, "marketplace/joint_form.html", context | {"form": form}, status=422)
    chain_name = local_name(chain) if chain else leader.chain
    scenario_name = local_name(cell["scenario"])
    initial = {
        "title": _("%(chain)s%(scenario)s联合揭榜（%(n)s 家配套企业）")
        % {"chain": chain_name, "scenario": scenario_name, "n": demand.firms},
        "description": _(
            "%(leader)s作为%(chain)s链主，联合产业链上在转型规划中都需要“%(scenario)s”的 %(n)s 家配套企业揭榜。"
            "征集一套可在各企业复制实施的方案，按企业分别报价，并给出多家同时实施的优惠价。"
        )
        % {"leader": leader.name, "chain": chain_name, "scenario": scenario_name, "n": demand.firms},
        "budget": cell["one_off"],
    }
    return render(request, "marketplace/joint_form.html", context | {"form": JointChallengeForm(initial=initial)})


@login_required
@require_POST
def chain_leader_confirmation(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    """An organiser of the programme confirms (or withdraws the confirmation of) a participant's stated chain
    leadership; the participant page shows the state (templatetags/chain_leaders.py)."""
    from wendao.web.programmes.access import get_participant_for_user

    p = get_participant_for_user(request.user, pk, participant)
    if request.POST.get("action") == "revoke":
        joint.revoke_chain_leader(request.user, p)
        messages.success(request, _("已撤销链主身份确认。"))
    else:
        try:
            joint.confirm_chain_leader(request.user, p)
        except services.MarketplaceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已确认链主身份：该企业可以发起产业链联合榜单。"))
    return redirect("programmes:participant", pk=pk, participant=p.pk)
