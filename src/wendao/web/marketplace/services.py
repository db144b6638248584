"""Marketplace use cases: provider profiles, the challenge and proposal state machines, shared plan items, and
the one seam where Django rows become the engine matcher's ``ProviderDoc`` / ``Need``.

Every state change is one function here that checks the transition is allowed, applies it under a row lock
and writes the audit log. Views and the API call these and nothing else; callers fetch the objects through
``marketplace.access`` first, so these functions assume the user may act on what they are given.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wendao.engine.catalog import LoadedCatalog
from wendao.engine.matching import Need, ProviderDoc, ProviderMatch, ProviderMatcher, division
from wendao.engine.plan import Plan, PlanItem
from wendao.web.accounts.audit import record
from wendao.web.accounts.types import Actor
from wendao.web.catalog.services import active_catalog, state
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.enterprises.services import plan_of
from wendao.web.marketplace.models import (
    Attachment,
    Challenge,
    JointMember,
    Proposal,
    Provider,
    Question,
    ReferenceCase,
    SharedItem,
)
from wendao.web.programmes.models import Programme

S = Challenge.State
P = Proposal.State


class MarketplaceError(ValueError):
    """Something the user asked for that the rules do not allow; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class TransitionError(MarketplaceError):
    """A state change not allowed from the object's current state."""


# action -> (states it may start from, state it leads to). Awarding is ``award_proposal`` (shortlisting ->
# awarded), because it also decides every proposal. Awarded, closed and cancelled are final.
CHALLENGE_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({S.DRAFT}), S.PUBLISHED),
    "shortlist": (frozenset({S.PUBLISHED}), S.SHORTLISTING),
    "close": (frozenset({S.PUBLISHED, S.SHORTLISTING}), S.CLOSED),
    "cancel": (frozenset({S.DRAFT, S.PUBLISHED, S.SHORTLISTING}), S.CANCELLED),
}
FINAL_STATES = frozenset({S.AWARDED, S.CLOSED, S.CANCELLED})
UNDECIDED = (P.SUBMITTED, P.SHORTLISTED)


def allowed_actions(challenge: Challenge) -> list[str]:
    return [a for a, (sources, _to) in CHALLENGE_TRANSITIONS.items() if challenge.state in sources]


def _state_label(value: str, choices: Any) -> str:
    return str(dict(choices.choices).get(value, value))


def _refuse(obj: Challenge | Proposal, action: str) -> TransitionError:
    choices = Challenge.State if isinstance(obj, Challenge) else Proposal.State
    return TransitionError(
        _("当前状态“%(state)s”不允许执行“%(action)s”。")
        % {"state": _state_label(obj.state, choices), "action": action},
        "state",
    )


# --- catalog lookups --------------------------------------------------------------------------------------


def scenario_names(loaded: LoadedCatalog | None = None) -> dict[str, Any]:
    loaded = loaded or active_catalog()
    return {s.id: s for s in loaded.catalog.scenarios}


# --- providers --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseData:
    title: str
    client_type: str = ""
    industry: str = ""
    result: str = ""


PROVIDER_FIELDS = (
    "name",
    "kind",
    "description",
    "scenario_ids",
    "industries",
    "regions",
    "price_low",
    "price_high",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "listed",
)


def validate_provider(data: dict[str, Any], loaded: LoadedCatalog | None = None) -> None:
    loaded = loaded or active_catalog()
    if not str(data.get("name") or "").strip():
        raise MarketplaceError(_("请填写机构名称。"), "name")
    known = scenario_names(loaded)
    unknown = [s for s in data.get("scenario_ids") or [] if s not in known]
    if unknown:
        raise MarketplaceError(_("未知场景：%(ids)s") % {"ids": "、".join(unknown)}, "scenario_ids")
    divisions = {i.code for i in loaded.catalog.industries}
    bad = [i for i in data.get("industries") or [] if i not in divisions]
    if bad:
        raise MarketplaceError(_("未知行业大类：%(codes)s") % {"codes": "、".join(bad)}, "industries")
    cities = {c.id for c in loaded.catalog.cities}
    bad = [c for c in data.get("regions") or [] if c not in cities]
    if bad:
        raise MarketplaceError(_("未知地区：%(ids)s") % {"ids": "、".join(bad)}, "regions")
    low, high = data.get("price_low"), data.get("price_high")
    for field, value in (("price_low", low), ("price_high", high)):
        if value is not None and value < 0:
            raise MarketplaceError(_("报价不能为负数。"), field)
    if low is not None and high is not None and low > high:
        raise MarketplaceError(_("报价下限不能高于上限。"), "price_high")


@transaction.atomic
def save_provider(
    user: Actor, data: dict[str, Any], cases: list[CaseData] | None = None, provider: Provider | None = None
) -> Provider:
    """Create (the user becomes its member) or update a provider profile; ``cases`` replaces the reference
    cases when given. Audited with the fields that changed."""
    validate_provider(data)
    new = provider is None
    provider = provider or Provider()
    changes: dict[str, Any] = {}
    for field in PROVIDER_FIELDS:
        if field in data and getattr(provider, field) != data[field]:
            changes[field] = data[field]
            setattr(provider, field, data[field])
    provider.save()
    if new and getattr(user, "is_authenticated", False):
        provider.members.add(user)
    if cases is not None:
        before = [(c.title, c.client_type, c.industry, c.result) for c in provider.cases.all()]
        after = [(c.title, c.client_type, c.industry, c.result) for c in cases]
        if before != after:
            provider.cases.all().delete()
            ReferenceCase.objects.bulk_create(
                [
                    ReferenceCase(
                        provider=provider,
                        title=c.title,
                        client_type=c.client_type,
                        industry=c.industry,
                        result=c.result,
                    )
                    for c in cases
                ]
            )
            changes["cases"] = [c.title for c in cases]
            Provider.objects.filter(pk=provider.pk).update(updated_at=timezone.now())  # the matcher re-reads
    record(user, "provider.create" if new else "provider.update", provider, changes)
    return provider


@dataclass(frozen=True)
class ProfileCheck:
    field: str  # the form field a missing item is filled in
    label: Any  # lazy translation
    done: bool


# what a profile needs before the matcher can place it well: scenario tags weigh 55 % of relevance, industries,
# regions and prices are the context factor, the description and cases are the text the BM25 and E5 parts read
PROFILE_CHECKS = (
    ("description", gettext_lazy("机构简介")),
    ("scenario_ids", gettext_lazy("能力场景")),
    ("industries", gettext_lazy("服务行业")),
    ("regions", gettext_lazy("服务地区")),
    ("price", gettext_lazy("报价区间")),
    ("contact", gettext_lazy("联系方式")),
    ("cases", gettext_lazy("参考案例")),
)


def profile_completeness(provider: Provider) -> tuple[int, list[ProfileCheck]]:
    """How complete a provider's profile is (percent of PROFILE_CHECKS) and each check."""
    filled = {
        "description": bool(provider.description.strip()),
        "scenario_ids": bool(provider.scenario_ids),
        "industries": bool(provider.industries),
        "regions": bool(provider.regions),
        "price": provider.price_low is not None or provider.price_high is not None,
        "contact": bool(provider.contact_phone or provider.contact_email),
        "cases": provider.cases.exists(),
    }
    checks = [ProfileCheck(field, label, filled[field]) for field, label in PROFILE_CHECKS]
    return round(100 * sum(c.done for c in checks) / len(checks)), checks


# --- challenges -------------------------------------------------------------------------------------------


CHALLENGE_FIELDS = ("title", "scenario", "description", "requirements", "budget", "deadline", "visibility")


def _validate_challenge(data: dict[str, Any]) -> None:
    if not str(data.get("title") or "").strip():
        raise MarketplaceError(_("请填写榜单名称。"), "title")
    if data.get("scenario") not in scenario_names():
        raise MarketplaceError(_("请从知识库中选择一个场景。"), "scenario")
    budget = data.get("budget")
    if budget is not None and budget < 0:
        raise MarketplaceError(_("预算不能为负数。"), "budget")
    if data.get("visibility", Challenge.Visibility.PUBLIC) not in Challenge.Visibility.values:
        raise MarketplaceError(_("可见范围只能是“公开”或“仅受邀服务商”。"), "visibility")


@transaction.atomic
def create_challenge(user: Actor, publisher: Enterprise | Programme, data: dict[str, Any]) -> Challenge:
    """A draft challenge. ``publisher`` must already be one the user may publish for (see access)."""
    _validate_challenge(data)
    fields = {k: data[k] for k in CHALLENGE_FIELDS if k in data}
    challenge = Challenge.objects.create(
        enterprise=publisher if isinstance(publisher, Enterprise) else None,
        programme=publisher if isinstance(publisher, Programme) else None,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        **fields,
    )
    record(user, "challenge.create", challenge, {k: str(v) for k, v in fields.items()})
    return challenge


@transaction.atomic
def update_challenge(user: Actor, challenge: Challenge, data: dict[str, Any]) -> Challenge:
    """Edit a draft; once published the terms are fixed (providers answered to them)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.state != S.DRAFT:
        raise _refuse(challenge, _("编辑"))
    merged = {k: getattr(challenge, k) for k in CHALLENGE_FIELDS} | data
    if challenge.joint and merged["scenario"] != challenge.scenario:  # the firms were invited for this scenario
        raise MarketplaceError(_("联合榜单的场景来自汇总的企业需求，不能修改。"), "scenario")
    _validate_challenge(merged)
    changes = {k: str(v) for k, v in data.items() if k in CHALLENGE_FIELDS and getattr(challenge, k) != v}
    for k in CHALLENGE_FIELDS:
        setattr(challenge, k, merged[k])
    challenge.save()
    record(user, "challenge.update", challenge, changes)
    return challenge


JOINT_MIN_JOINED = 2  # a joint challenge is published only when at least two firms opted in (else it is not joint)


def _check_publishable(challenge: Challenge, today: date) -> None:
    if challenge.joint:
        joined = JointMember.objects.filter(challenge=challenge, state=JointMember.State.JOINED).count()
        if joined < JOINT_MIN_JOINED:
            raise MarketplaceError(
                _("联合榜单至少需要 %(n)s 家企业确认参与才能发布（目前 %(joined)s 家）。")
                % {"n": JOINT_MIN_JOINED, "joined": joined},
                "joint",
            )
    if not challenge.description.strip():
        raise MarketplaceError(_("发布前请填写问题描述。"), "description")
    if challenge.deadline is None:
        raise MarketplaceError(_("发布前请填写截止日期。"), "deadline")
    if challenge.deadline <= today:
        raise MarketplaceError(_("截止日期必须晚于今天。"), "deadline")


@transaction.atomic
def transition_challenge(user: Actor, challenge: Challenge, action: str) -> Challenge:
    """publish / shortlist (stop taking proposals, start the review) / close (no award) / cancel."""
    if action not in CHALLENGE_TRANSITIONS:
        raise TransitionError(_("未知操作：%(action)s") % {"action": action}, "action")
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    sources, target = CHALLENGE_TRANSITIONS[action]
    if challenge.state not in sources:
        raise _refuse(challenge, action_label(action))
    if action == "publish":
        _check_publishable(challenge, timezone.localdate())
        challenge.published_at = timezone.now()
    before = challenge.state
    challenge.state = target
    challenge.save()
    if target in (S.CLOSED, S.CANCELLED):
        _decide_rest(user, challenge, None)
    record(user, f"challenge.{action}", challenge, {"from": before, "to": target})
    return challenge


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


ACTION_LABELS = {
    "publish": gettext_lazy("发布"),
    "shortlist": gettext_lazy("截止征集并开始评审"),
    "close": gettext_lazy("关闭（不揭榜）"),
    "cancel": gettext_lazy("撤销"),
}


@transaction.atomic
def invite_provider(user: Actor, challenge: Challenge, provider: Provider) -> bool:
    """Invite a provider (it then sees the challenge even when not public). False when already invited."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.state in FINAL_STATES:
        raise _refuse(challenge, _("邀请服务商"))
    if challenge.invited.filter(pk=provider.pk).exists():
        return False
    challenge.invited.add(provider)
    record(user, "challenge.invite", challenge, {"provider": provider.pk})
    return True


# --- proposals --------------------------------------------------------------------------------------------


def _validate_proposal(data: dict[str, Any]) -> None:
    if not str(data.get("approach") or "").strip():
        raise MarketplaceError(_("请填写技术方案。"), "approach")
    price = data.get("price")
    if price is None or price < 0:
        raise MarketplaceError(_("请填写不小于 0 的报价（万元）。"), "price")
    months = data.get("duration_months")
    if months is None or not 1 <= months <= 120:
        raise MarketplaceError(_("工期应在 1 到 120 个月之间。"), "duration_months")


@transaction.atomic
def submit_proposal(user: Actor, challenge: Challenge, provider: Provider, data: dict[str, Any]) -> Proposal:
    """One proposal per provider and challenge, while the challenge is taking proposals (published, deadline
    not passed). Submitting again revises it (or re-submits a withdrawn one)."""
    _validate_proposal(data)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.state != S.PUBLISHED:
        raise _refuse(challenge, _("提交方案"))
    if challenge.deadline is not None and challenge.deadline < timezone.localdate():
        raise MarketplaceError(_("已过截止日期，不能再提交方案。"), "deadline")
    fields = {k: data[k] for k in ("approach", "price", "duration_months", "team") if k in data}
    proposal = Proposal.objects.select_for_update().filter(challenge=challenge, provider=provider).first()
    if proposal is None:
        proposal = Proposal.objects.create(challenge=challenge, provider=provider, submitted_by=user, **fields)
        record(user, "proposal.submit", proposal, {k: str(v) for k, v in fields.items()})
        return proposal
    if proposal.state not in (P.SUBMITTED, P.WITHDRAWN):
        raise _refuse(proposal, _("修改方案"))
    before = proposal.state
    for k, v in fields.items():
        setattr(proposal, k, v)
    proposal.state = P.SUBMITTED
    proposal.submitted_by = user
    proposal.save()
    record(user, "proposal.revise", proposal, {"from": before, **{k: str(v) for k, v in fields.items()}})
    return proposal


@transaction.atomic
def withdraw_proposal(user: Actor, proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("challenge").get(pk=proposal.pk)
    if proposal.state not in UNDECIDED or proposal.challenge.state in FINAL_STATES:
        raise _refuse(proposal, _("撤回"))
    before = proposal.state
    proposal.state = P.WITHDRAWN
    proposal.save()
    record(user, "proposal.withdraw", proposal, {"from": before, "to": P.WITHDRAWN})
    return proposal


@transaction.atomic
def shortlist_proposal(user: Actor, proposal: Proposal) -> Proposal:
    """The publisher puts a proposal on the shortlist (once the challenge is in review)."""
    challenge = Challenge.objects.select_for_update().get(pk=proposal.challenge_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if challenge.state != S.SHORTLISTING:
        raise _refuse(challenge, _("入围"))
    if proposal.state != P.SUBMITTED:
        raise _refuse(proposal, _("入围"))
    proposal.state = P.SHORTLISTED
    proposal.save()
    record(user, "proposal.shortlist", proposal, {"from": P.SUBMITTED, "to": P.SHORTLISTED})
    return proposal


@transaction.atomic
def award_proposal(user: Actor, proposal: Proposal) -> Proposal:
    """Exactly one winner: the shortlisted proposal is awarded, the challenge becomes awarded, every other
    undecided proposal becomes not selected."""
    challenge = Challenge.objects.select_for_update().get(pk=proposal.challenge_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if challenge.state != S.SHORTLISTING:
        raise _refuse(challenge, _("揭榜"))
    if proposal.state != P.SHORTLISTED:
        raise _refuse(proposal, _("揭榜"))
    proposal.state = P.AWARDED
    proposal.save()
    challenge.state = S.AWARDED
    challenge.save()
    record(user, "proposal.award", proposal, {"from": P.SHORTLISTED, "to": P.AWARDED})
    record(user, "challenge.award", challenge, {"from": S.SHORTLISTING, "to": S.AWARDED, "proposal": proposal.pk})
    _decide_rest(user, challenge, proposal)
    return proposal


def _decide_rest(user: Actor, challenge: Challenge, winner: Proposal | None) -> None:
    rest = Proposal.objects.select_for_update().filter(challenge=challenge, state__in=UNDECIDED)
    if winner is not None:
        rest = rest.exclude(pk=winner.pk)
    for other in rest:
        before = other.state
        other.state = P.NOT_SELECTED
        other.save(update_fields=["state", "updated_at"])
        record(user, "proposal.not_selected", other, {"from": before, "to": P.NOT_SELECTED})


# --- attachments ------------------------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024  # a proposal's PDF: slides or a technical brief, not a data set
ATTACHMENTS_PER_PROPOSAL = 3
# PDF names that run or carry something when opened (ISO 32000-1 §12.6.4 actions, §7.11.4 embedded files, XFA
# forms): a proposal is read by the publisher's staff, so such a file is refused rather than passed on. Names may
# be written with #hh escapes (/J#61vaScript), which are decoded first. This reads the file's own bytes only: a
# name inside a compressed object stream is not seen, so downloads also go out as attachments with nosniff.
PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"})
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _pdf_names(content: bytes) -> set[bytes]:
    return {_HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _PDF_NAME.findall(content)}


def check_attachment_size(size: int) -> None:
    """Callers with an upload check its declared size first, before reading it into memory."""
    if size <= 0:
        raise MarketplaceError(_("文件是空的。"), "file")
    if size > ATTACHMENT_MAX_BYTES:
        raise MarketplaceError(
            _("文件超过 %(mb)s MB，请压缩后再上传。") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}, "file"
        )


def check_pdf(name: str, content: bytes) -> None:
    """Refuse anything but a plain PDF within the size limit; the type is read from the bytes, not the name."""
    check_attachment_size(len(content))
    if not content.startswith(b"%PDF-") or not name.lower().endswith(".pdf"):
        raise MarketplaceError(_("只能上传 PDF 文件（.pdf）。"), "file")
    if _pdf_names(content) & PDF_ACTIVE_NAMES:
        raise MarketplaceError(_("PDF 中含有脚本、外部启动或内嵌文件，出于安全原因不能上传。"), "file")


def attachment_name(name: str) -> str:
    """The file name without any folder and without control characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[-200:] or "proposal.pdf"


@transaction.atomic
def attach_to_proposal(user: Actor, proposal: Proposal, name: str, content: bytes) -> Attachment:
    """Attach a checked PDF while the proposal can still be revised (submitted, challenge taking proposals)."""
    proposal = Proposal.objects.select_for_update().select_related("challenge").get(pk=proposal.pk)
    if proposal.state != P.SUBMITTED or proposal.challenge.state != S.PUBLISHED:
        raise _refuse(proposal, _("上传附件"))
    if proposal.attachments.count() >= ATTACHMENTS_PER_PROPOSAL:
        raise MarketplaceError(_("每份方案最多 %(n)s 个附件。") % {"n": ATTACHMENTS_PER_PROPOSAL}, "file")
    check_pdf(name, content)
    clean = attachment_name(name)
    attachment = Attachment.objects.create(
        proposal=proposal,
        name=clean,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=user,
    )
    record(user, "proposal.attach", proposal, {"attachment": attachment.pk, "name": clean, "size": len(content)})
    return attachment


# --- questions and answers --------------------------------------------------------------------------------

QUESTION_MAX_CHARS = 2000


def _text(value: str, field: str, empty: str) -> str:
    text = (value or "").strip()
    if not text:
        raise MarketplaceError(empty, field)
    if len(text) > QUESTION_MAX_CHARS:
        raise MarketplaceError(_("最多 %(n)s 个字。") % {"n": QUESTION_MAX_CHARS}, field)
    return text


@transaction.atomic
def ask_question(user: Actor, challenge: Challenge, provider: Provider, text: str) -> Question:
    """A provider asks the publisher, while the challenge is open (published or in review)."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.state not in (S.PUBLISHED, S.SHORTLISTING):
        raise _refuse(challenge, _("提问"))
    question = Question.objects.create(
        challenge=challenge, provider=provider, text=_text(text, "text", _("请写下问题。")), asked_by=user
    )
    record(user, "question.ask", question, {"challenge": challenge.pk, "provider": provider.pk})
    return question


@transaction.atomic
def answer_question(user: Actor, question: Question, text: str) -> Question:
    """The publisher answers (answering again replaces the answer; the audit log keeps each)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.answer = _text(text, "answer", _("请写下答复。"))
    question.answered_by = user
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    record(user, "question.answer", question, {"challenge": question.challenge_id})
    return question


# --- plan items and sharing -------------------------------------------------------------------------------


def plan_item(rec: PlanRecord, scenario: str) -> tuple[Plan, PlanItem]:
    plan = plan_of(rec)
    for item in plan.items:
        if item.scenario == scenario:
            return plan, item
    raise MarketplaceError(_("这份规划的路线图里没有该场景。"), "scenario")


@transaction.atomic
def share_plan_item(user: Actor, rec: PlanRecord, scenario: str, provider: Provider | None, note: str = "") -> SharedItem:
    """Share ONE roadmap item (scenario, cost, city, industry division, the member's note) with the whole
    marketplace (``provider`` None) or one provider. Sharing the same item with the same audience again
    returns the active share."""
    _plan, item = plan_item(rec, scenario)
    existing = SharedItem.objects.filter(plan=rec, scenario=scenario, provider=provider, withdrawn_at__isnull=True)
    if (found := existing.first()) is not None:
        return found
    enterprise = rec.enterprise
    share = SharedItem.objects.create(
        plan=rec,
        scenario=scenario,
        name_zh=item.name_zh,
        name_en=item.name_en,
        cost=round(item.one_off, 1),
        city=enterprise.city,
        industry=division(enterprise.industry) or "",
        note=note.strip(),
        provider=provider,
        shared_by=user,
    )
    record(user, "share.create", share, {"scenario": scenario, "provider": provider.pk if provider else None})
    return share


@transaction.atomic
def withdraw_share(user: Actor, share: SharedItem) -> SharedItem:
    share = SharedItem.objects.select_for_update().get(pk=share.pk)
    if share.withdrawn_at is not None:
        raise MarketplaceError(_("该共享已撤回。"), "share")
    share.withdrawn_at = timezone.now()
    share.save(update_fields=["withdrawn_at"])
    record(user, "share.withdraw", share, {})
    return share


# --- matching: the one seam between rows and the engine matcher -------------------------------------------


def provider_doc(provider: Provider, loaded: LoadedCatalog) -> ProviderDoc:
    names = scenario_names(loaded)
    capabilities = [names[s].name_zh for s in provider.scenario_ids if s in names]
    cases = [f"{c.title} {c.result}" for c in provider.cases.all()]
    text = "\n".join([provider.description, "、".join(capabilities), *cases])  # the matcher adds the name
    return ProviderDoc(
        id=str(provider.pk),
        name=provider.name,
        text=text,
        scenario_ids=tuple(provider.scenario_ids),
        industries=tuple(provider.industries),
        regions=tuple(provider.regions),
        price_low=provider.price_low,
        price_high=provider.price_high,
    )


def need_for_challenge(challenge: Challenge) -> Need:
    enterprise = challenge.enterprise
    return Need(
        text="\n".join([challenge.title, challenge.description, challenge.requirements]),
        scenario_ids=(challenge.scenario,),
        industry=division(enterprise.industry) if enterprise else None,
        city=enterprise.city if enterprise else None,
        budget=challenge.budget,
    )


def need_for_item(scenario: str, name_zh: str, cost: float, city: str, industry: str, note: str = "") -> Need:
    return Need(
        text="\n".join([name_zh, note]),
        scenario_ids=(scenario,),
        industry=division(industry),
        city=city or None,
        budget=cost,
    )


def need_for_share(share: SharedItem) -> Need:
    return need_for_item(share.scenario, share.name_zh, share.cost, share.city, share.industry, share.note)


def need_for_plan_item(rec: PlanRecord, scenario: str) -> Need:
    _plan, item = plan_item(rec, scenario)
    enterprise = rec.enterprise
    return need_for_item(scenario, item.name_zh, item.one_off, enterprise.city, enterprise.industry)


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def _listed() -> Any:
    return Provider.objects.filter(listed=True)


def _matcher_version() -> tuple[Any, ...]:
    listed = _listed().aggregate(n=Count("id"), latest=Max("updated_at"))
    catalog = state()
    return (listed["n"], listed["latest"], catalog.revision, catalog.updated_at, settings.WENDAO_PLAN_MATCHER)


def provider_matcher() -> tuple[ProviderMatcher, dict[str, Provider]]:
    """The matcher over listed providers, built once per process and version (embeddings take seconds)."""
    version = _matcher_version()
    with _lock:
        if _cache.get("version") != version:
            loaded = active_catalog()
            providers = list(_listed().prefetch_related("cases"))
            docs = [provider_doc(p, loaded) for p in providers]
            _cache["matcher"] = ProviderMatcher(docs, loaded, embeddings=bool(settings.WENDAO_PLAN_MATCHER))
            _cache["providers"] = {str(p.pk): p for p in providers}
            _cache["version"] = version
        return _cache["matcher"], _cache["providers"]


@dataclass(frozen=True)
class MatchedProvider:
    provider: Provider
    match: ProviderMatch


def match_providers(need: Need, top: int = 10) -> list[MatchedProvider]:
    matcher, providers = provider_matcher()
    return [
        MatchedProvider(providers[m.provider_id], m) for m in matcher.match(need, top=top) if m.provider_id in providers
    ]


@dataclass(frozen=True)
class Demand:
    """A public challenge or a shared plan item, as ranked for one provider."""

    kind: str  # "challenge" | "share"
    obj: Challenge | SharedItem
    match: ProviderMatch


DEMAND_LIMIT = 200  # the most recent open needs a provider is ranked against
# a need is demand for a provider when the provider ranks among its first DEMAND_RANK providers: it bounds the
# work (reasons are written for the ranked ones only) and leaves out needs others fit far better
DEMAND_RANK = 50
# below this score a need shares neither a scenario nor much text with the provider: a need whose scenario (or its
# parent or child) the provider is tagged with scores at least 0.55 × 0.7 relevance × 0.55 worst context ≈ 0.21;
# the demo's vision provider against a predictive-maintenance challenge scored 0.058 ("文本匹配：演示")
DEMAND_MIN_SCORE = 0.15


def _is_demand_for(provider: Provider, match: ProviderMatch) -> bool:
    """A provider that lists scenarios sees needs in them (or a parent, child or sibling scenario): BM25 is
    relative, so in a small market one shared word ("在线") can give a foreign need a high text part. A provider
    that lists none yet is matched on its text, above DEMAND_MIN_SCORE."""
    if match.score < DEMAND_MIN_SCORE:
        return False
    return not provider.scenario_ids or match.parts.get("scenario", 0.0) > 0


def matched_demand(provider: Provider, challenges: Any, shares: Any, top: int = 20) -> list[Demand]:
    """Open challenges and shared items the provider may see (querysets from access), ranked for it.

    Scored with the same matcher over every listed provider so BM25 weights stay comparable; an unlisted
    provider is scored on its own (its profile is not in the shared index, and it asked not to be found)."""
    open_challenges = list(challenges.filter(state=S.PUBLISHED).select_related("enterprise")[:DEMAND_LIMIT])
    open_shares = list(shares[:DEMAND_LIMIT])
    needs = [need_for_challenge(c) for c in open_challenges] + [need_for_share(s) for s in open_shares]
    objects: list[tuple[str, Challenge | SharedItem]] = [("challenge", c) for c in open_challenges]
    objects += [("share", s) for s in open_shares]
    if not needs:
        return []
    matcher, providers = provider_matcher()
    pid = str(provider.pk)
    if pid not in providers:
        matcher = ProviderMatcher([provider_doc(provider, active_catalog())], active_catalog(), embeddings=False)
    ranked = matcher.match_many(needs, top=DEMAND_RANK)
    found: list[Demand] = []
    for (kind, obj), matches in zip(objects, ranked, strict=True):
        for m in matches:
            if m.provider_id == pid and _is_demand_for(provider, m):
                found.append(Demand(kind, obj, m))
                break
    found.sort(key=lambda d: -d.match.score)
    return found[:top]
