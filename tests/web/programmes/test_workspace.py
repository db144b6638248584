"""The evening group workspace: three rounds, each member's own share, the facilitator's controls, the organiser's
evening view and the Word summary; and who may reach what."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, join, make_enterprise, make_user
from wendao.web.accounts.models import Role, User
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import prepared
from wendao.web.enterprises import services as enterprise_services
from wendao.web.programmes import workspace
from wendao.web.programmes.models import (
    Commitment,
    DiscussionGroup,
    GroupComment,
    GroupMembership,
    Participant,
    Programme,
    StatedProblem,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def table(programme: Programme, alice: User, alice_participant: Participant, bob: User, bob_co: Any) -> dict[str, Any]:
    """Group 1: alice and bob's firms and a facilitator (staff, not a member); group 2: dan's firm."""
    facilitator = make_user("fay")
    group = DiscussionGroup.objects.create(programme=programme, number=1, facilitator=facilitator)
    bob_p = join(programme, bob_co, contact_name="李强")
    for p in (alice_participant, bob_p):
        GroupMembership.objects.create(group=group, participant=p)
    dan = make_user("dan")
    dan_p = join(programme, make_enterprise(dan, "zibo_chemical"))
    other = DiscussionGroup.objects.create(programme=programme, number=2)
    GroupMembership.objects.create(group=other, participant=dan_p)
    return {"group": group, "other": other, "bob_p": bob_p, "fay": facilitator, "dan": dan, "dan_p": dan_p}


def url(name: str, group: DiscussionGroup, **kw: Any) -> str:
    return reverse(f"programmes:{name}", kwargs={"group": group.pk, **kw})


def test_the_first_problem_is_prefilled_from_the_firms_own_stated_needs(alice_participant: Participant) -> None:
    assert workspace.prefill_problem(alice_participant) == alice_participant.enterprise.profile["pain_points"][0]


def test_three_rounds_problems_advice_and_steps_land_on_the_board(
    alice: User, bob: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    group, bob_p, fay = table["group"], table["bob_p"], table["fay"]
    workspace.state_problem(alice, alice_participant, "设备突然停机")
    workspace.state_problem(bob, bob_p, "排产混乱")
    workspace.set_round(fay, group, 2)
    scenario = active_catalog().catalog.scenarios[0].id
    workspace.comment(bob, group, alice_participant, "先做设备联网", scenario, active_catalog())
    workspace.comment(fay, group, alice_participant, "问问专家预测性维护", "", active_catalog())
    workspace.set_round(fay, group, 3)
    workspace.commit_steps(alice, alice_participant, ["盘点设备", "", "选一台试点"])
    board = workspace.board(group, alice_participant)
    seats = {s.member.name: s for s in board.seats}
    assert seats["王丽"].problem == "设备突然停机"
    assert seats["李强"].problem == "排产混乱"
    assert [c.text for c in seats["王丽"].comments] == ["先做设备联网", "问问专家预测性维护"]
    assert seats["王丽"].steps == ["盘点设备", "选一台试点"]  # the empty one dropped, order kept
    assert (board.stated, board.committed) == (2, 1)


def test_members_see_a_peers_full_plan_only_when_its_owner_shares_it(
    alice: User, bob: User, alice_participant: Participant, table: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.VAR_DIR = tmp_path  # the kept documents
    bob_p = table["bob_p"]
    plan = enterprise_services.create_plan(bob, bob_p.enterprise, enterprise_services.plan_options({}))
    seat = next(s for s in workspace.board(table["group"], alice_participant).seats if s.member.participant == bob_p)
    assert seat.summary is not None
    assert seat.summary.plan_id == plan.pk
    assert seat.summary.one_off == plan.plan["money"]["one_off"]
    assert [i["name_zh"] for i in seat.summary.items] == [i["name_zh"] for i in plan.plan["items"][:3]]
    assert seat.full_plan is None
    plan_url = url("workspace_plan", table["group"], member=bob_p.pk)
    assert client_for(alice).get(plan_url).status_code == 404
    bob_p.share_plan = True
    bob_p.save()
    seat = next(s for s in workspace.board(table["group"], alice_participant).seats if s.member.participant == bob_p)
    assert seat.full_plan == plan.pk
    shared = client_for(alice).get(plan_url)
    assert shared.status_code == 200
    assert shared["Content-Type"] == "application/pdf"
    # typeset once and kept, as the plan page's downloads are: the next member to open it gets it at once
    assert prepared.prepared_document(plan, "pdf", "zh") == shared.content


def test_bad_input_is_refused_with_a_reason_and_keeps_what_was_saved(
    alice: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    workspace.state_problem(alice, alice_participant, "设备停机")
    with pytest.raises(workspace.WorkspaceError):
        workspace.state_problem(alice, alice_participant, "x" * 1001)
    with pytest.raises(workspace.WorkspaceError):
        workspace.state_problem(alice, alice_participant, "bad\x00text")
    with pytest.raises(workspace.WorkspaceError):
        workspace.comment(alice, table["group"], alice_participant, "好", "no_such_scenario", active_catalog())
    assert StatedProblem.objects.get(participant=alice_participant).text == "设备停机"
    response = client_for(alice).post(
        url("workspace_problem", table["group"]), {"text": "y" * 1001}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert "1000" in response.content.decode()
    assert StatedProblem.objects.get(participant=alice_participant).text == "设备停机"


def test_a_member_autosaves_through_htmx_and_the_board_polls_without_the_forms(
    alice: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    client = client_for(alice)
    saved = client.post(url("workspace_problem", table["group"]), {"text": "质检靠人眼"}, HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "已保存" in saved.content.decode()
    table["group"].round = 3
    table["group"].save()
    client.post(
        url("workspace_steps", table["group"]), {"step_1": "拍照留档", "step_2": "试点视觉检测"}, HTTP_HX_REQUEST="true"
    )
    assert list(Commitment.objects.filter(participant=alice_participant).values_list("text", flat=True)) == [
        "拍照留档", "试点视觉检测",
    ]  # fmt: skip
    board = client.get(url("workspace_board", table["group"])).content.decode()
    assert "质检靠人眼" in board
    assert "试点视觉检测" in board
    assert 'id="my-problem"' not in board  # the member's own form is outside the polled part


def test_a_poll_with_the_version_of_an_unchanged_board_gets_204_and_a_new_comment_changes_it(
    alice: User, bob: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    import re

    table["group"].round = 2
    table["group"].save()
    client = client_for(alice)
    page = client.get(url("workspace", table["group"])).content.decode()
    polled = re.search(r'id="board" hx-get="([^"]+)"', page)
    assert polled is not None
    assert "?v=" in polled.group(1)
    assert client.get(polled.group(1), HTTP_HX_REQUEST="true").status_code == 204
    workspace.comment(bob, table["group"], alice_participant, "先做设备联网", "", active_catalog())
    changed = client.get(polled.group(1), HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert "先做设备联网" in changed.content.decode()
    assert re.search(r'id="board" hx-get="([^"]+)"', changed.content.decode()).group(1) != polled.group(1)
    # without htmx (a plain GET of the board) the board is always sent
    assert client.get(polled.group(1)).status_code == 200


def test_every_change_to_what_the_board_shows_reaches_a_phone_that_polls_with_the_old_version(
    alice: User, bob: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    """The poll answers 204 from a cheap stamp of the board's rows (views_week._VERSIONS); each kind of write must
    move that stamp, or phones would keep a stale board."""
    import re

    group, bob_p, fay = table["group"], table["bob_p"], table["fay"]
    client = client_for(alice)
    loaded = active_catalog()

    def poll_url() -> str:
        found = re.search(r'id="board" hx-get="([^"]+)"', client.get(url("workspace", group)).content.decode())
        assert found is not None
        return found.group(1).replace("&amp;", "&")

    def bob_plan() -> None:
        enterprise_services.create_plan(bob, bob_p.enterprise, enterprise_services.plan_options({}))

    def share_plan() -> None:
        bob_p.share_plan = True
        bob_p.save(update_fields=["share_plan"])

    def rename_firm() -> None:
        bob_p.enterprise.name = "淄博某化工（改名）"
        bob_p.enterprise.save(update_fields=["name", "updated_at"])

    writes = [
        ("a stated problem", lambda: workspace.state_problem(bob, bob_p, "排产混乱")),
        ("the round", lambda: workspace.set_round(fay, group, 2)),
        ("a comment", lambda: workspace.comment(alice, group, bob_p, "先做设备联网", "", loaded)),
        ("first steps", lambda: workspace.commit_steps(bob, bob_p, ["试点一条产线"], [], [], loaded)),
        ("a new plan", bob_plan),
        ("a shared full plan", share_plan),
        ("a renamed firm", rename_firm),
    ]
    for what, write in writes:
        old = poll_url()
        assert client.get(old, HTTP_HX_REQUEST="true").status_code == 204, what
        assert client.get(old, HTTP_HX_REQUEST="true").status_code == 204, what  # answered from the stamp
        write()
        assert client.get(old, HTTP_HX_REQUEST="true").status_code == 200, what


def test_a_members_newest_plan_replaces_the_summary_on_the_board(
    alice: User, bob: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    """Plan summaries are read once per plan (a stored plan never changes); a new plan is a new summary."""
    bob_p = table["bob_p"]
    first = enterprise_services.create_plan(bob, bob_p.enterprise, enterprise_services.plan_options({}))
    seat = next(s for s in workspace.board(table["group"], alice_participant).seats if s.member.participant == bob_p)
    assert seat.summary is not None
    assert seat.summary.plan_id == first.pk
    second = enterprise_services.create_plan(bob, bob_p.enterprise, enterprise_services.plan_options({}))
    seat = next(s for s in workspace.board(table["group"], alice_participant).seats if s.member.participant == bob_p)
    assert seat.summary is not None
    assert seat.summary.plan_id == second.pk
    assert seat.summary.one_off == second.plan["money"]["one_off"]


def test_the_scenarios_a_comment_may_suggest_come_once_with_the_page_not_with_every_poll(
    alice: User, bob: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    table["group"].round = 2
    table["group"].save()
    scenario = active_catalog().catalog.scenarios[0]
    page = client_for(bob).get(url("workspace", table["group"])).content.decode()
    assert page.count(f'<option value="{scenario.id}">') == 1  # in the page's <template id="scenario-options">
    assert 'id="scenario-options"' in page
    assert "data-scenario-options" in page  # the comment form's list, filled by workspace.js
    board = client_for(bob).get(url("workspace_board", table["group"]), HTTP_HX_REQUEST="true").content.decode()
    assert f'value="{scenario.id}"' not in board


def test_a_comment_from_the_board_is_escaped(bob: User, alice_participant: Participant, table: dict[str, Any]) -> None:
    table["group"].round = 2
    table["group"].save()
    response = client_for(bob).post(
        url("workspace_comment", table["group"], member=alice_participant.pk),
        {"text": "<img src=x onerror=alert(1)>"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<img src=x" not in body
    assert GroupComment.objects.filter(about=alice_participant, author=bob).count() == 1


def test_only_the_facilitator_and_the_organisers_move_rounds_keep_notes_and_export(
    alice: User, olivia: User, table: dict[str, Any]
) -> None:
    group, fay = table["group"], table["fay"]
    assert client_for(alice).post(url("workspace_round", group), {"round": "2"}).status_code == 404
    assert client_for(fay).post(url("workspace_round", group), {"round": "2"}).status_code == 302
    assert (
        client_for(olivia)
        .post(url("workspace_notes", group), {"notes": "气氛热烈", "questions": "补贴怎么申请？"})
        .status_code
        == 302
    )
    group.refresh_from_db()
    assert (group.round, group.notes, group.questions) == (2, "气氛热烈", "补贴怎么申请？")
    assert client_for(alice).get(url("workspace_summary", group)).status_code == 404
    doc = client_for(fay).get(url("workspace_summary", group))
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    assert "补贴怎么申请？" in text
    assert "第 1 组" in text


def test_the_facilitator_exports_the_groups_summary_as_a_pdf_with_problems_advice_steps_and_consented_pins(
    alice: User, alice_participant: Participant, table: dict[str, Any]
) -> None:
    import subprocess

    group, fay = table["group"], table["fay"]
    loaded = active_catalog()
    scenario = loaded.catalog.scenarios[0]
    workspace.state_problem(alice, alice_participant, "关键设备突然停机<b>")
    workspace.comment(fay, group, alice_participant, "先把停机原因记下来", scenario.id, loaded)
    workspace.commit_steps(alice, alice_participant, ["盘点设备", "装数据采集"], [scenario.id, ""], [True, False], loaded)
    workspace.save_notes(fay, group, "气氛热烈", "补贴怎么申请？")
    assert client_for(alice).get(url("workspace_summary_pdf", group)).status_code == 404  # members do not export
    pdf = client_for(fay).get(url("workspace_summary_pdf", group))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    for expected in ("第1组讨论纪要", "关键设备突然停机<b>", "先把停机原因记下来", scenario.name_zh, "装数据采集",
                     "经本企业成员同意，固定纳入规划", "补贴怎么申请？", "李强"):  # fmt: skip
        assert "".join(expected.split()) in flat, expected


def test_the_organiser_sees_every_groups_progress_on_one_page(
    alice: User, olivia: User, oscar: User, alice_participant: Participant, table: dict[str, Any], programme: Programme
) -> None:
    workspace.state_problem(alice, alice_participant, "停机")
    workspace.commit_steps(alice, alice_participant, ["一", "二", "三"])
    rows = {r.group.number: r for r in workspace.programme_progress(programme)}
    assert (rows[1].members, rows[1].stated, rows[1].committed) == (2, 1, 1)
    assert (rows[2].members, rows[2].stated) == (1, 0)
    page = client_for(olivia).get(reverse("programmes:evening", kwargs={"pk": programme.pk}))
    assert page.status_code == 200
    assert client_for(oscar).get(reverse("programmes:evening", kwargs={"pk": programme.pk})).status_code == 404


@pytest.mark.parametrize(
    "who", ["member", "facilitator", "organiser", "other_group", "other_organiser", "provider", "anonymous"]
)
def test_the_workspace_is_for_its_members_facilitator_and_organisers_only(
    who: str, alice: User, olivia: User, oscar: User, table: dict[str, Any]
) -> None:
    users = {
        "member": alice, "facilitator": table["fay"], "organiser": olivia, "other_group": table["dan"],
        "other_organiser": oscar, "provider": make_user("pete", Role.PROVIDER), "anonymous": None,
    }  # fmt: skip
    allowed = who in ("member", "facilitator", "organiser")
    response = client_for(users[who]).get(url("workspace", table["group"]))
    assert response.status_code == (200 if allowed else 302 if who == "anonymous" else 404)
    comment = client_for(users[who]).post(
        url("workspace_comment", table["group"], member=table["bob_p"].pk), {"text": "好"}
    )
    assert comment.status_code == (302 if allowed or who == "anonymous" else 404)
    # a member of another group cannot write into this one, nor comment on someone outside it
    assert GroupComment.objects.filter(author=table["dan"]).count() == 0
    stray = client_for(alice).post(url("workspace_comment", table["group"], member=table["dan_p"].pk), {"text": "x"})
    assert stray.status_code == 404


@pytest.mark.parametrize("number", ["abc", "²", "9" * 5000])
def test_a_round_that_is_no_round_gets_the_pages_answer_not_a_crash(table: dict[str, Any], number: str) -> None:
    group = table["group"]
    response = client_for(table["fay"]).post(url("workspace_round", group), {"round": number})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.round == DiscussionGroup.Round.PROBLEMS  # unchanged: "没有这一轮" is said instead
