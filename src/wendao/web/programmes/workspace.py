"""The evening group workspace: a discussion in three rounds that a facilitator runs from a phone or a projector.

1. each member states their top problem (prefilled from their own profile's stated needs), side by side;
2. peers and the facilitator comment on each member's problem and may suggest a scenario of the catalog;
3. each member commits to their first three steps.

Members see of each other only what each owner shares with the group: the stated problem and the plan's
one-page summary always, the full plan only when its owner chose so (``Participant.share_plan``). Every write
is one small row saved on its own (autosave), so a dropped connection loses at most what was being typed.
Callers fetch the group through ``programmes.access.get_group_for_user`` first.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao.engine.catalog import LoadedCatalog
from wendao.engine.text import control_character
from wendao.web.accounts.audit import record
from wendao.web.accounts.models import Role, User
from wendao.web.accounts.types import Visitor
from wendao.web.enterprises.models import PlanRecord
from wendao.web.programmes.models import Commitment, DiscussionGroup, GroupComment, Participant, StatedProblem
from wendao.web.programmes.week import Member, group_members

STEPS = 3
MAX_PROBLEM = 1000
MAX_COMMENT = 1000
MAX_STEP = 300


class WorkspaceError(Exception):
    """Input the workspace refuses; the message is for the person (translated)."""


def _text(value: str, limit: int, multiline: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if control_character(text, multiline) is not None:
        raise WorkspaceError(_("文字里有不可见的控制字符，请删除后再保存。"))
    if len(text) > limit:
        raise WorkspaceError(_("最多 %(n)s 个字。") % {"n": limit})
    return text


# --- who is who ---------------------------------------------------------------------------------------------


def member_of(user: Visitor, group: DiscussionGroup) -> Participant | None:
    """The user's own joined participation in this group, if any."""
    return (
        Participant.objects.joined()
        .filter(group_membership__group=group, enterprise__memberships__user=user)
        .select_related("enterprise")
        .first()
    )


def may_run(user: Visitor, group: DiscussionGroup) -> bool:
    """The facilitator and the programme's organisers move the rounds and keep the notes."""
    if group.facilitator_id == user.pk:
        return True
    return bool(user.role == Role.ORGANISER and group.programme.organisers.filter(pk=user.pk).exists())


# --- reading the board ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    """The one-page summary a member shares with the group: the first items and the money, nothing else."""

    plan_id: int
    items: list[dict[str, Any]]
    one_off: float
    net_one_off: float
    benefit: float
    payback_months: float | None


# read from the plan's JSON in the database: a stored plan is tens of kilobytes, the board needs a few figures
_SUMMARY_KEYS = ["plan__money"] + [f"plan__items__{i}__{k}" for i in range(3) for k in ("name_zh", "name_en")]


# A stored plan never changes (a new plan is a new record), so its summary is read once per process: reading it
# from the JSON costs the database a parse of the whole plan per key (SQLite: ~20 ms per plan), and every poll of
# every phone in a group shows eight of them. Keyed by id and creation time (an id alone comes back after a
# database is reset); bounded: cleared when full.
_SUMMARIES: dict[tuple[int, str], PlanSummary] = {}
_SUMMARIES_MAX = 4096


def plan_summaries(enterprise_ids: list[int], plan_ids: list[int]) -> dict[str, dict[int, PlanSummary]]:
    """{"latest": by enterprise, "by_id": by plan} for the latest plan of each enterprise and the plans named."""
    from django.db.models import Q

    wanted: dict[int, tuple[int, str]] = {}  # the latest plan of each enterprise and the plans named: their keys
    latest_of: dict[int, int] = {}
    rows = PlanRecord.objects.filter(Q(enterprise__in=enterprise_ids) | Q(pk__in=plan_ids)).values_list(
        "pk", "enterprise_id", "created_at"
    )
    for pk, enterprise_id, created_at in rows:  # newest first (PlanRecord.Meta.ordering)
        if enterprise_id not in latest_of or pk in plan_ids:
            latest_of.setdefault(enterprise_id, pk)
            wanted[pk] = (pk, created_at.isoformat())
    missing = {pk: key for pk, key in wanted.items() if key not in _SUMMARIES}
    if missing:
        if len(_SUMMARIES) + len(missing) > _SUMMARIES_MAX:
            _SUMMARIES.clear()
        for row in PlanRecord.objects.filter(pk__in=list(missing)).order_by().values("pk", *_SUMMARY_KEYS):
            _SUMMARIES[missing[row["pk"]]] = _summary_of(row)
    by_id = {pk: _SUMMARIES[key] for pk, key in wanted.items() if key in _SUMMARIES}
    latest = {enterprise_id: by_id[pk] for enterprise_id, pk in latest_of.items() if pk in by_id}
    return {"latest": latest, "by_id": by_id}


def _summary_of(row: dict[str, Any]) -> PlanSummary:
    money = row.get("plan__money") or {}
    if isinstance(money, str):  # some backends hand a nested object back as JSON text
        import json

        money = json.loads(money)
    benefit = (money.get("annual_benefit") or {}).get("median", 0.0)
    items = []
    for i in range(3):
        zh, en = row.get(f"plan__items__{i}__name_zh"), row.get(f"plan__items__{i}__name_en")
        if zh or en:
            items.append({"name_zh": zh or "", "name_en": en or ""})
    return PlanSummary(
        plan_id=row["pk"],
        items=items,
        one_off=float(money.get("one_off") or 0.0),
        net_one_off=float(money.get("net_one_off") or 0.0),
        benefit=float(benefit or 0.0),
        payback_months=money.get("payback_months"),
    )


@dataclass(frozen=True)
class Seat:
    """One member on the board: what they stated, what others said, what they committed to."""

    member: Member
    problem: str
    comments: list[GroupComment]
    steps: list[str]
    summary: PlanSummary | None
    full_plan: int | None  # the plan's id, only when the owner shares it (or it is the viewer's own)
    pins: tuple[str, ...] = ()  # scenario ids of steps the owner agreed to pin in their next plan


@dataclass(frozen=True)
class Board:
    group: DiscussionGroup
    seats: list[Seat]
    stated: int
    committed: int


def prefill_problem(participant: Participant) -> str:
    """The first stated need of the enterprise's own profile (its pain points, then its goals)."""
    profile = participant.enterprise.profile or {}
    needs = [str(t).strip() for t in list(profile.get("pain_points") or []) + list(profile.get("goals") or [])]
    return next((t for t in needs if t), "")[:MAX_PROBLEM]


def board(group: DiscussionGroup, viewer: Participant | None, loaded: LoadedCatalog | None = None) -> Board:
    names = None
    if loaded is not None:
        from django.utils.translation import get_language

        en = (get_language() or "").startswith("en")
        names = (
            {c.id: c.name_en if en else c.name_zh for c in loaded.catalog.cities},
            {i.code: i.name_en if en else i.name_zh for i in loaded.catalog.industries},
        )
    members = group_members(group, viewer, names)
    ids = [m.participant.pk for m in members]
    problems = dict(StatedProblem.objects.filter(participant__in=ids).values_list("participant_id", "text"))
    comments: dict[int, list[GroupComment]] = {}
    for c in GroupComment.objects.filter(group=group, about__in=ids).select_related("author"):
        comments.setdefault(c.about_id, []).append(c)
    steps: dict[int, list[str]] = {}
    pins: dict[int, list[str]] = {}
    for s in Commitment.objects.filter(participant__in=ids).order_by("participant_id", "position"):
        if s.text:
            steps.setdefault(s.participant_id, []).append(s.text)
        if s.scenario and s.pinned_at is not None:
            pins.setdefault(s.participant_id, []).append(s.scenario)
    summaries = plan_summaries(
        [m.participant.enterprise_id for m in members],
        [m.participant.final_plan_id for m in members if m.participant.final_plan_id],
    )
    seats = []
    for m in members:
        p = m.participant
        final = summaries["by_id"].get(p.final_plan_id) if p.final_plan_id else None
        chosen = final or summaries["latest"].get(p.enterprise_id)
        seats.append(
            Seat(
                member=m,
                problem=problems.get(p.pk, ""),
                comments=comments.get(p.pk, []),
                steps=steps.get(p.pk, []),
                summary=chosen,
                full_plan=chosen.plan_id if chosen is not None and (p.share_plan or m.me) else None,
                pins=tuple(pins.get(p.pk, [])),
            )
        )
    return Board(group, seats, sum(1 for s in seats if s.problem), sum(1 for s in seats if s.steps))


def board_version(b: Board, language: str) -> str:
    """A short hash of everything the board shows (in this language): a phone polling with the version of its
    copy gets "unchanged" (204, nothing rendered) until a member writes, the round moves or a plan changes."""
    import hashlib

    parts: list[object] = [language, b.group.round, b.stated, b.committed]
    for seat in b.seats:
        m, s = seat.member, seat.summary
        parts.append((m.participant.pk, m.name, m.firm, m.city, m.industry, m.me, seat.problem, seat.steps, seat.pins))
        parts.append([(c.pk, c.text, c.scenario, c.author_id, c.created_at.isoformat()) for c in seat.comments])
        parts.append(None if s is None else (s.plan_id, s.items, s.one_off, s.benefit, seat.full_plan))
        # the comment's author as shown (first name or username): read through the joined user of board()
        parts.append([(c.author.first_name, c.author.get_username()) if c.author else None for c in seat.comments])
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def board_stamp(group: DiscussionGroup) -> tuple[object, ...]:
    """A cheap stamp of everything ``board`` reads, in one plain SQL query (no model, no JSON): the group's round
    and facilitator, and per joined member their shown fields, their enterprise's name, city, industry and last
    change, their stated problem's last change, their comments' count and newest, their commitments' count,
    newest and last change, and their enterprise's newest plan. Rows only change by writes that move one of
    these (comments are never edited, commitments are replaced by new rows, plans never change); a poll whose
    stamp is unchanged has an unchanged board. Not covered: a comment author's renamed account, which the
    poll's cache (views_week) lets through after at most its time to live."""
    from django.db import connection

    from wendao.web.enterprises.models import Enterprise
    from wendao.web.programmes.models import GroupMembership

    t = {
        m.__name__: connection.ops.quote_name(m._meta.db_table)
        for m in (Participant, GroupMembership, Enterprise, StatedProblem, GroupComment, Commitment, PlanRecord)
    }
    sql = (
        f"SELECT p.id, p.contact_name, p.phone, p.share_phone, p.share_plan, p.final_plan_id, "
        f"e.name, e.city, e.industry, e.updated_at, "
        f"(SELECT sp.updated_at FROM {t['StatedProblem']} sp WHERE sp.participant_id = p.id), "
        f"(SELECT COUNT(*) FROM {t['GroupComment']} c WHERE c.about_id = p.id AND c.group_id = m.group_id), "
        f"(SELECT MAX(c.id) FROM {t['GroupComment']} c WHERE c.about_id = p.id AND c.group_id = m.group_id), "
        f"(SELECT COUNT(*) FROM {t['Commitment']} s WHERE s.participant_id = p.id), "
        f"(SELECT MAX(s.id) FROM {t['Commitment']} s WHERE s.participant_id = p.id), "
        f"(SELECT MAX(s.updated_at) FROM {t['Commitment']} s WHERE s.participant_id = p.id), "
        f"(SELECT MAX(r.id) FROM {t['PlanRecord']} r WHERE r.enterprise_id = p.enterprise_id) "
        f"FROM {t['Participant']} p JOIN {t['GroupMembership']} m ON m.participant_id = p.id "
        f"JOIN {t['Enterprise']} e ON e.id = p.enterprise_id "
        f"WHERE m.group_id = %s AND p.joined_at IS NOT NULL ORDER BY p.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [group.pk])
        rows = tuple(tuple(str(v) for v in row) for row in cursor.fetchall())
    return (group.round, group.facilitator_id, group.updated_at.isoformat(), rows)


# --- writing -------------------------------------------------------------------------------------------------


def state_problem(actor: Any, participant: Participant, text: str) -> StatedProblem:
    value = _text(text, MAX_PROBLEM)
    row, _created = StatedProblem.objects.update_or_create(participant=participant, defaults={"text": value})
    return row


def comment(actor: User, group: DiscussionGroup, about: Participant, text: str, scenario: str,
            loaded: LoadedCatalog) -> GroupComment:  # fmt: skip
    value = _text(text, MAX_COMMENT)
    if not value:
        raise WorkspaceError(_("请写下建议。"))
    if scenario and scenario not in {s.id for s in loaded.catalog.scenarios}:
        raise WorkspaceError(_("知识库里没有这个场景。"))
    return GroupComment.objects.create(group=group, about=about, author=actor, text=value, scenario=scenario)


@transaction.atomic
def commit_steps(
    actor: Any,
    participant: Participant,
    steps: list[str],
    scenarios: list[str] | None = None,
    pins: list[bool] | None = None,
    loaded: LoadedCatalog | None = None,
) -> list[str]:
    """Replace the participant's first three steps (empty ones are dropped, order kept). A step may name a catalog
    scenario; ticking its pin (only a member of the participant's enterprise may: the consent) pins the scenario
    in the enterprise's next plans (programmes/pins.py). A pin already given keeps its original consent."""
    values = [_text(s, MAX_STEP, multiline=False) for s in steps[:STEPS]]
    named = [(scenarios or [])[i] if i < len(scenarios or []) else "" for i in range(len(values))]
    ticked = [bool((pins or [])[i]) if i < len(pins or []) else False for i in range(len(values))]
    known = {s.id for s in loaded.catalog.scenarios} if loaded is not None else set()
    if any(sid and sid not in known for sid in named):
        raise WorkspaceError(_("知识库里没有这个场景。"))
    if any(t and not sid for t, sid in zip(ticked, named, strict=True)):
        raise WorkspaceError(_("要在规划中固定纳入，请先为这一步选一个场景。"))
    if any(ticked) and not participant.enterprise.memberships.filter(user=actor).exists():
        raise WorkspaceError(_("只有本企业的成员才能同意把场景固定纳入规划。"))
    before = {c.scenario: c for c in Commitment.objects.filter(participant=participant, pinned_by__isnull=False)}
    rows = []
    for text, sid, pin in zip(values, named, ticked, strict=True):
        if not text:
            continue
        row = Commitment(participant=participant, position=len(rows) + 1, text=text, scenario=sid)
        if pin:
            kept = before.get(sid)
            row.pinned_by_id = kept.pinned_by_id if kept else actor.pk
            row.pinned_at = kept.pinned_at if kept else timezone.now()
        rows.append(row)
    Commitment.objects.filter(participant=participant).delete()
    Commitment.objects.bulk_create(rows)
    record(
        actor, "programme.commitments", participant,
        {"steps": len(rows), "pins": [r.scenario for r in rows if r.pinned_at is not None]},
    )  # fmt: skip
    return [r.text for r in rows]


def set_round(actor: Any, group: DiscussionGroup, number: int) -> DiscussionGroup:
    if number not in DiscussionGroup.Round.values:
        raise WorkspaceError(_("没有这一轮。"))
    group.round = number
    group.save(update_fields=["round", "updated_at"])
    record(actor, "programme.group_round", group, {"round": number})
    return group


def save_notes(actor: Any, group: DiscussionGroup, notes: str, questions: str) -> DiscussionGroup:
    group.notes = _text(notes, 5000)
    group.questions = _text(questions, 5000)
    group.save(update_fields=["notes", "questions", "updated_at"])
    return group


# --- the organiser's evening view and the group's summary -----------------------------------------------------


@dataclass(frozen=True)
class GroupProgress:
    group: DiscussionGroup
    members: int
    stated: int
    comments: int
    committed: int
    final: int


def programme_progress(programme: Any) -> list[GroupProgress]:
    """Every group's progress on one page (a handful of queries for the whole programme)."""
    from django.db.models import Count, Q

    groups = (
        DiscussionGroup.objects.filter(programme=programme)
        .annotate(
            n_members=Count("memberships", filter=Q(memberships__participant__joined_at__isnull=False), distinct=True),
            n_stated=Count(
                "memberships__participant__stated_problem",
                filter=Q(memberships__participant__joined_at__isnull=False),
                distinct=True,
            ),
            n_committed=Count(
                "memberships__participant",
                filter=Q(
                    memberships__participant__commitments__isnull=False,
                    memberships__participant__joined_at__isnull=False,
                ),
                distinct=True,
            ),
            n_final=Count(
                "memberships__participant",
                filter=Q(
                    memberships__participant__final_at__isnull=False, memberships__participant__joined_at__isnull=False
                ),
                distinct=True,
            ),
            n_comments=Count("comments", distinct=True),
        )
        .select_related("facilitator")
    )
    return [
        GroupProgress(g, g.n_members, g.n_stated, g.n_comments, g.n_committed, g.n_final)  # type: ignore[attr-defined]
        for g in groups
    ]


def summary_document(group: DiscussionGroup, loaded: LoadedCatalog) -> bytes:
    """The group's summary for the organiser as Word: problems, advice, commitments, notes, open questions."""
    from docx import Document

    b = board(group, None, loaded)
    scenarios = {s.id: s.name_zh for s in loaded.catalog.scenarios}
    doc = Document()
    doc.add_heading(
        _("%(programme)s · 第 %(n)s 组讨论纪要") % {"programme": group.programme.name, "n": group.number}, 1
    )
    if group.facilitator_label:
        doc.add_paragraph(_("主持人：%(name)s") % {"name": group.facilitator_label})
    for seat in b.seats:
        doc.add_heading(f"{seat.member.firm}（{seat.member.name or '—'}）", 2)
        doc.add_paragraph(_("首要问题：%(text)s") % {"text": seat.problem or "—"})
        for c in seat.comments:
            named = scenarios.get(c.scenario, "")
            doc.add_paragraph(c.text + (f"（{_('推荐场景')}：{named}）" if named else ""), style="List Bullet")
        if seat.steps:
            doc.add_paragraph(_("前三步："))
            for step in seat.steps:
                doc.add_paragraph(step, style="List Number")
    doc.add_heading(_("主持人记录"), 2)
    doc.add_paragraph(group.notes or "—")
    doc.add_heading(_("请专家解答的问题"), 2)
    doc.add_paragraph(group.questions or "—")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
