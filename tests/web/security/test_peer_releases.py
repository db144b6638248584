"""Peer means cannot be differenced over time (docs/security.md, "Peer figures over time").

Before: the peer mean was recomputed on every read, so a reader who read it with k firms in the cell and again
with k + 1 got the newcomer's scores as (k + 1) x new mean - k x old mean, to within 0.55 points at k = 5 (the
rounding to one decimal), on every dimension. Now the mean comes from a stored release that one newcomer does not
replace, and a replacement carries noise of standard deviation 10 points on each dimension's sum.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from tests.web.conftest import example_data, make_enterprise, make_user
from wendao.engine import disclosure
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise
from wendao.web.insights.models import CellRelease
from wendao.web.insights.releases import peer_cell_name

pytestmark = pytest.mark.django_db


def _scores(enterprise: Enterprise) -> dict[str, float]:
    own = services.assessment_of(enterprise.rounds.get(current=True))
    assert own is not None
    return {d.id: d.score for d in own.dimensions if d.score is not None}


def _victims_answers() -> dict[str, Any]:
    return dict(example_data("zibo_chemical")["answers"])  # other scores than the example firms'


def _totals(peers: services.PeerCell) -> dict[str, float]:
    return {d: m * peers.enterprises for d, m in peers.averages.items()}


def _age_the_release(enterprise: Enterprise, days: int) -> None:
    cell = peer_cell_name(enterprise.industry_group, enterprise.size_class)
    release = CellRelease.objects.get(cell=cell)
    CellRelease.objects.filter(pk=release.pk).update(created_at=release.created_at - dt.timedelta(days=days))


def test_a_newcomer_to_a_peer_cell_cannot_be_read_as_the_difference_of_two_means() -> None:
    mallory = make_user("mallory")
    reader = make_enterprise(mallory)
    for i in range(5):
        make_enterprise(make_user(f"peer{i}"))
    before = services.peer_scores(reader)
    assert before.shown

    victim = make_enterprise(make_user("victor"), answers=_victims_answers())
    after = services.peer_scores(reader)

    truth = _scores(victim)
    guess = {d: _totals(after)[d] - _totals(before)[d] for d in truth}
    # before the fix every dimension came out within 0.55 of the victim's score; now the release is unchanged
    assert after.averages == before.averages
    assert all(abs(guess[d] - truth[d]) > 0.55 for d in truth if truth[d] > 0.55)


def test_an_attacker_who_supplies_the_other_newcomer_learns_the_victim_only_to_the_stated_bound() -> None:
    """The release is replaced once two firms changed and a month passed: the attacker adds a firm of its own
    (another account: no rule about who joined can tell) next to the victim, waits, and subtracts. What is left
    is the victim's score plus the difference of two noise draws, standard deviation 14.1 points."""
    mallory, sybil = make_user("mallory"), make_user("sybil")
    reader = make_enterprise(mallory)
    for i in range(5):
        make_enterprise(make_user(f"peer{i}"))
    before = services.peer_scores(reader)

    victim = make_enterprise(make_user("victor"), answers=_victims_answers())
    own_newcomer = make_enterprise(sybil)
    assert services.peer_scores(reader).averages == before.averages  # not yet a month old
    _age_the_release(reader, disclosure.RELEASE_MIN_DAYS)
    after = services.peer_scores(reader)

    assert after.enterprises == before.enterprises + 2
    known = _scores(own_newcomer)
    truth = _scores(victim)
    errors = [_totals(after)[d] - _totals(before)[d] - known[d] - truth[d] for d in truth]
    rms = math.sqrt(sum(e * e for e in errors) / len(errors))
    # ten dimensions, each error ~ N(0, 14.1) (rounding aside): an RMS under 3 has odds below one in a million
    assert disclosure.recovery_error_sd() == pytest.approx(14.14, abs=0.01)
    assert rms > 3.0


def test_every_reader_of_a_cell_reads_the_same_release_so_more_accounts_give_no_more_samples() -> None:
    readers = [make_enterprise(make_user(f"reader{i}")) for i in range(3)]
    for i in range(5):
        make_enterprise(make_user(f"peer{i}"))

    views = [services.peer_scores(r).averages for r in readers]

    assert views[0]
    assert views[0] == views[1] == views[2]
    assert CellRelease.objects.count() == 1


def test_a_release_is_shown_only_to_readers_who_do_not_know_the_minimum_of_its_firms() -> None:
    """The release is made over every firm of the cell, the reader's own too; an account with four firms of a
    cell sees it only once five firms of the release are not its own."""
    mallory = make_user("mallory")
    mine = [make_enterprise(mallory) for _ in range(4)]
    for i in range(4):
        make_enterprise(make_user(f"peer{i}"), answers=_victims_answers())
    assert not services.peer_scores(mine[0]).shown
    assert services.peer_scores(mine[0]).enterprises == 4

    # the fifth other firm is in the next release: two changes and a month later
    make_enterprise(make_user("peer4"), answers=_victims_answers())
    make_enterprise(make_user("peer5"), answers=_victims_answers())
    assert not services.peer_scores(mine[0]).shown
    _age_the_release(mine[0], disclosure.RELEASE_MIN_DAYS)
    assert services.peer_scores(mine[0]).shown
    assert services.peer_scores(mine[0]).enterprises == 10


def test_a_chain_leader_cannot_read_a_newcomers_estimate_as_the_difference_of_two_demand_cells(
    programme: Any, olivia: Any
) -> None:
    """The leader's demand cell (firms, summed one-off estimates) was summed on every read: a fourth planned firm
    of the chain moved it by exactly that firm's estimate. Now it is the chain's release, which one newcomer does
    not replace."""
    from tests.web.conftest import join
    from wendao.web.marketplace import joint

    boss = make_user("leader")
    leader = make_enterprise(boss, qualifications=["链主", "专精特新"])
    joint.confirm_chain_leader(olivia, join(programme, leader))
    for i in range(3):
        user = make_user(f"supplier{i}")
        services.create_plan(user, make_enterprise(user), services.plan_options({}))
    before = {c.scenario: c for c in joint.chain_cells(leader)}
    assert before

    victim_user = make_user("victor")
    victim = make_enterprise(victim_user)
    services.create_plan(victim_user, victim, services.plan_options({}))
    after = {c.scenario: c for c in joint.chain_cells(leader)}

    assert after == before
    assert set(joint.chain_firms(leader, next(iter(before)))) >= {victim.pk}  # the invitation still reaches it
