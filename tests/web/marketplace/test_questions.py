"""Questions and answers on a challenge: a thread between one provider and the publisher, nobody else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import client_for
from wendao.web.accounts.models import AuditEvent, User
from wendao.web.marketplace import services
from wendao.web.marketplace.models import Challenge, Provider, Question


def test_a_provider_asks_and_the_publisher_answers_on_the_challenge_page(
    pete: User, pete_co: Provider, alice: User, published: Challenge
) -> None:
    url = reverse("marketplace:question_ask", args=[published.pk])
    response = client_for(pete).post(url, {"text": "是否接受分两期验收？<b>加粗</b>"})
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.provider, question.asked_by) == (pete_co, pete)
    publisher_page = client_for(alice).get(reverse("marketplace:challenge", args=[published.pk])).content.decode()
    assert "是否接受分两期验收？&lt;b&gt;加粗&lt;/b&gt;" in publisher_page  # escaped, never markup
    response = client_for(alice).post(reverse("marketplace:question_answer", args=[question.pk]), {"answer": "可以。"})
    assert response.status_code == 302
    provider_page = client_for(pete).get(reverse("marketplace:challenge", args=[published.pk])).content.decode()
    assert "可以。" in provider_page
    assert AuditEvent.objects.filter(action="question.answer", object_id=str(question.pk)).exists()


def test_another_provider_sees_neither_the_question_nor_the_answer(
    pete: User, pete_co: Provider, paula: User, paula_co: Provider, alice: User, published: Challenge
) -> None:
    question = services.ask_question(pete, published, pete_co, "鲁视的私密问题")
    services.answer_question(alice, question, "只答复鲁视")
    page = client_for(paula).get(reverse("marketplace:challenge", args=[published.pk])).content.decode()
    assert "鲁视的私密问题" not in page
    assert "只答复鲁视" not in page
    answer = reverse("marketplace:question_answer", args=[question.pk])
    assert client_for(paula).post(answer, {"answer": "冒充"}).status_code == 404
    assert client_for(pete).post(answer, {"answer": "自问自答"}).status_code == 404


def test_an_empty_question_is_refused_with_the_field_named_and_nothing_is_stored(
    pete: User, pete_co: Provider, published: Challenge
) -> None:
    response = client_for(pete).post(reverse("marketplace:question_ask", args=[published.pk]), {"text": "  "})
    assert response.status_code == 422
    assert "这个字段是必填项" in response.content.decode() or "请写下问题" in response.content.decode()
    assert not Question.objects.exists()


def test_no_question_is_taken_once_the_challenge_is_decided(
    pete: User, pete_co: Provider, alice: User, published: Challenge
) -> None:
    services.transition_challenge(alice, published, "close")
    with pytest.raises(services.TransitionError):
        services.ask_question(pete, published, pete_co, "还能提问吗？")
