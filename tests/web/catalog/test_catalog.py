from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.forms import modelform_factory
from django.urls import reverse

from tests.web.catalog.conftest import entry_form
from tests.web.conftest import client_for, make_user
from wendao.engine.catalog import default_catalog
from wendao.web.accounts.models import AuditEvent, Role, User
from wendao.web.catalog.forms import EntryForm
from wendao.web.catalog.models import PolicyEntry, PriceEntry, QuestionnaireVersion, ScenarioEntry
from wendao.web.catalog.services import active_catalog, seed_catalog

pytestmark = pytest.mark.django_db


def test_seeding_loads_every_scenario_policy_and_price_once() -> None:
    loaded = default_catalog()
    assert seed_catalog() > 0
    assert ScenarioEntry.objects.count() == len(loaded.catalog.scenarios)
    assert PolicyEntry.objects.count() == len(loaded.policies)
    assert PriceEntry.objects.filter(kind="api").count() == len(loaded.prices.api)
    assert (
        QuestionnaireVersion.objects.get(active=True).key == f"{loaded.questionnaire.id}@{loaded.questionnaire.version}"
    )
    assert seed_catalog() == 0  # idempotent


def test_the_database_catalog_equals_the_yaml_one_after_seeding() -> None:
    seed_catalog()
    db, yaml = active_catalog(), default_catalog()
    assert [s.id for s in db.catalog.scenarios] == [s.id for s in yaml.catalog.scenarios]
    assert db.policies == yaml.policies
    assert db.prices == yaml.prices
    assert db.questionnaire == yaml.questionnaire


def _admin_post(user: Any, entry: PolicyEntry, **changes: Any) -> Any:
    data = entry_form(entry, **changes)
    url = reverse("admin:catalog_policyentry_change", args=[entry.pk])
    return client_for(user).post(url, data)


def _staff(username: str, role: str) -> Any:
    user = make_user(username, role)
    user.is_staff = True
    user.save()
    return user


def _organiser() -> Any:
    return _staff("olivia", Role.ORGANISER)


def _editor() -> Any:
    return _staff("cathy", Role.CATALOG_EDITOR)


def test_a_catalog_editor_edit_in_admin_is_validated_versioned_audited_and_used_by_the_engine() -> None:
    seed_catalog()
    before = active_catalog()
    entry = PolicyEntry.objects.order_by("key").first()
    assert entry is not None
    data = dict(entry.data)
    data["summary_zh"] = "（测试修改）" + data["summary_zh"]
    editor = _editor()
    response = _admin_post(
        editor,
        entry,
        data=json.dumps(data, ensure_ascii=False),
        source="鲁工信发〔2026〕测试号",
        as_of="2026-11-01",
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.revision == 2
    assert entry.source == "鲁工信发〔2026〕测试号"
    after = active_catalog()
    assert after.version != before.version
    assert next(p for p in after.policies if p.id == entry.key).summary_zh.startswith("（测试修改）")
    event = AuditEvent.objects.get(action="catalog.change")
    assert event.actor == editor
    assert event.object_id == str(entry.pk)
    assert event.changes["data"] == "changed"


def test_a_staff_organiser_reads_the_catalog_but_cannot_change_add_or_delete() -> None:
    """An organiser of one programme must not change every other programme's plans."""
    seed_catalog()
    before = active_catalog()
    entry = PolicyEntry.objects.order_by("key").first()
    assert entry is not None
    organiser = _organiser()
    client = client_for(organiser)
    assert client.get(reverse("admin:catalog_policyentry_changelist")).status_code == 200
    page = client.get(reverse("admin:catalog_policyentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # the read-only view of the entry
    data = dict(entry.data, summary_zh="（组织方改的）")
    response = _admin_post(organiser, entry, data=json.dumps(data, ensure_ascii=False))
    assert response.status_code == 403
    assert client.get(reverse("admin:catalog_scenarioentry_add")).status_code == 403
    delete = reverse("admin:catalog_policyentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.revision == 1
    assert entry.data["summary_zh"] != "（组织方改的）"
    assert active_catalog().version == before.version
    assert not AuditEvent.objects.filter(action__startswith="catalog.").exists()


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.PROVIDER])
def test_other_staff_roles_do_not_even_read_the_catalog(role: str) -> None:
    seed_catalog()
    entry = PolicyEntry.objects.order_by("key").first()
    assert entry is not None
    client = client_for(_staff("sam", role))
    assert client.get(reverse("admin:catalog_policyentry_changelist")).status_code == 403
    assert client.get(reverse("admin:catalog_policyentry_change", args=[entry.pk])).status_code == 403


def test_a_catalog_editor_needs_staff_status_to_reach_the_admin() -> None:
    seed_catalog()
    response = client_for(make_user("cathy", Role.CATALOG_EDITOR)).get(reverse("admin:catalog_policyentry_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("who", ["editor", "admin role", "superuser"])
def test_editors_and_admins_add_and_delete_entries_with_an_audit_record(who: str) -> None:
    seed_catalog()
    if who == "editor":
        user = _editor()
    elif who == "admin role":
        user = _staff("adam", Role.ADMIN)
    else:
        user = User.objects.create_superuser("root", "root@example.com", "correct horse battery staple")
    template = PolicyEntry.objects.order_by("key").first()
    assert template is not None
    data = dict(template.data, id="test_policy_copy")
    client = client_for(user)
    response = client.post(
        reverse("admin:catalog_policyentry_add"),
        {
            "key": "test_policy_copy",
            "name_zh": "测试政策",
            "name_en": "Test policy",
            "data": json.dumps(data, ensure_ascii=False),
            "source": "测试",
            "as_of": "2026-11-01",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    added = PolicyEntry.objects.get(key="test_policy_copy")
    assert AuditEvent.objects.get(action="catalog.add").actor == user
    response = client.post(reverse("admin:catalog_policyentry_delete", args=[added.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not PolicyEntry.objects.filter(key="test_policy_copy").exists()
    assert AuditEvent.objects.get(action="catalog.delete").changes == {"key": "test_policy_copy"}


def test_admin_form_requires_source_and_date_and_a_valid_engine_model() -> None:
    seed_catalog()
    entry = PolicyEntry.objects.order_by("key").first()
    assert entry is not None
    broken = dict(entry.data)
    broken["award"] = dict(broken["award"], rate=7)  # a share above 1
    form_class = modelform_factory(
        PolicyEntry, form=EntryForm, fields=["key", "name_zh", "name_en", "data", "source", "as_of"]
    )
    form = form_class(
        data={
            "key": entry.key,
            "name_zh": entry.name_zh,
            "name_en": entry.name_en,
            "data": json.dumps(broken),
            "source": "",
            "as_of": "",
        },
        instance=entry,
    )
    assert not form.is_valid()
    assert "source" in form.errors
    assert "as_of" in form.errors
    assert any("award.rate" in e for e in form.errors["data"])
    response = _admin_post(_editor(), entry, data=json.dumps(broken), source="", as_of="")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.revision == 1


def test_enterprise_members_cannot_open_the_catalog_admin(alice: Any) -> None:
    response = client_for(alice).get(reverse("admin:catalog_policyentry_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_catalog_as_of_date_is_kept_per_entry() -> None:
    seed_catalog()
    assert all(isinstance(d, datetime.date) for d in ScenarioEntry.objects.values_list("as_of", flat=True))
