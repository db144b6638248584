from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from wendao.web.enterprises.forms import ProfileForm
from wendao.web.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

FORM = {
    "name": "测试食品有限公司（虚构）",
    "city": "linyi",
    "industry": "C14",
    "chain": "",
    "employees": "80",
    "revenue": "3000",
    "budget": "20",
    "pain_points": "营销获客难",
    "goals": "",
    "data_assets": "",
    "annual_energy_cost": "90",
}


def test_the_profile_form_asks_who_the_enterprise_sells_to_and_keeps_the_answer() -> None:
    user = make_user("nina")
    page = client_for(user).get(reverse("enterprises:new")).content.decode()
    assert "主要客户" in page
    assert "按行业默认" in page
    response = client_for(user).post(reverse("enterprises:new"), FORM | {"business_model": "b2c"})
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert enterprise.profile["business_model"] == "b2c"
    assert ProfileForm.initial_from(enterprise.profile)["business_model"] == "b2c"


def test_a_profile_without_a_business_model_is_stored_without_one_and_the_plan_uses_the_default() -> None:
    user = make_user("nina")
    response = client_for(user).post(reverse("enterprises:new"), FORM)
    assert response.status_code == 302
    assert Enterprise.objects.get().profile["business_model"] is None
