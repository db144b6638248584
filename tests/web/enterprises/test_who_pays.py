from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from tests.web.enterprises.test_profile import FORM
from wendao.web.enterprises.forms import ProfileForm
from wendao.web.enterprises.models import Enterprise, PlanRecord

pytestmark = pytest.mark.django_db


def test_the_profile_form_stores_the_funding_facts_it_is_given_and_only_those() -> None:
    user = make_user("nina")
    data = {**FORM, "tax_status": "high_tech", "rd_project": "true", "loan_share": "40", "loan_years": "3"}
    response = client_for(user).post(reverse("enterprises:new"), data)
    assert response.status_code == 302
    funding = {k: v for k, v in Enterprise.objects.get().profile["funding"].items() if v is not None}
    assert funding == {"tax_status": "high_tech", "rd_project": True, "loan_share": 0.4, "loan_years": 3}
    initial = ProfileForm.initial_from(Enterprise.objects.get().profile)
    assert initial["loan_share"] == 40.0  # shown as a percentage again
    assert initial["techreno_listed"] is None  # unanswered stays unanswered


def test_the_plan_page_shows_who_pays_with_the_questions_to_confirm(alice: Any, alice_plan: PlanRecord) -> None:
    text = client_for(alice).get(reverse("enterprises:plan", kwargs={"pk": alice_plan.pk})).content.decode()
    assert 'id="who-pays"' in text
    assert "谁来出钱" in text
    assert 'id="who-pays-years"' in text
    if alice_plan.plan["who_pays"]["questions"]:
        assert 'id="who-pays-questions"' in text


def test_a_policys_own_question_is_a_field_of_the_profile_form_and_its_answer_is_stored() -> None:
    """财金〔2026〕4号 asks a question no profile fact answers; the form asks it, in the reader's language, and the
    answer is stored with the funding facts (the who-pays view then stops asking it)."""
    user = make_user("nora")
    field = "policy_national_sme_loan_interest_2026"
    page = client_for(user).get(reverse("enterprises:new")).content.decode()
    assert f'name="{field}"' in page
    assert "财金〔2026〕4号所列" in page
    response = client_for(user).post(reverse("enterprises:new"), {**FORM, field: "false"})
    assert response.status_code == 302
    stored = Enterprise.objects.get().profile["funding"]
    assert stored["policy_answers"] == {"national_sme_loan_interest_2026": False}
    assert ProfileForm.initial_from(Enterprise.objects.get().profile)[field] is False
