"""The training week as one participant sees it: their timetable, their group, their visits, their plan.

Use cases of the participant pages (``views_week``). Callers fetch the participant through
``programmes.access`` first; nothing here checks who asks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao.web.accounts.audit import record
from wendao.web.enterprises.models import PlanRecord
from wendao.web.programmes.models import (
    DiscussionGroup,
    GroupMembership,
    Participant,
    Programme,
    Session,
    VisitAssignment,
)


def participant_group(participant: Participant) -> DiscussionGroup | None:
    membership = GroupMembership.objects.filter(participant=participant).select_related("group").first()
    return membership.group if membership else None


def sessions_for(participant: Participant, group: DiscussionGroup | None = None) -> QuerySet[Session]:
    """What this participant attends: every session meant for all or for their group, and the site visits they
    were assigned (or, before the allocation, none: a visit's attendees are its assignments). ``group``: their
    group when the caller has it already (one query less), else it is looked up."""
    group = group or participant_group(participant)
    for_all = Q(groups__isnull=True) & ~Q(kind=Session.Kind.SITE_VISIT)
    for_group = Q(groups=group) & ~Q(kind=Session.Kind.SITE_VISIT) if group else Q(pk__in=[])
    visits = Q(kind=Session.Kind.SITE_VISIT, assignments__participant=participant)
    return (
        Session.objects.filter(Q(programme=participant.programme_id) & (for_all | for_group | visits))
        .distinct()
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class Day:
    date: dt.date | None
    sessions: list[Session]


def days(sessions: list[Session]) -> list[Day]:
    """Sessions by local calendar day; sessions without a time come last, under no date."""
    by_day: dict[dt.date | None, list[Session]] = {}
    for s in sessions:
        key = timezone.localtime(s.starts_at).date() if s.starts_at else None
        by_day.setdefault(key, []).append(s)
    dated = sorted(k for k in by_day if k is not None)
    return [Day(d, by_day[d]) for d in dated] + ([Day(None, by_day[None])] if None in by_day else [])


@dataclass(frozen=True)
class Member:
    participant: Participant
    name: str
    firm: str
    city: str
    industry: str
    # only when the member agreed to share it with their group
    phone: str
    me: bool


def group_members(group: DiscussionGroup, viewer: Participant | None, names: Any = None) -> list[Member]:
    """The group's joined members, each with only what they share: a member who has not accepted the invitation
    is not shown to the others at all."""
    cities, industries = names or ({}, {})
    members = (
        Participant.objects.joined()
        .filter(group_membership__group=group)
        .select_related("enterprise")
        .defer("enterprise__profile")  # a firm's whole profile (JSON), of which a member shows none
        .order_by("enterprise__name", "pk")
    )
    return [
        Member(
            participant=p,
            name=p.contact_name,
            firm=p.enterprise.name,
            city=cities.get(p.enterprise.city, p.enterprise.city),
            industry=industries.get(p.enterprise.industry[:3], p.enterprise.industry),
            phone=p.phone if p.share_phone else "",
            me=viewer is not None and p.pk == viewer.pk,
        )
        for p in members
    ]


@dataclass(frozen=True)
class PlanStatus:
    """Where the participant's plan stands and the one next thing to do (a translated sentence and a link name)."""

    latest: PlanRecord | None
    final: bool
    next_zh: str
    action: str  # profile | assessment | plan | group | final | done


def plan_status(
    participant: Participant, committed: bool | None = None, plans: list[PlanRecord] | None = None
) -> PlanStatus:
    """``committed``: whether the participant has committed steps, when the caller knows (one query less);
    ``plans``: the enterprise's plans newest first, when the caller has them (one query less)."""
    enterprise = participant.enterprise
    latest = (plans[0] if plans else None) if plans is not None else enterprise.plans.defer("plan").first()
    final = participant.final_at is not None and participant.final_plan_id is not None
    if not (enterprise.profile or {}).get("budget"):
        return PlanStatus(latest, final, _("补全企业档案（预算等），规划才能算准。"), "profile")
    if not enterprise.rounds.filter(current=True, completed_at__isnull=False).exists():
        return PlanStatus(latest, final, _("完成成熟度评估。"), "assessment")
    if latest is None:
        return PlanStatus(latest, final, _("生成您的转型规划。"), "plan")
    if not (participant.commitments.exists() if committed is None else committed):
        return PlanStatus(latest, final, _("在晚间小组讨论里说出首要问题，定下前三步。"), "group")
    if not final:
        return PlanStatus(latest, final, _("最后一天：确认规划定稿。"), "final")
    return PlanStatus(latest, final, _("规划已定稿。回去后按前三步推进。"), "done")


@dataclass(frozen=True)
class Week:
    participant: Participant
    programme: Programme
    days: list[Day]
    today: list[Session]
    next: Session | None
    group: DiscussionGroup | None
    members: list[Member]
    visits: list[VisitAssignment]
    preferences: list[Session]
    status: PlanStatus
    commitments: list[str] = field(default_factory=list)
    site_visits: list[Session] = field(default_factory=list)  # every site visit of the programme (the form's)
    ranked: dict[int, int] = field(default_factory=dict)  # the participant's visit preferences: rank -> session
    plans: list[PlanRecord] = field(default_factory=list)  # the enterprise's newest plans (without the plan)
    # ``next`` has begun and not ended: at 20:40 a 19:00–21:00 session is badged 正在进行, not 下一项
    under_way: bool = False


def _timed(s: Session) -> tuple[bool, dt.datetime, int]:
    return (s.starts_at is None, s.starts_at or dt.datetime.min.replace(tzinfo=dt.UTC), s.pk)


def _attends(s: Session, group: DiscussionGroup | None, assigned: set[int]) -> bool:
    """``sessions_for``'s rule for one session (its groups prefetched)."""
    if s.kind == Session.Kind.SITE_VISIT:
        return s.pk in assigned
    groups = s.groups.all()
    return not groups or (group is not None and any(g.pk == group.pk for g in groups))


def my_week(participant: Participant, now: dt.datetime | None = None, names: Any = None) -> Week:
    """The participant's week. The programme's sessions come in one query (with their groups) and are sorted
    out here by ``sessions_for``'s rule: a programme has tens of sessions, and that rule as SQL (an OR over two
    joins, DISTINCT) cost more than reading them all."""
    now = now or timezone.now()
    group = participant_group(participant)
    programme_sessions = sorted(
        Session.objects.filter(programme=participant.programme_id).prefetch_related("groups"), key=_timed
    )
    visits = list(
        VisitAssignment.objects.filter(participant=participant)
        .select_related("session")
        .order_by("session__starts_at", "session__pk")
    )
    assigned = {a.session_id for a in visits}
    sessions = [s for s in programme_sessions if _attends(s, group, assigned)]
    today = timezone.localtime(now).date()
    commitments = [c.text for c in participant.commitments.all()]
    by_pk = {s.pk: s for s in programme_sessions}
    ranked = dict(participant.visit_preferences.order_by("rank").values_list("rank", "session_id"))
    plans = list(participant.enterprise.plans.defer("plan")[:5])
    coming = next((s for s in sessions if s.starts_at and (s.ends_at or s.starts_at) >= now), None)
    return Week(
        participant=participant,
        programme=participant.programme,
        days=days(sessions),
        today=[s for s in sessions if s.starts_at and timezone.localtime(s.starts_at).date() == today],
        next=coming,
        group=group,
        members=group_members(group, participant, names) if group else [],
        visits=visits,
        preferences=[by_pk[pk] for pk in ranked.values() if pk in by_pk],
        status=plan_status(participant, committed=bool(commitments), plans=plans),
        commitments=commitments,
        site_visits=[s for s in programme_sessions if s.kind == Session.Kind.SITE_VISIT],
        ranked=ranked,
        plans=plans,
        under_way=coming is not None and coming.starts_at is not None and coming.starts_at <= now,
    )


@transaction.atomic
def set_sharing(
    actor: Any, participant: Participant, share_phone: bool, share_plan: bool, share_projector: bool
) -> None:
    participant.share_phone = share_phone
    participant.share_plan = share_plan
    participant.share_projector = share_projector
    participant.save(update_fields=["share_phone", "share_plan", "share_projector"])
    record(
        actor, "programme.sharing", participant,
        {"phone": share_phone, "plan": share_plan, "projector": share_projector},
    )  # fmt: skip


class FinalError(Exception):
    """The plan cannot be marked final as asked; the message is for the person (translated)."""


@transaction.atomic
def mark_final(actor: Any, participant: Participant, plan: PlanRecord | None) -> Participant:
    """The last day: the participant marks one of their enterprise's plans final (``None``: withdraw it)."""
    if plan is not None and plan.enterprise_id != participant.enterprise_id:
        raise FinalError(_("这份规划不属于您的企业。"))
    participant.final_plan = plan
    participant.final_at = timezone.now() if plan is not None else None
    participant.save(update_fields=["final_plan", "final_at"])
    record(actor, "programme.final_plan", participant, {"plan": plan.pk if plan else None})
    return participant


# --- the last day: one-page summaries and who has a final plan ---------------------------------------------------


@dataclass(frozen=True)
class OnePage:
    """What a participant's one-page summary shows: their firm, the stated problem, the plan's first items and
    money (the final plan, else the latest), and their first three steps."""

    participant: Participant
    problem: str
    summary: Any  # workspace.PlanSummary | None
    steps: list[str]
    final: bool
    city: str
    industry: str


def one_page(participant: Participant, names: Any = None) -> OnePage:
    from wendao.web.programmes.models import StatedProblem
    from wendao.web.programmes.workspace import plan_summaries, prefill_problem

    stated = StatedProblem.objects.filter(participant=participant).values_list("text", flat=True).first()
    summaries = plan_summaries(
        [participant.enterprise_id], [participant.final_plan_id] if participant.final_plan_id else []
    )
    final = summaries["by_id"].get(participant.final_plan_id) if participant.final_plan_id else None
    return OnePage(
        participant=participant,
        problem=stated or prefill_problem(participant),
        summary=final or summaries["latest"].get(participant.enterprise_id),
        steps=[c.text for c in participant.commitments.all()],
        final=participant.final_at is not None,
        city=(names or ({}, {}))[0].get(participant.enterprise.city, participant.enterprise.city),
        industry=(names or ({}, {}))[1].get(participant.enterprise.industry[:3], participant.enterprise.industry),
    )


@dataclass(frozen=True)
class FinalRow:
    label: str
    joined: int
    final: list[Participant]


def finals(programme: Programme, names: Any = None) -> dict[str, list[FinalRow]]:
    """Per group and per city: how many joined participants, and who marked a plan final."""
    cities = (names or ({}, {}))[0]
    joined = list(
        Participant.objects.joined()
        .filter(programme=programme)
        .select_related("enterprise", "group_membership__group")
        .order_by("enterprise__name", "pk")
    )
    by_group: dict[int | None, list[Participant]] = {}
    by_city: dict[str, list[Participant]] = {}
    for p in joined:
        membership = getattr(p, "group_membership", None)
        by_group.setdefault(membership.group.number if membership else None, []).append(p)
        by_city.setdefault(p.enterprise.city, []).append(p)

    def rows(groups: dict[Any, list[Participant]], label: Any) -> list[FinalRow]:
        return [FinalRow(label(k), len(ps), [p for p in ps if p.final_at is not None]) for k, ps in groups.items()]

    ungrouped = by_group.pop(None, [])
    ordered_groups: dict[Any, list[Participant]] = dict(sorted(by_group.items()))
    if ungrouped:
        ordered_groups[None] = ungrouped
    return {
        "groups": rows(ordered_groups, lambda n: _("第 %(n)s 组") % {"n": n} if n is not None else _("未分组")),
        "cities": rows(dict(sorted(by_city.items())), lambda c: cities.get(c, c)),
    }
