"""Organisers propose knowledge-base changes; a catalog editor reviews, previews and accepts or declines them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.catalog.test_editor import RD, _policy_form
from tests.web.conftest import client_for, make_user
from wendao.web.accounts.models import AuditEvent, Role
from wendao.web.catalog.models import ChangeProposal, EntryVersion, PolicyEntry
from wendao.web.catalog.services import active_catalog, seed_catalog

pytestmark = pytest.mark.django_db

SOURCE = "财政部 税务总局公告2023年第7号（测试建议）"


@pytest.fixture
def seeded() -> None:
    seed_catalog()


@pytest.fixture
def organiser(seeded: None) -> Any:
    return make_user("olga", Role.ORGANISER)


@pytest.fixture
def editor_user(seeded: None) -> Any:
    return make_user("erin", Role.CATALOG_EDITOR)


def _propose(user: Any, entry: PolicyEntry, action: str = "propose", **changes: str) -> Any:
    data = _policy_form(entry, **changes) | {
        "action": action,
        "change_source": SOURCE,
        "change_as_of": "2026-12-01",
        "note": "济南新政策",
    }
    return client_for(user).post(reverse("catalog:entry", args=["policies", entry.pk]), data)


def _review(user: Any, proposal: ChangeProposal, action: str, note: str = "") -> Any:
    url = reverse("catalog:proposal", args=[proposal.pk])
    return client_for(user).post(url, {"action": action, "review_note": note})


def _rate() -> float:
    return next(p for p in active_catalog().policies if p.id == RD).award.rate  # type: ignore[return-value]


def test_an_organisers_change_is_a_pending_proposal_and_no_plan_sees_it(organiser: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    before = _rate()
    response = _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:proposal", args=[proposal.pk])
    entry.refresh_from_db()
    assert entry.revision == 1
    assert _rate() == before
    assert proposal.status == ChangeProposal.Status.PENDING
    assert proposal.base_revision == 1
    assert proposal.changed == ["award.rate"]
    assert proposal.data["award"]["rate"] == 0.5
    assert AuditEvent.objects.filter(actor=organiser, action="catalog.propose").exists()
    page = client_for(organiser).get(response["Location"]).content.decode()
    assert "待审核" in page
    assert "0.5" in page  # the proposed figure beside the one it replaces
    assert "software" not in page  # choices by their names, and a mere reordering is no change


def test_the_editor_accepts_and_it_becomes_a_version_naming_the_proposer(organiser: Any, editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    listing = client_for(editor_user).get(reverse("catalog:proposals")).content.decode()
    assert "1 条待审核" in listing
    assert "olga" in listing
    response = _review(editor_user, proposal, "accept", "已核对原文")
    assert response.status_code == 302
    proposal.refresh_from_db()
    entry.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.ACCEPTED
    assert proposal.reviewed_by == editor_user
    assert entry.revision == 2
    assert entry.source == SOURCE
    assert _rate() == 0.5
    version = EntryVersion.objects.get(key=RD, revision=2)
    assert version.via == EntryVersion.Via.PROPOSAL
    assert version.actor == editor_user
    assert "olga" in version.note
    assert "已核对原文" in version.note
    assert proposal.version == version
    assert AuditEvent.objects.filter(actor=editor_user, action="catalog.accept").exists()
    mine = client_for(organiser).get(reverse("catalog:proposal", args=[proposal.pk])).content.decode()
    assert "已采纳" in mine
    assert "成为第 2 版" in mine
    assert "0.5" in mine  # the change stays readable after it is applied


def test_the_preview_shows_what_the_proposal_changes_in_plans_without_applying_it(
    organiser: Any, editor_user: Any
) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    page = _review(editor_user, proposal, "preview").content.decode()
    assert 'id="plan-preview"' in page
    assert "份方案会改变" in page
    entry.refresh_from_db()
    assert entry.revision == 1
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.PENDING


def test_declining_needs_a_reason_that_the_proposer_reads(organiser: Any, editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    empty = _review(editor_user, proposal, "decline", "  ")
    assert empty.status_code == 422
    assert "请写明不采纳的原因" in empty.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.PENDING
    _review(editor_user, proposal, "decline", "原文写的是 100%，不是 50%")
    proposal.refresh_from_db()
    entry.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.REJECTED
    assert entry.revision == 1
    mine = client_for(organiser).get(reverse("catalog:proposal", args=[proposal.pk])).content.decode()
    assert "原文写的是 100%，不是 50%" in mine
    assert "未采纳" in mine


def test_a_proposal_on_an_entry_changed_since_is_not_applied_over_that_change(organiser: Any, editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    entry.refresh_from_db()
    data = _policy_form(entry, **{"award.rate": "0.75"}) | {
        "action": "save",
        "change_source": SOURCE,
        "change_as_of": "2026-12-02",
    }
    assert client_for(editor_user).post(reverse("catalog:entry", args=["policies", entry.pk]), data).status_code == 302
    response = _review(editor_user, proposal, "accept")
    assert response.status_code == 422
    assert "已经改到第 2 版" in response.content.decode()
    proposal.refresh_from_db()
    entry.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.PENDING
    assert entry.revision == 2
    assert _rate() == 0.75


def test_an_organiser_cannot_save_accept_or_see_anothers_proposal(organiser: Any, editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    assert _propose(organiser, entry, action="save", **{"award.rate": "0.5"}).status_code == 404
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    assert _review(organiser, proposal, "accept").status_code == 404
    other = make_user("oscar", Role.ORGANISER)
    assert client_for(other).get(reverse("catalog:proposal", args=[proposal.pk])).status_code == 404
    assert "olga" not in client_for(other).get(reverse("catalog:proposals")).content.decode()
    entry.refresh_from_db()
    assert entry.revision == 1


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.PROVIDER, Role.CITY_OFFICIAL])
def test_other_roles_neither_propose_nor_see_proposals(organiser: Any, role: str) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    user = make_user(f"u-{role}", role)
    assert _propose(user, entry, **{"award.rate": "0.6"}).status_code == 404
    assert client_for(user).get(reverse("catalog:proposals")).status_code == 404
    assert client_for(user).get(reverse("catalog:proposal", args=[proposal.pk])).status_code == 404
    assert ChangeProposal.objects.count() == 1


def test_a_wrong_figure_in_a_proposal_is_named_beside_its_field_and_nothing_is_stored(organiser: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    response = _propose(organiser, entry, **{"award.rate": "很多"})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="entry-errors"' in page
    assert "很多" in page  # what was typed stays in the form
    assert not ChangeProposal.objects.exists()


def test_a_proposal_that_changes_nothing_is_refused(organiser: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    response = _propose(organiser, entry)
    assert response.status_code == 422
    assert "没有可以提交的修改" in response.content.decode()
    assert not ChangeProposal.objects.exists()


def test_the_proposer_withdraws_a_pending_proposal(organiser: Any, editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    assert _review(organiser, proposal, "withdraw").status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposal.Status.WITHDRAWN
    again = _review(editor_user, proposal, "accept")
    assert again.status_code == 422
    assert "这条建议已经处理过了（已撤回）" in again.content.decode()
    entry.refresh_from_db()
    assert entry.revision == 1


def test_an_organiser_proposes_a_new_local_policy_and_the_editor_adds_it(organiser: Any, editor_user: Any) -> None:
    copy_of = PolicyEntry.objects.get(key=RD)
    form = _policy_form(copy_of, id="jinan_test_policy", name_zh="济南市测试政策")
    data = form | {"action": "propose", "change_source": SOURCE, "change_as_of": "2026-12-01"}
    response = client_for(organiser).post(reverse("catalog:policy_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal = ChangeProposal.objects.get()
    assert proposal.entry_id is None
    assert not PolicyEntry.objects.filter(key="jinan_test_policy").exists()
    _review(editor_user, proposal, "accept")
    added = PolicyEntry.objects.get(key="jinan_test_policy")
    assert added.name_zh == "济南市测试政策"
    proposal.refresh_from_db()
    assert proposal.entry_id == added.pk


def test_the_proposal_pages_read_in_english(organiser: Any, editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _propose(organiser, entry, **{"award.rate": "0.5"})
    proposal = ChangeProposal.objects.get()
    client = client_for(editor_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("catalog:proposal", args=[proposal.pk])).content.decode()
    assert "Pending review" in page
    assert "待审核" not in page
