"""The demo programme's training week: a five-day timetable, a facilitator per group, visits with times and
places, and group 1 in the middle of its evening discussion (round 3: the demo participant's first three steps
committed, one pinned in their plan with their consent), so a newcomer sees the workspace at once.

Everything is made up and says so (虚构): speakers, host firms, facilitators, contacts. The week starts on the
Monday of the week the demo is built (the coming Monday at a weekend), so "today" shows sessions. Idempotent:
a re-run finds what exists and only fills what is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from wendao.web.accounts.models import User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.models import Enterprise, Membership
from wendao.web.programmes.models import (
    DiscussionGroup,
    GroupComment,
    Participant,
    Programme,
    Session,
    StatedProblem,
)
from wendao.web.programmes.services import form_programme_groups
from wendao.web.programmes.workspace import prefill_problem

Kind = Session.Kind

# (day 0..4, start, end, kind, title, place, speaker or host firm); the titles of the four site visits are those
# the demo cohort already creates (DEMO_SESSIONS below), here they get their times and places
# fmt: off
TIMETABLE = (
    (0, "08:30", "09:00", Kind.PLENARY, "开班式", "主会场（虚构）", "主办方领导（虚构）"),
    (0, "09:00", "12:00", Kind.LECTURE, "开班讲座：人工智能赋能制造业", "主会场（虚构）", "某高校教授（虚构）"),
    (0, "14:00", "17:00", Kind.LECTURE, "成熟度评估与转型规划方法", "主会场（虚构）", "问道平台讲师（虚构）"),
    (0, "19:00", "21:00", Kind.DISCUSSION, "分组研讨", "各组研讨室（虚构）", ""),
    (1, "09:00", "12:00", Kind.LECTURE, "工业大模型与智能体如何落地", "主会场（虚构）", "某研究院专家（虚构）"),
    (1, "13:30", "17:30", Kind.SITE_VISIT, "参观点A：济南某智能工厂（虚构）", "济南高新区（虚构）", "某智能工厂（虚构）"),
    (1, "13:30", "17:30", Kind.SITE_VISIT, "参观点B：青岛某家电灯塔工厂（虚构）", "青岛崂山区（虚构）", "某家电企业（虚构）"),
    (1, "19:00", "21:00", Kind.DISCUSSION, "晚间研讨（二）：互相点评与建议", "各组研讨室（虚构）", ""),
    (2, "08:30", "12:00", Kind.SITE_VISIT, "参观点C：潍坊某动力装备数字化车间（虚构）", "潍坊高新区（虚构）", "某动力装备企业（虚构）"),
    (2, "08:30", "12:00", Kind.SITE_VISIT, "参观点D：烟台某化工智能工厂（虚构）", "烟台经开区（虚构）", "某化工企业（虚构）"),
    (2, "14:00", "17:00", Kind.LECTURE, "设备联网与数据治理：第一步做什么", "主会场（虚构）", "某工业互联网平台工程师（虚构）"),
    (2, "19:00", "21:00", Kind.DISCUSSION, "晚间研讨（三）：各自承诺前三步", "各组研讨室（虚构）", ""),
    (3, "09:00", "12:00", Kind.LECTURE, "政策、补贴与融资：怎么申报", "主会场（虚构）", "某政策研究人员（虚构）"),
    (3, "14:00", "17:00", Kind.PLENARY, "同行案例交流", "主会场（虚构）", "三家参训企业代表（虚构）"),
    (3, "19:00", "21:00", Kind.DISCUSSION, "晚间研讨（四）：专家答疑", "各组研讨室（虚构）", "专家组（虚构）"),
    (4, "09:00", "11:30", Kind.PLENARY, "成果展示：每组投屏一页纸规划", "主会场（虚构）", "各组代表"),
    (4, "11:30", "12:00", Kind.PLENARY, "结业式", "主会场（虚构）", "主办方领导（虚构）"),
)
# fmt: on
FACILITATORS = ("王老师", "李老师", "赵老师", "孙老师", "周老师", "吴老师", "郑老师", "冯老师")
DEMO_PARTICIPANT = "demo-participant"


def week_start(today: dt.date) -> dt.date:
    """The Monday of this week; at a weekend, the coming Monday."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=7) if today.weekday() >= 5 else monday


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@transaction.atomic
def create_demo_week(programme: Programme, today: dt.date | None = None) -> None:
    monday = programme.starts_on or week_start(today or timezone.localdate())
    if programme.starts_on is None:
        programme.starts_on, programme.ends_on = monday, monday + dt.timedelta(days=4)
        programme.save(update_fields=["starts_on", "ends_on"])
    for day, start, end, kind, title, place, host in TIMETABLE:
        session, _ = Session.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={"kind": kind, "capacity": 80 if kind == Kind.SITE_VISIT else None},
        )
        if session.starts_at is None:
            date = monday + dt.timedelta(days=day)
            session.starts_at, session.ends_at = _at(date, start), _at(date, end)
            session.location, session.host = place, host
            session.save(update_fields=["starts_at", "ends_at", "location", "host"])
    for group in DiscussionGroup.objects.filter(programme=programme, facilitator_name=""):
        group.facilitator_name = f"助教 {FACILITATORS[(group.number - 1) % len(FACILITATORS)]}（虚构）"
        group.save(update_fields=["facilitator_name"])
    _group_one_mid_discussion(programme)


def _group_one_mid_discussion(programme: Programme) -> None:
    """Group 1 in round 3: every member stated a problem (from their made-up profile), some shared their
    phone, two pieces of advice are on the board, the demo participant (one of its members) committed to
    their first three steps."""
    group = DiscussionGroup.objects.filter(programme=programme, number=1).first()
    if group is None:
        return
    members = list(
        Participant.objects.joined().filter(group_membership__group=group).select_related("enterprise").order_by("pk")
    )
    if not members:
        return
    account = User.objects.filter(username=DEMO_PARTICIPANT).first()
    if account is not None and not Membership.objects.filter(user=account).exists():
        Membership.objects.create(user=account, enterprise=members[0].enterprise)
        members[0].account = account
        # the demo account stands for a contact the organisers' import created: the only kind a sign-in link is
        # made for (programmes/signin.py link_refusal), so the demo's table cards show the QR flow
        members[0].account_created = True
        members[0].save(update_fields=["account", "account_created"])
    if not StatedProblem.objects.filter(participant__in=members).exists():  # not set up yet
        _problems_and_advice(group, members)
    if account is None or not members[0].enterprise.memberships.filter(user=account).exists():
        return  # no one of the enterprise to consent to a pin
    if not members[0].commitments.exists():
        _first_commitment(group, members[0], account)


def _problems_and_advice(group: DiscussionGroup, members: list[Participant]) -> None:
    for i, p in enumerate(members):
        text = prefill_problem(p)
        if text:
            StatedProblem.objects.create(participant=p, text=text)
        if i % 2 == 0:
            p.share_phone = True
            p.save(update_fields=["share_phone"])
    advice = (
        "我们厂去年也是这个问题，先把设备联网、停机原因记下来，三个月后再谈预测（虚构）",
        "建议先找一台最常停的设备做试点，别一上来全厂改（虚构）",
    )
    for text in advice:
        GroupComment.objects.create(group=group, about=members[0], author=None, text=text)
    group.round = DiscussionGroup.Round.ADVICE
    group.save(update_fields=["round"])


def _first_commitment(group: DiscussionGroup, member: Participant, account: User) -> None:
    """Round 3 begun: the demo participant committed to their first three steps, the first naming the top
    scenario of their roadmap with the pin ticked (their consent, as a member of the enterprise), and their plan
    made after it pins that scenario and says it comes from the group discussion. The commitment and the plan
    go through the use cases the web calls (commit_steps, create_plan); without a roadmap item the group stays
    in round 2."""
    from wendao.web.enterprises import services as plans
    from wendao.web.programmes.workspace import commit_steps

    loaded = active_catalog()
    top = _top_scenario(member.enterprise, loaded)
    if top is None:
        return
    scenario, name = top
    steps = [
        f"{name}：先在停机最多的一条产线试点，三个月内上线（虚构）",
        "回厂后一周内把设备停机原因按班次记录下来，作为试点的基线（虚构）",
        "和财务一起核对预算，按规划申报一项补贴（虚构）",
    ]
    commit_steps(account, member, steps, [scenario, "", ""], [True, False, False], loaded)
    plans.create_plan(account, member.enterprise, plans.plan_options({}))
    group.round = DiscussionGroup.Round.STEPS
    group.save(update_fields=["round"])


def _top_scenario(enterprise: Enterprise, loaded: Any) -> tuple[str, str] | None:
    """(id, Chinese name) of the first item of the enterprise's roadmap: its latest plan's, else one built now
    and not stored. A pin the roadmap already holds, so the demo's commitment is never refused."""
    from wendao.engine.plan import PlanError, build_plan
    from wendao.engine.profile import ProfileError
    from wendao.web.catalog.services import scenario_matcher
    from wendao.web.enterprises import services as plans

    rec = enterprise.plans.first()
    if rec is not None:
        items = rec.plan.get("items") or []
        return (items[0]["scenario"], items[0]["name_zh"]) if items else None
    rnd = enterprise.rounds.filter(current=True).first()
    if rnd is None:
        return None
    try:
        profile = plans.profile_of(enterprise, rnd, loaded)
        plan = build_plan(profile, loaded, plans.plan_options({}), scenario_matcher(loaded))
    except (PlanError, ProfileError):
        return None
    return (plan.items[0].scenario, plan.items[0].name_zh) if plan.items else None


# --- the demo cohort: every synthetic enterprise a participant, its sessions and groups -----------------------

DEMO_PROGRAMME = "山东省制造业企业人工智能转型培训班（演示）"
DEMO_SESSIONS = (
    (Session.Kind.LECTURE, "开班讲座：人工智能赋能制造业", None),
    (Session.Kind.DISCUSSION, "分组研讨", None),
    (Session.Kind.SITE_VISIT, "参观点A：济南某智能工厂（虚构）", 80),
    (Session.Kind.SITE_VISIT, "参观点B：青岛某家电灯塔工厂（虚构）", 80),
    (Session.Kind.SITE_VISIT, "参观点C：潍坊某动力装备数字化车间（虚构）", 80),
    (Session.Kind.SITE_VISIT, "参观点D：烟台某化工智能工厂（虚构）", 80),
)


@transaction.atomic
def create_demo_cohort(group_size: int = 8) -> Programme | None:
    """The demo programme owned by demo-organiser: every synthetic enterprise a participant (contacts are
    made up, no accounts), its sessions, and discussion groups of ``group_size`` formed once."""
    organiser = User.objects.filter(username="demo-organiser").first()
    firms = list(Enterprise.objects.filter(synthetic=True).order_by("pk"))
    if organiser is None or not firms:
        return None
    programme, _ = Programme.objects.get_or_create(
        name=DEMO_PROGRAMME, defaults={"description": "演示数据：企业与联系人均为虚构。"}
    )
    programme.organisers.add(organiser)
    for kind, title, capacity in DEMO_SESSIONS:
        Session.objects.get_or_create(programme=programme, title=title, defaults={"kind": kind, "capacity": capacity})
    joined = set(Participant.objects.filter(programme=programme).values_list("enterprise_id", flat=True))
    now = timezone.now()
    Participant.objects.bulk_create(
        [
            # synthetic firms: their acceptance of the invitation is part of the made-up demo
            Participant(
                programme=programme,
                enterprise=e,
                contact_name=f"联系人{i:03d}（虚构）",
                phone=f"1990000{i:04d}",
                joined_at=now,
            )
            for i, e in enumerate(firms, 1)
            if e.pk not in joined
        ]
    )
    if not programme.groups.exists():
        form_programme_groups(None, programme, group_size, active_catalog())
    create_demo_week(programme)
    return programme
