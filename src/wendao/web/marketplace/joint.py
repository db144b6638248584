"""Joint challenges (联合揭榜挂帅): one scenario's demand of many small firms of a programme, in one city, pooled
into one challenge so that providers answer for all of them — a provider and a price a firm of ten people would
not get alone.

1. ``demand_cells``: the organiser sees, over the firms that joined their programmes, how many have a scenario
   in their current plan's roadmap, per city, with the plans' one-off estimates added up (counts only);
2. ``draft_joint_challenge``: a draft programme challenge for one cell; every firm of the cell is invited;
3. ``decide``: a member of each firm opts in or declines; only firms that opted in are counted, and a provider
   sees their number by industry, never a name;
4. publishing needs at least ``services.JOINT_MIN_JOINED`` firms that opted in (checked in ``services``).

A chain leader (链主企业: an enterprise whose profile states the chain_leader qualification and its chain, confirmed
by an organiser of a programme it joined: ``confirm_chain_leader``) does the
same for its industrial chain: ``chain_cells`` counts, over the platform's firms of that chain, how many have a
scenario in their current roadmap (counts and summed estimates only, never a name, cells of at least
``JOINT_MIN_FIRMS``), and ``draft_chain_challenge`` drafts the challenge in the leader's name, inviting those
firms. The leader learns a firm's name only once the firm opts in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wendao.engine.matching import division
from wendao.web.accounts.audit import record
from wendao.web.accounts.types import Actor
from wendao.web.enterprises.access import known_to_its_readers
from wendao.web.enterprises.models import Enterprise, PlanRecord
from wendao.web.marketplace.models import ChainLeaderConfirmation, Challenge, JointMember
from wendao.web.marketplace.services import FINAL_STATES, MarketplaceError, create_challenge
from wendao.web.programmes.models import Participant, Programme

# a cell is offered for pooling from three firms: two firms can simply talk to each other, and at three a provider
# quotes for a small series rather than a one-off (a wendao design choice, not a statistic)
JOINT_MIN_FIRMS = 3


@dataclass(frozen=True)
class DemandCell:
    scenario: str
    city: str
    firms: int
    one_off: float  # the firms' plan estimates added up, 万元


def _latest_plan_items(enterprises: QuerySet[Enterprise]) -> dict[int, tuple[int, list[dict[str, Any]]]]:
    """Enterprise id -> (its newest plan's id, that plan's items). The newest plan of each firm is found without
    reading any plan, and of those only ``items`` is read, in the database: a demo plan's JSON is about 700 KB, and
    decoding all 324 whole plans in Python made the organiser's joint demand page take 15 s (6.4 s CPU) on the demo."""
    newest: dict[int, int] = {}
    for pk, enterprise_id in (
        PlanRecord.objects.filter(enterprise__in=enterprises)
        .order_by("-created_at", "-id")
        .values_list("pk", "enterprise_id")
    ):
        newest.setdefault(enterprise_id, pk)
    return {
        enterprise_id: (pk, items or [])
        for pk, enterprise_id, items in PlanRecord.objects.filter(pk__in=newest.values()).values_list(
            "pk", "enterprise_id", "plan__items"
        )
    }


def _latest_items(enterprises: QuerySet[Enterprise]) -> dict[int, list[dict[str, Any]]]:
    """Enterprise id -> the items of its newest plan (``_latest_plan_items``)."""
    return {enterprise_id: items for enterprise_id, (_pk, items) in _latest_plan_items(enterprises).items()}


def joined_firms(programme: Programme) -> QuerySet[Enterprise]:
    """Firms that accepted the programme's invitation: the only ones whose plans the organiser may read."""
    return Enterprise.objects.filter(
        pk__in=Participant.objects.joined().filter(programme=programme).values("enterprise")
    )


def cell_firms(programme: Programme, scenario: str, city: str) -> dict[int, float]:
    """Enterprise id -> its current plan's one-off estimate for the scenario, for the firms of one cell."""
    firms = joined_firms(programme).filter(city=city)
    found: dict[int, float] = {}
    for enterprise_id, items in _latest_items(firms).items():
        for item in items:
            if item.get("scenario") == scenario:
                found[enterprise_id] = float(item.get("one_off") or 0.0)
                break
    return found


def demand_cells(programme: Programme, min_firms: int = JOINT_MIN_FIRMS) -> list[DemandCell]:
    """City × scenario cells of the programme's joined firms' current roadmaps, largest first."""
    firms = joined_firms(programme)
    city_of = dict(firms.values_list("pk", "city"))
    count: dict[tuple[str, str], int] = defaultdict(int)
    money: dict[tuple[str, str], float] = defaultdict(float)
    for enterprise_id, items in _latest_items(firms).items():
        costs: dict[str, float] = {}  # a scenario counts once per firm
        for item in items:
            if item.get("scenario"):
                costs.setdefault(item["scenario"], float(item.get("one_off") or 0.0))
        for scenario, cost in costs.items():
            key = (scenario, city_of[enterprise_id])
            count[key] += 1
            money[key] += cost
    cells = [DemandCell(s, c, n, round(money[(s, c)], 1)) for (s, c), n in count.items() if n >= min_firms]
    return sorted(cells, key=lambda c: (-c.firms, -c.one_off, c.scenario, c.city))


@transaction.atomic
def draft_joint_challenge(
    user: Actor,
    programme: Programme,
    scenario: str,
    city: str,
    data: dict[str, Any],
    *,
    min_firms: int = JOINT_MIN_FIRMS,
) -> Challenge:
    """A draft programme challenge for one cell, every firm of the cell invited. ``programme`` must be one the
    user organises (see access). ``min_firms``: the pages use the default; small test worlds pass fewer."""
    firms = cell_firms(programme, scenario, city)
    if len(firms) < min_firms:
        raise MarketplaceError(
            _("该城市有这一场景需求的参训企业不足 %(n)s 家，不能发起联合榜单。") % {"n": min_firms}, "scenario"
        )
    challenge = create_challenge(user, programme, data | {"scenario": scenario})
    Challenge.objects.filter(pk=challenge.pk).update(joint=True, city=city)
    challenge.joint, challenge.city = True, city
    JointMember.objects.bulk_create(
        [JointMember(challenge=challenge, enterprise_id=pk, one_off=cost) for pk, cost in sorted(firms.items())]
    )
    record(user, "challenge.joint", challenge, {"city": city, "scenario": scenario, "invited": len(firms)})
    return challenge


@transaction.atomic
def decide(user: Actor, member: JointMember, join: bool) -> JointMember:
    """A member of the invited firm opts in or out, until the challenge is decided (awarded, closed, cancelled)."""
    member = JointMember.objects.select_for_update().select_related("challenge").get(pk=member.pk)
    if member.challenge.state in FINAL_STATES:
        raise MarketplaceError(_("该联合榜单已结束，不能再更改参与状态。"), "state")
    before = member.state
    member.state = JointMember.State.JOINED if join else JointMember.State.DECLINED
    member.decided_by = user
    member.decided_at = timezone.now()
    member.save(update_fields=["state", "decided_by", "decided_at"])
    record(user, "joint.join" if join else "joint.decline", member, {"from": before, "to": member.state})
    return member


@dataclass(frozen=True)
class JointSummary:
    """What a provider may know of a joint challenge: how many firms joined, by industry division."""

    joined: int
    invited: int
    by_industry: list[tuple[str, int]]
    one_off: float  # the joined firms' plan estimates added up, 万元


def summary(challenge: Challenge) -> JointSummary:
    members = challenge.joint_members.select_related("enterprise")
    joined = [m for m in members if m.state == JointMember.State.JOINED]
    by_industry: dict[str, int] = defaultdict(int)
    for m in joined:
        by_industry[division(m.enterprise.industry) or ""] += 1
    return JointSummary(
        joined=len(joined),
        invited=len(members),
        by_industry=sorted(by_industry.items(), key=lambda kv: (-kv[1], kv[0])),
        one_off=round(sum(m.one_off for m in joined), 1),
    )


# --- chain leaders (链主) ---------------------------------------------------------------------------------------

CHAIN_LEADER = "chain_leader"  # the profile qualification (engine/profile.py)


def declares_chain_leader(enterprise: Enterprise) -> bool:
    """The firm's own statement: the chain_leader qualification and a chain in its profile."""
    quals = (enterprise.profile or {}).get("qualifications") or []
    return bool(enterprise.chain) and CHAIN_LEADER in quals


def is_chain_leader(enterprise: Enterprise) -> bool:
    """Stated by the firm and confirmed by an organiser for the chain its profile names now."""
    if not declares_chain_leader(enterprise):
        return False
    confirmation = ChainLeaderConfirmation.objects.filter(enterprise=enterprise).first()
    return confirmation is not None and confirmation.chain == enterprise.chain


def _confirmable(participant: Participant) -> Enterprise:
    enterprise = participant.enterprise
    if participant.joined_at is None:
        raise MarketplaceError(_("该企业尚未接受项目邀请，不能确认它的链主身份。"), "enterprise")
    if not declares_chain_leader(enterprise):
        raise MarketplaceError(_("该企业的档案没有写明链主身份和所属产业链。"), "enterprise")
    return enterprise


@transaction.atomic
def confirm_chain_leader(user: Actor, participant: Participant) -> ChainLeaderConfirmation:
    """An organiser of the participant's programme confirms its stated chain leadership (access: the caller)."""
    enterprise = _confirmable(participant)
    confirmation, _created = ChainLeaderConfirmation.objects.update_or_create(
        enterprise=enterprise,
        defaults={"chain": enterprise.chain, "programme": participant.programme, "confirmed_by": user},
    )
    record(user, "chain_leader.confirm", enterprise, {"chain": enterprise.chain, "programme": participant.programme_id})
    return confirmation


@transaction.atomic
def revoke_chain_leader(user: Actor, participant: Participant) -> None:
    deleted, _rows = ChainLeaderConfirmation.objects.filter(enterprise=participant.enterprise).delete()
    if deleted:
        record(user, "chain_leader.revoke", participant.enterprise, {"programme": participant.programme_id})


def _chain_items(leader: Enterprise) -> dict[int, list[dict[str, Any]]]:
    # the chain's other firms, without the leader's readers' own firms (they would fill the minimum of a cell)
    return _latest_items(Enterprise.objects.filter(chain=leader.chain).exclude(pk__in=known_to_its_readers(leader)))


def _scenario_costs(items: list[dict[str, Any]]) -> dict[str, float]:
    costs: dict[str, float] = {}  # a scenario counts once per firm
    for item in items:
        if item.get("scenario"):
            costs.setdefault(item["scenario"], float(item.get("one_off") or 0.0))
    return costs


def chain_firms(leader: Enterprise, scenario: str, min_firms: int = JOINT_MIN_FIRMS) -> dict[int, float]:
    """Enterprise id -> its current plan's one-off estimate for the scenario, over the other firms of the chain
    now: whom a drafted challenge invites (never shown to the leader as figures: ``chain_cells`` is what it
    reads); empty when fewer than ``min_firms`` have it."""
    found: dict[int, float] = {}
    for enterprise_id, items in _chain_items(leader).items():
        for item in items:
            if item.get("scenario") == scenario:
                found[enterprise_id] = float(item.get("one_off") or 0.0)
                break
    return found if len(found) >= min_firms else {}


def chain_cells(leader: Enterprise, min_firms: int = JOINT_MIN_FIRMS) -> list[DemandCell]:
    """Scenario cells of the chain's firms' current roadmaps (the city left empty: chain-wide), largest first,
    from the chain's stored release (``insights.releases.chain_release``: a sum of estimates recomputed on every
    read would give a newcomer's estimate as the difference of two reads). The leader's readers' own firms are
    taken out of the release's count and sum (they know them), and a cell is shown only with ``min_firms``
    other firms in it."""
    from wendao.web.insights import releases

    plans = _latest_plan_items(Enterprise.objects.filter(chain=leader.chain))
    release = releases.chain_release(
        leader.chain, {pk: _scenario_costs(items) for pk, items in plans.values()}, min_firms
    )
    if release is None:
        return []
    own_count: dict[str, int] = defaultdict(int)
    own_money: dict[str, float] = defaultdict(float)
    known = known_to_its_readers(leader)
    own_items = PlanRecord.objects.filter(pk__in=release.members, enterprise__in=known).values_list(
        "plan__items", flat=True
    )
    for items in own_items:
        for scenario, cost in _scenario_costs(items or []).items():
            own_count[scenario] += 1
            own_money[scenario] += cost
    cells = [
        DemandCell(s, "", n - own_count[s], round(max(0.0, total - own_money[s]), 1))
        for s, (total, n) in release.figures.items()
        if n - own_count[s] >= min_firms
    ]
    return sorted(cells, key=lambda c: (-c.firms, -c.one_off, c.scenario))


def chain_cell(leader: Enterprise, scenario: str, min_firms: int = JOINT_MIN_FIRMS) -> DemandCell | None:
    """One scenario's cell of ``chain_cells``; None when the leader may not see it."""
    return next((c for c in chain_cells(leader, min_firms) if c.scenario == scenario), None)


@transaction.atomic
def draft_chain_challenge(
    user: Actor, leader: Enterprise, scenario: str, data: dict[str, Any], *, min_firms: int = JOINT_MIN_FIRMS
) -> Challenge:
    """A draft challenge in the chain leader's name for one scenario, every other firm of the chain with it in its
    roadmap invited. ``leader`` must be one of the user's enterprises and a chain leader (see access)."""
    if not is_chain_leader(leader):
        raise MarketplaceError(
            _("只有经项目组织方确认、填写了所属产业链的链主企业才能发起产业链联合榜单。"), "scenario"
        )
    firms = chain_firms(leader, scenario, min_firms)
    if not firms:
        raise MarketplaceError(
            _("产业链上有这一场景需求的企业不足 %(n)s 家，不能发起联合榜单。") % {"n": min_firms}, "scenario"
        )
    challenge = create_challenge(user, leader, data | {"scenario": scenario})
    Challenge.objects.filter(pk=challenge.pk).update(joint=True, chain=leader.chain)
    challenge.joint, challenge.chain = True, leader.chain
    JointMember.objects.bulk_create(
        [JointMember(challenge=challenge, enterprise_id=pk, one_off=cost) for pk, cost in sorted(firms.items())]
    )
    record(user, "challenge.joint", challenge, {"chain": leader.chain, "scenario": scenario, "invited": len(firms)})
    return challenge
