"""Small-cell disclosure on the peer comparison (results page, plan page, documents) and a chain leader's demand
cells.

The peer mean is hidden below WENDAO_PEER_MIN_ENTERPRISES firms. A reader knows their own firms' scores, so the
minimum must be made of firms the reader cannot see: otherwise one account with four firms in a cell reads the
fifth firm's exact dimension scores as 5 x mean - (the four it owns).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, example_data, join, make_enterprise, make_user
from wendao.web.enterprises import services
from wendao.web.enterprises.models import Enterprise
from wendao.web.marketplace import joint

pytestmark = pytest.mark.django_db


def _scores(enterprise: Enterprise) -> dict[str, float]:
    own = services.assessment_of(enterprise.rounds.get(current=True))
    assert own is not None
    return {d.id: d.score for d in own.dimensions if d.score is not None}


def _other_answers() -> dict[str, Any]:
    # another firm's answers on the same (Weifang) profile: same industry group and size class, other scores
    return dict(example_data("zibo_chemical")["answers"])


def test_one_account_with_four_firms_in_a_cell_cannot_read_the_fifth_firms_scores() -> None:
    mallory = make_user("mallory")
    victim = make_enterprise(make_user("victor"), answers=_other_answers())
    mine = [make_enterprise(mallory) for _ in range(4)]
    assert _scores(victim) != _scores(mine[0])  # the victim's scores are its own, not the example's

    peers = services.peer_scores(mine[0])

    assert not peers.shown
    assert peers.enterprises == 1  # the victim only: mallory's own firms are not peers to her
    page = client_for(mallory).get(reverse("enterprises:results", kwargs={"pk": mine[0].pk, "number": 0}))
    assert page.context["radar"]["peers"] is None
    assert 'id="peers-hidden"' in page.content.decode()


def test_two_accounts_of_one_firm_do_not_count_each_others_firms_as_peers() -> None:
    alice, carol = make_user("alice"), make_user("carol")
    shared = make_enterprise(alice)
    shared.memberships.create(user=carol)
    carols = [make_enterprise(carol) for _ in range(3)]
    make_enterprise(make_user("victor"), answers=_other_answers())

    # alice is not a member of carol's three firms, but carol reads alice's shared firm's comparison too
    assert services.peer_scores(shared).enterprises == 1
    assert not services.peer_scores(shared).shown
    assert services.peer_scores(carols[0]).enterprises == 1


def test_the_peer_mean_needs_five_other_firms_and_is_the_cells_release() -> None:
    alice = make_user("alice")
    own = make_enterprise(alice)
    others = [make_enterprise(make_user(f"peer{i}"), answers=_other_answers()) for i in range(5)]

    peers = services.peer_scores(own)

    assert peers.shown
    # the release is made over every firm of the cell (alice's own too: every reader sees the same release);
    # the minimum counted five firms alice does not know
    assert peers.enterprises == 6
    theirs, hers = _scores(others[0]), _scores(own)
    for d, mean in peers.averages.items():
        exact = (5 * theirs[d] + hers[d]) / 6
        assert abs(mean - exact) <= 10.0  # the noise: standard deviation 10 / 6 points on the mean


def test_a_chain_leaders_own_firms_do_not_fill_a_demand_cell_of_its_chain(programme: Any, olivia: Any) -> None:
    """The chain leader's demand cells (counts and summed one-off estimates, at least three firms) are made of
    the chain's firms its readers cannot see: with two firms of its own account in the cell, the total would
    give the third firm's estimate."""
    boss = make_user("leader")
    leader = make_enterprise(boss, qualifications=["链主", "专精特新"])
    joint.confirm_chain_leader(olivia, join(programme, leader))
    victim_user = make_user("supplier")
    victim = make_enterprise(victim_user)
    plan = services.create_plan(victim_user, victim, services.plan_options({}))
    scenario = plan.plan["items"][0]["scenario"]
    for _ in range(2):  # two firms of the leader's own account, planned: their estimates are known to it
        own = make_enterprise(boss)
        services.create_plan(boss, own, services.plan_options({}))

    assert scenario not in {c.scenario for c in joint.chain_cells(leader)}
    assert set(joint.chain_firms(leader, scenario, min_firms=1)) == {victim.pk}


def test_a_chain_leader_cannot_open_a_demand_cell_of_fewer_than_three_firms(programme: Any, olivia: Any) -> None:
    """The pooling form of one scenario showed its count and summed estimate for any scenario named in the URL,
    so a cell of one firm gave that firm's one-off estimate."""
    boss = make_user("leader")
    leader = make_enterprise(boss, qualifications=["链主", "专精特新"])
    joint.confirm_chain_leader(olivia, join(programme, leader))
    victim_user = make_user("supplier")
    victim = make_enterprise(victim_user)
    item = services.create_plan(victim_user, victim, services.plan_options({})).plan["items"][0]
    url = reverse("marketplace:chain_new") + f"?enterprise={leader.pk}&scenario={item['scenario']}"

    response = client_for(boss).get(url)

    assert response.status_code == 404
    assert joint.chain_firms(leader, item["scenario"]) == {}
