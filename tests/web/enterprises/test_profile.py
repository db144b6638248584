from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from wendao.web.accounts.models import AuditEvent
from wendao.web.catalog.services import active_catalog
from wendao.web.enterprises.forms import ProfileForm
from wendao.web.enterprises.models import Enterprise, Membership

pytestmark = pytest.mark.django_db

FORM = {
    "name": "测试机械有限公司（虚构）",
    "city": "weifang",
    "industry": "C34",
    "chain": "",
    "employees": "120",
    "revenue": "8000",
    "budget": "60",
    "systems": ["ERP", "CAD"],
    "pain_points": "设备经常突然停机\n外观缺陷靠人工目检",
    "goals": "",
    "data_assets": "",
    "annual_energy_cost": "150",
}


def test_a_new_user_is_sent_to_register_a_profile() -> None:
    user = make_user("nina")
    response = client_for(user).get(reverse("enterprises:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:new")


def test_registering_creates_the_enterprise_membership_and_computed_size_class() -> None:
    user = make_user("nina")
    response = client_for(user).post(reverse("enterprises:new"), FORM)
    assert response.status_code == 302
    enterprise = Enterprise.objects.get()
    assert Membership.objects.filter(user=user, enterprise=enterprise).exists()
    # NBS 2017: 120 people and 8000万元 meet the medium thresholds (300 people) only for revenue -> small
    assert enterprise.size_class == "small"
    assert enterprise.industry_group == "equipment"
    assert enterprise.profile["pain_points"] == ["设备经常突然停机", "外观缺陷靠人工目检"]
    assert enterprise.profile["baseline"]["annual_energy_cost"] == 150
    assert AuditEvent.objects.filter(action="profile.create", object_id=str(enterprise.pk)).exists()
    page = client_for(user).get(reverse("enterprises:profile", kwargs={"pk": enterprise.pk}))
    assert '<strong id="size-class">小型</strong>' in page.content.decode()


def test_editing_keeps_baseline_figures_the_form_does_not_show_and_audits_the_change(alice: Any, alice_co: Any) -> None:
    assert alice_co.profile["baseline"]["defect_rate"] == 0.028
    form = ProfileForm.initial_from(alice_co.profile)
    data = {k: v for k, v in form.items() if v is not None}
    data["employees"] = "1200"
    data["revenue"] = "50000"
    response = client_for(alice).post(reverse("enterprises:profile", kwargs={"pk": alice_co.pk}), data)
    assert response.status_code == 302, response.context["form"].errors
    alice_co.refresh_from_db()
    assert alice_co.size_class == "large"
    assert alice_co.profile["baseline"]["defect_rate"] == 0.028
    event = AuditEvent.objects.filter(action="profile.update").get()
    assert event.changes["employees"] == {"from": 260, "to": 1200}


def test_engine_problems_are_mapped_onto_the_fields_they_name() -> None:
    form = ProfileForm(loaded=active_catalog())
    assert form.field_of("baseline.inspection_staff: Input should be greater than or equal to 0") == (
        "inspection_staff",
        "Input should be greater than or equal to 0",
    )
    assert form.field_of("city: unknown city 'x'")[0] == "city"
    assert form.field_of("answers.STR1: bad")[0] is None


def test_form_errors_are_shown_next_to_the_field() -> None:
    user = make_user("nina")
    response = client_for(user).post(reverse("enterprises:new"), FORM | {"employees": "-3", "city": "atlantis"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"employees", "city"}
    # the form accepts any text as industry; the engine's parse_profile rejects it and names the field
    response = client_for(user).post(reverse("enterprises:new"), FORM | {"industry": "C99"})
    errors = response.context["form"].errors
    assert set(errors) == {"industry"}
    assert "GB/T 4754-2017" in errors["industry"][0]
    assert "GB/T 4754-2017" in response.content.decode()
    assert not Enterprise.objects.exists()
