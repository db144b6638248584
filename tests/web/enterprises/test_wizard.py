from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, example_data, make_enterprise
from wendao.engine.assessment import assess
from wendao.web.accounts.models import AuditEvent
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises import services
from wendao.web.enterprises.models import AssessmentRound, DimensionResult

pytestmark = pytest.mark.django_db


def _answer_url(rnd: AssessmentRound, qid: str) -> str:
    return reverse("enterprises:answer", kwargs={"pk": rnd.enterprise_id, "number": rnd.number, "question": qid})


def test_it_autosaves_one_answer_with_evidence_and_audits_it(alice: Any, alice_open_round: AssessmentRound) -> None:
    response = client_for(alice).post(
        _answer_url(alice_open_round, "STR1"),
        {"value": "full", "evidence": "《三年数字化规划》2025-03"},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200
    assert "已保存" in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()  # progress bar updated in place
    alice_open_round.refresh_from_db()
    assert alice_open_round.answers == {"STR1": "full"}
    assert alice_open_round.evidence == {"STR1": "《三年数字化规划》2025-03"}
    event = AuditEvent.objects.get(action="answer.save")
    assert event.actor == alice
    assert event.changes["question"] == "STR1"
    assert event.changes["to"] == "full"


def test_an_unknown_option_is_refused_and_not_stored(alice: Any, alice_open_round: AssessmentRound) -> None:
    response = client_for(alice).post(_answer_url(alice_open_round, "STR1"), {"value": "excellent"})
    assert response.status_code == 422
    assert "未保存" in response.content.decode()
    alice_open_round.refresh_from_db()
    assert "STR1" not in alice_open_round.answers


def test_a_multi_choice_answer_is_stored_as_a_list_and_can_be_cleared(
    alice: Any, alice_open_round: AssessmentRound
) -> None:
    loaded = active_catalog()
    multi = next(q for q in loaded.questionnaire.questions if q.type == "multi")
    plain = [o.id for o in multi.options if not o.exclusive][:2]
    client = client_for(alice)
    assert client.post(_answer_url(alice_open_round, multi.id), {"value": plain}).status_code == 200
    alice_open_round.refresh_from_db()
    assert alice_open_round.answers[multi.id] == plain
    assert client.post(_answer_url(alice_open_round, multi.id), {}).status_code == 200
    alice_open_round.refresh_from_db()
    assert multi.id not in alice_open_round.answers


def test_successive_autosaves_lose_no_answer(alice: Any, alice_open_round: AssessmentRound) -> None:
    answers = example_data()["answers"]
    client = client_for(alice)
    for qid, value in answers.items():
        payload = {"value": value if isinstance(value, list) else [value]}
        assert client.post(_answer_url(alice_open_round, qid), payload).status_code == 200
    alice_open_round.refresh_from_db()
    assert alice_open_round.answers == answers


def test_the_wizard_resumes_at_the_first_step_with_an_unanswered_question(
    alice: Any, alice_open_round: AssessmentRound
) -> None:
    loaded = active_catalog()
    steps = services.wizard_steps(loaded)
    answers = example_data()["answers"]
    alice_open_round.answers = {q.id: answers[q.id] for s in steps[:3] for q in s.questions}
    alice_open_round.save()
    response = client_for(alice).get(reverse("enterprises:assessment", kwargs={"pk": alice_open_round.enterprise_id}))
    assert response.status_code == 302
    assert response["Location"].endswith("/step/4/")


def test_a_step_renders_one_dimension_with_a_progress_bar(alice: Any, alice_open_round: AssessmentRound) -> None:
    loaded = active_catalog()
    url = reverse("enterprises:step", kwargs={"pk": alice_open_round.enterprise_id, "number": 0, "step": 2})
    full = client_for(alice).get(url)
    fragment = client_for(alice).get(url, headers={"hx-request": "true"})
    step = services.wizard_steps(loaded)[1]
    for response in (full, fragment):
        text = response.content.decode()
        assert response.status_code == 200
        assert step.dimension.name_zh in text
        assert all(f'id="q-{q.id}"' in text for q in step.questions)
        assert 'role="progressbar"' in text
    assert "<html" in full.content.decode()
    assert "<html" not in fragment.content.decode()


def test_completing_with_missing_answers_lists_them(alice: Any, alice_open_round: AssessmentRound) -> None:
    url = reverse("enterprises:complete", kwargs={"pk": alice_open_round.enterprise_id, "number": 0})
    response = client_for(alice).post(url)
    assert response.status_code == 422
    assert "还有问题没有回答" in response.content.decode()
    alice_open_round.refresh_from_db()
    assert alice_open_round.completed_at is None


def test_completing_scores_the_round_with_the_engine(alice: Any, alice_open_round: AssessmentRound) -> None:
    alice_open_round.answers = example_data()["answers"]
    alice_open_round.save()
    url = reverse("enterprises:complete", kwargs={"pk": alice_open_round.enterprise_id, "number": 0})
    response = client_for(alice).post(url)
    assert response.status_code == 302
    alice_open_round.refresh_from_db()
    expected = assess(alice_open_round.answers, active_catalog().questionnaire)
    assert alice_open_round.completed_at is not None
    assert alice_open_round.current
    assert alice_open_round.overall == expected.overall
    assert DimensionResult.objects.filter(round=alice_open_round).count() == len(expected.dimensions)
    # a completed round is history: a late autosave is refused
    late = client_for(alice).post(_answer_url(alice_open_round, "STR1"), {"value": "none"})
    assert late.status_code == 422
    alice_open_round.refresh_from_db()
    assert alice_open_round.answers["STR1"] == example_data()["answers"]["STR1"]


def test_results_hide_peers_below_five_enterprises(alice: Any, alice_co: Any) -> None:
    url = reverse("enterprises:results", kwargs={"pk": alice_co.pk, "number": 0})
    response = client_for(alice).get(url)
    assert response.status_code == 200
    assert response.context["radar"]["peers"] is None
    assert 'id="peers-hidden"' in response.content.decode()


def test_results_show_peer_means_from_five_comparable_enterprises(alice: Any, alice_co: Any) -> None:
    for _ in range(5):
        make_enterprise(None)
    peers = services.peer_scores(alice_co)
    # the cell's release: all six firms, alice's too (every reader sees the same release; insights.releases)
    assert peers.enterprises == 6
    assert peers.shown
    own = services.assessment_of(alice_co.rounds.get(current=True))
    assert own is not None
    # six identical profiles: the peer mean is the enterprise's own score plus the release's noise (standard
    # deviation 10 / 6 points on the mean; six of them is a one-in-a-billion miss)
    scores = {d.id: d.score for d in own.dimensions if d.score is not None}
    assert peers.averages.keys() == scores.keys()
    assert all(abs(peers.averages[d] - scores[d]) <= 10.0 for d in scores)
    response = client_for(alice).get(reverse("enterprises:results", kwargs={"pk": alice_co.pk, "number": 0}))
    assert response.context["radar"]["peers"] == [peers.averages.get(d.id) for d in own.dimensions]


def test_peers_count_only_the_latest_round_of_each_enterprise(alice: Any, alice_co: Any) -> None:
    loaded = active_catalog()
    other = make_enterprise(None)
    rnd = services.start_reassessment(None, other, loaded)
    services.complete_round(None, rnd, loaded)
    assert services.peer_scores(alice_co).enterprises == 1


def test_reassessment_starts_a_new_round_from_the_previous_answers_and_shows_deltas(alice: Any, alice_co: Any) -> None:
    client = client_for(alice)
    response = client.post(reverse("enterprises:reassess", kwargs={"pk": alice_co.pk}))
    assert response.status_code == 302
    t1 = alice_co.rounds.get(number=1)
    assert t1.answers == alice_co.rounds.get(number=0).answers
    assert t1.completed_at is None
    assert client.post(_answer_url(t1, "STR1"), {"value": "kpi"}).status_code == 200
    assert client.post(reverse("enterprises:complete", kwargs={"pk": alice_co.pk, "number": 1})).status_code == 302
    history = services.history(alice_co)
    assert [h.round.label for h in history] == ["首次评估", "第2次评估"]
    assert history[1].deltas["strategy"] is not None
    assert history[1].deltas["strategy"] > 0
    assert history[1].deltas["quality"] == 0
    page = client.get(reverse("enterprises:results", kwargs={"pk": alice_co.pk, "number": 1})).content.decode()
    assert "历次评估" in page
    assert "第2次评估" in page
    assert "T0" not in page  # no internal round codes on the page
    assert "T1" not in page
    english = client.get(
        reverse("enterprises:results", kwargs={"pk": alice_co.pk, "number": 1}), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "First assessment" in english
    assert "Assessment 2" in english
    levels = english.split('<ul class="levels">')[1].split("</ul>")[0]
    assert "：" not in levels  # "MIIT SME digital level …: Level 2", not the Chinese colon
    assert "；" not in levels


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ("《规划》\x00", "依据不能含有控制字符（发现 U+0000）"),
        ("x" * 2001, "依据最多 2000 个字（现有 2001 个字）"),
    ],
)
def test_evidence_with_a_control_character_or_too_long_is_refused_in_chinese_not_cut(
    alice: Any, alice_open_round: AssessmentRound, evidence: str, message: str
) -> None:
    response = client_for(alice).post(
        _answer_url(alice_open_round, "STR1"), {"value": "full", "evidence": evidence}, headers={"hx-request": "true"}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    alice_open_round.refresh_from_db()
    assert alice_open_round.answers == {}
    assert alice_open_round.evidence == {}
