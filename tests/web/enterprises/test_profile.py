from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.web.conftest import client_for, make_user
from wendao.engine.profile import ProfileProblem
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
    assert alice_co.profile["baseline"]["inventory_carrying_rate"] == 0.18
    form = ProfileForm.initial_from(alice_co.profile)
    data = {k: v for k, v in form.items() if v is not None}
    data["employees"] = "1200"
    data["revenue"] = "50000"
    response = client_for(alice).post(reverse("enterprises:profile", kwargs={"pk": alice_co.pk}), data)
    assert response.status_code == 302, response.context["form"].errors
    alice_co.refresh_from_db()
    assert alice_co.size_class == "large"
    assert alice_co.profile["baseline"]["inventory_carrying_rate"] == 0.18
    event = AuditEvent.objects.filter(action="profile.update").get()
    assert event.changes["employees"] == {"from": 260, "to": 1200}


def test_engine_problems_are_mapped_onto_the_fields_they_name() -> None:
    form = ProfileForm(loaded=active_catalog())
    assert form.field_of(ProfileProblem(loc=("baseline", "inspection_staff"), kind="greater_than_equal")) == (
        "inspection_staff"
    )
    assert form.field_of(ProfileProblem(loc=("city",), kind="unknown_city", given="x")) == "city"
    assert form.field_of(ProfileProblem(loc=("constraints", "notes"), kind="too_long")) == "on_premise_only"
    assert form.field_of(ProfileProblem(loc=("answers", "STR1"), kind="literal_error")) is None


def test_a_code_the_catalog_does_not_know_is_told_in_chinese_from_the_problem_itself() -> None:
    """The form reads the engine's problem as a value (its kind and the value given), never its English line."""
    user = make_user("nina")
    response = client_for(user).post(reverse("enterprises:new"), FORM | {"industry": "C99"})
    assert response.context["form"].errors == {
        "industry": ["“所属行业（国民经济行业分类 GB/T 4754-2017）”应为制造业大类 C13–C43，可带两位中类，如 C3670（现为 C99）"]
    }
    assert "unknown industry" not in response.content.decode()


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


# --- bounds (security findings 8 and 10): out of range is a field error in the user's language, nothing lost --


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"employees": "1" + "0" * 30}, "employees", "从业人员（人）应为 0 到 2000000 之间的整数"),
        ({"employees": "1e30"}, "employees", "从业人员（人）应为 0 到 2000000 之间的整数"),
        ({"revenue": "1e308"}, "revenue", "年营业收入（万元）应为 0 到 1000000000 之间的数"),
        ({"revenue": "1e400"}, "revenue", "年营业收入（万元）应为 0 到 1000000000 之间的数"),
        ({"budget": "nan"}, "budget", "每年数字化/人工智能预算（万元）应为 0 到 1000000000 之间的数"),
        (
            {"unplanned_downtime_hours": "9000"},
            "unplanned_downtime_hours",
            "年非计划停机（小时）应为 0 到 8784 之间的数",
        ),
        ({"production_staff": "3000000"}, "production_staff", "生产人员（人）应为 0 到 2000000 之间的整数"),
        (
            {"labour_cost_per_person": "95000"},
            "labour_cost_per_person",
            "人均人工成本（万元/年）应为 0 到 1000 之间的数",
        ),
    ],
)
def test_a_figure_out_of_range_is_named_in_chinese_and_every_entered_value_is_kept(
    changes: dict[str, str], field: str, message: str
) -> None:
    user = make_user("nina")
    response = client_for(user).post(reverse("enterprises:new"), FORM | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {field: [message]}
    page = response.content.decode()
    assert message in page
    for key in ("name", "revenue", "annual_energy_cost", *changes):
        assert f'value="{(FORM | changes)[key]}"' in page
    assert "设备经常突然停机" in page  # the textarea too
    assert not Enterprise.objects.exists()


def test_the_range_is_named_in_english_on_the_english_ui() -> None:
    client = client_for(make_user("nina"))
    client.cookies["django_language"] = "en"
    response = client.post(reverse("enterprises:new"), FORM | {"employees": "1" + "0" * 30})
    assert response.context["form"].errors["employees"] == ["Employees must be a whole number from 0 to 2000000"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "某" * 201}, "name", "不超过 200 字符 (目前字符数 201)"),  # Django's own message
        ({"name": "某某\x00公司"}, "name", "不能含有控制字符（发现 U+0000）"),
        ({"name": "某某\x1b公司"}, "name", "不能含有控制字符（发现 U+001B）"),
        ({"pain_points": "停机多\n漏检\x07多"}, "pain_points", "不能含有控制字符（发现 U+0007）"),
        ({"goals": "\n".join(f"目标{k}" for k in range(51))}, "goals", "最多 50 条（现有 51 条）"),
        ({"data_assets": "记录\n" + "字" * 501}, "data_assets", "第 2 条超过 500 个字（501 个字）"),
    ],
)
def test_text_too_long_or_with_control_characters_is_a_chinese_field_error(
    changes: dict[str, str], field: str, message: str
) -> None:
    response = client_for(make_user("nina")).post(reverse("enterprises:new"), FORM | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {field}
    assert message in errors[field][0]
    assert not Enterprise.objects.exists()


def test_a_form_at_the_bounds_is_saved() -> None:
    limits = {"employees": "2000000", "revenue": "1000000000", "budget": "1000000000", "name": "某" * 200}
    response = client_for(make_user("nina")).post(reverse("enterprises:new"), FORM | limits)
    assert response.status_code == 302
    assert Enterprise.objects.get().employees == 2_000_000


def test_a_profile_stored_with_the_retired_defect_rate_still_opens_plans_and_saves_without_it(
    alice: Any, alice_co: Any
) -> None:
    """defect_rate is no longer a profile figure (no benefit used it); a profile stored with it is read as before."""
    Enterprise.objects.filter(pk=alice_co.pk).update(
        profile=alice_co.profile | {"baseline": alice_co.profile["baseline"] | {"defect_rate": 0.028}}
    )
    client = client_for(alice)
    response = client.post(reverse("enterprises:plan_new", kwargs={"pk": alice_co.pk}))
    assert response.status_code == 302
    assert "/plans/" in response["Location"]
    form = ProfileForm.initial_from(Enterprise.objects.get(pk=alice_co.pk).profile)
    data = {k: v for k, v in form.items() if v is not None}
    response = client.post(reverse("enterprises:profile", kwargs={"pk": alice_co.pk}), data)
    assert response.status_code == 302, response.context["form"].errors
    alice_co.refresh_from_db()
    assert "defect_rate" not in alice_co.profile["baseline"]
    assert alice_co.profile["baseline"]["annual_quality_loss"] == 380


def test_the_profile_names_the_industry_under_its_code_and_lists_systems_once(alice: Any, alice_co: Any) -> None:
    page = client_for(alice).get(reverse("enterprises:profile", kwargs={"pk": alice_co.pk})).content.decode()
    assert alice_co.profile["industry"] == "C3441"
    assert "当前：通用设备制造业。" in page  # an owner sees what C3441 means
    assert "ERP 企业资源计划ERP" not in page
    assert "企业资源计划ERP" in page
    english = (
        client_for(alice)
        .get(reverse("enterprises:profile", kwargs={"pk": alice_co.pk}), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Now: General-purpose machinery." in english
    assert f"<h1>Company profile: {alice_co.name}</h1>" in english  # not the Chinese colon "Company profile："
