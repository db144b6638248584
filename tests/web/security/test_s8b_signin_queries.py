"""The check that a link still holds a link-signed-in session costs one query, with the same refusals.

Before: ``signin_sessions.link_holds`` read the link (one query) and ``signin.link_refusal`` asked two more
(a membership of another firm, another participation): three queries on every request of a link-signed-in
contact (bench web-week-cpu: the board poll 7.3 -> 11.8 ms, session 8 morning, under load).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.web.conftest import join, make_enterprise
from wendao.web.accounts.models import User
from wendao.web.enterprises.models import Enterprise, Membership
from wendao.web.programmes import signin
from wendao.web.programmes.models import Participant, Programme, SignInLink
from wendao.web.programmes.signin_sessions import link_holds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def link(olivia: User, link_contact: Participant) -> SignInLink:
    return signin.issue(olivia, link_contact)


def test_a_link_that_holds_is_checked_in_one_query(
    link: SignInLink, alice: User, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert link_holds(link.pk, alice)


def test_the_link_no_longer_holds_once_the_account_is_a_member_of_another_firm(
    link: SignInLink, alice: User, django_assert_num_queries: Any
) -> None:
    other = make_enterprise(None, "zibo_chemical")
    Membership.objects.create(user=alice, enterprise=other)
    with django_assert_num_queries(1):
        assert not link_holds(link.pk, alice)


def test_the_link_no_longer_holds_once_another_programme_invites_the_account(
    link: SignInLink, alice: User, olivia: User
) -> None:
    other = Programme.objects.create(name="第11期 专题班")
    other.organisers.add(olivia)
    firm: Enterprise = make_enterprise(None, "zibo_chemical")
    join(other, firm, account=alice)
    assert not link_holds(link.pk, alice)


def test_a_membership_of_the_links_own_firm_is_no_refusal(link: SignInLink, alice: User) -> None:
    Membership.objects.get_or_create(user=alice, enterprise=link.participant.enterprise)
    assert link_holds(link.pk, alice)
