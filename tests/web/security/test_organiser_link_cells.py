"""An organiser acts as every contact account its import created until the contact sets a password (it holds
their sign-in and invitation links), so those firms count as known to each other's readers: five of them cannot
make up the minimum of a peer cell around a sixth firm (``access.known_to_its_readers``).

Before: with five imported firms in a cell, one imported firm's results page showed the mean over the four
others and a victim; the organiser, knowing the four, read the victim's scores as 5 x mean less the four."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.web.conftest import example_data, make_enterprise, make_user
from wendao.web.accounts.models import User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services as enterprise_services
from wendao.web.enterprises.access import known_to_its_readers
from wendao.web.enterprises.models import Enterprise
from wendao.web.programmes import services
from wendao.web.programmes.importing import ImportRow
from wendao.web.programmes.models import Participant, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def weifang(oscar: User) -> Programme:
    p = Programme.objects.create(name="2026 潍坊班", ends_on=timezone.localdate() + dt.timedelta(days=3))
    p.organisers.add(oscar)
    return p


def _imported_and_assessed(oscar: User, programme: Programme, n: int) -> list[Participant]:
    """``n`` firms the organiser imports (new contact accounts), each accepted and assessed through its contact's
    account: what the organiser can do itself with the links it holds."""
    rows = [
        ImportRow(
            i + 2, f"潍坊某某机械{i}有限公司", "", "weifang", "C3441", 260, 18000.0, f"联系人{i}", f"1370000{i:04d}", ""
        )
        for i in range(n)
    ]
    participants = services.import_participants(oscar, programme, rows).invited
    loaded = active_catalog()
    for p in participants:
        assert p.account is not None
        services.accept_invitation(p.account, p, None)
        rnd = enterprise_services.open_round(p.enterprise, loaded)
        rnd.answers = example_data()["answers"]
        rnd.save()
        enterprise_services.complete_round(p.account, rnd, loaded)
    return participants


def _victim() -> Enterprise:
    return make_enterprise(make_user("victor"), answers=dict(example_data("zibo_chemical")["answers"]))


def test_five_firms_reached_by_one_organisers_links_do_not_make_a_peer_cell_around_a_sixth(
    oscar: User, weifang: Programme
) -> None:
    imported = _imported_and_assessed(oscar, weifang, 5)
    _victim()
    reader = imported[0].enterprise
    assert reader.industry_group == _victim_group()  # the same cell as the victim

    peers = enterprise_services.peer_scores(reader)

    assert not peers.shown
    assert peers.enterprises == 1  # the victim: the organiser's other four firms are known to it
    assert set(known_to_its_readers(reader)) >= {p.enterprise for p in imported}


def test_a_contact_who_set_their_own_password_is_no_longer_the_organisers_to_count(
    oscar: User, weifang: Programme
) -> None:
    imported = _imported_and_assessed(oscar, weifang, 2)
    first, second = imported
    assert second.enterprise in known_to_its_readers(first.enterprise)

    assert second.account is not None
    second.account.set_password("a-password-of-their-own-2026")
    second.account.save()

    assert second.enterprise not in known_to_its_readers(first.enterprise)
    assert first.enterprise not in known_to_its_readers(second.enterprise)


def test_an_ordinary_firms_readers_do_not_inherit_an_organisers_imports(oscar: User, weifang: Programme) -> None:
    imported = _imported_and_assessed(oscar, weifang, 2)
    victim = _victim()
    assert set(known_to_its_readers(victim)) == {victim}
    assert victim not in known_to_its_readers(imported[0].enterprise)


def _victim_group() -> str:
    return Enterprise.objects.get(memberships__user__username="victor").industry_group
