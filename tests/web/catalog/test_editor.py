"""The knowledge-base editor in the site's pages: edit, validate in the reader's language, preview, versions,
the policy spreadsheet, and who may do which."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.web.conftest import client_for, make_user
from wendao.web.accounts.models import AuditEvent, Role
from wendao.web.catalog import editor
from wendao.web.catalog.fields import CHOICES, as_text, fields_of, get
from wendao.web.catalog.models import CaseEntry, CatalogState, EntryVersion, PolicyEntry, ScenarioEntry
from wendao.web.catalog.services import active_catalog, seed_catalog

pytestmark = pytest.mark.django_db

RD = "national_rd_super_deduction"  # counted in the Weifang example's plan (R&D items)


@pytest.fixture
def seeded() -> None:
    seed_catalog()


@pytest.fixture
def editor_user(seeded: None) -> Any:
    return make_user("erin", Role.CATALOG_EDITOR)


def _policy_form(entry: PolicyEntry, **changes: str) -> dict[str, Any]:
    """The editor form of a policy as it is, with ``changes`` (by dotted path) on top."""
    out: dict[str, Any] = {}
    for f in editor.flat_fields(entry) or []:
        value = get(entry.data, f.path)
        if f.path in changes:
            out[f.name] = changes[f.path]
        elif f.kind == "bool":
            if value:
                out[f.name] = "on"
        elif f.kind == "choices":
            out[f.name] = list(value or [])
        else:
            out[f.name] = as_text(f, value)
    return out


def _post(user: Any, entry: PolicyEntry, action: str = "save", **changes: str) -> Any:
    data = _policy_form(entry, **changes) | {
        "action": action,
        "change_source": "财政部 税务总局公告2023年第7号（测试修改）",
        "change_as_of": "2026-12-01",
        "note": "test",
    }
    return client_for(user).post(reverse("catalog:entry", args=["policies", entry.pk]), data)


def test_a_catalog_editor_changes_a_policy_rate_and_it_becomes_a_new_version(editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    revision = CatalogState.objects.get().revision
    response = _post(editor_user, entry, **{"award.rate": "0.5"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.data["award"]["rate"] == 0.5
    assert entry.revision == 2
    assert entry.source.startswith("财政部 税务总局公告2023年第7号")
    assert CatalogState.objects.get().revision > revision
    assert next(p for p in active_catalog().policies if p.id == RD).award.rate == 0.5
    versions = editor.history(entry)
    assert [(v.revision, v.via) for v in versions] == [(2, "editor"), (1, "seed")]
    assert versions[0].actor == editor_user
    assert versions[0].changed == ["award.rate"]
    assert versions[1].data["award"]["rate"] == 1.0  # the seeded content is kept
    assert AuditEvent.objects.filter(actor=editor_user, action="catalog.change").exists()
    page = client_for(editor_user).get(reverse("catalog:entry", args=["policies", entry.pk])).content.decode()
    assert "erin" in page
    assert "知识库编辑页面" in page
    assert "比例（0–1）" in page


def test_a_wrong_figure_is_named_beside_its_field_in_chinese_and_nothing_is_saved(editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    response = _post(editor_user, entry, **{"award.rate": "1.5", "issued": "2023/13/40"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "比例（0–1）</strong>：不能大于 1" in page
    assert "发布日期</strong>：日期格式应为 2026-05-31，收到：2023/13/40" in page
    assert 'value="1.5"' in page  # what was typed stays in the form
    entry.refresh_from_db()
    assert entry.revision == 1
    assert entry.data["award"]["rate"] == 1.0
    assert not EntryVersion.objects.exists()


def test_validation_messages_read_in_english_too(editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    client = client_for(editor_user)
    client.cookies["django_language"] = "en"
    data = _policy_form(entry, **{"award.rate": "abc"}) | {"action": "save", "change_source": "x", "change_as_of": ""}
    page = client.post(reverse("catalog:entry", args=["policies", entry.pk]), data).content.decode()
    assert "must be a number" in page.lower()
    assert "不能" not in page
    assert "必须" not in page


def test_a_rule_of_the_award_names_the_award_and_a_missing_source_blocks_saving(editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    response = _post(editor_user, entry, **{"award.rate": ""})
    assert "加计扣除需要填写比例和计入的支出类别" in response.content.decode()
    data = _policy_form(entry) | {"action": "save", "change_source": "", "change_as_of": "2026-12-01"}
    response = client_for(editor_user).post(reverse("catalog:entry", args=["policies", entry.pk]), data)
    assert response.status_code == 422
    assert "必须填写：文件、网址或说明" in response.content.decode()
    entry.refresh_from_db()
    assert entry.revision == 1


def test_the_preview_reruns_sample_plans_and_shows_what_changes_without_saving(editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    response = _post(editor_user, entry, action="preview", **{"award.rate": "0.5"})
    assert response.status_code == 200
    diffs = response.context["diffs"]
    weifang = next(d for d in diffs if "潍坊" in d.label)
    assert weifang.changed
    assert weifang.after.counted < weifang.before.counted
    assert weifang.before.one_off == weifang.after.one_off  # a support rate changes no investment
    assert "计入的支持" in response.content.decode()
    assert "份方案会改变" in response.content.decode()
    entry.refresh_from_db()
    assert entry.revision == 1  # a preview saves nothing


def test_stored_plans_in_the_preview_are_named_without_the_enterprise(
    seeded: None, olivia: Any, alice_plan: Any, alice_participant: Any
) -> None:
    diffs = editor.preview([editor.Change("policy", RD, _rate(RD, 0.5))], olivia)
    stored = [d for d in diffs if d.label.startswith("已保存方案")]
    assert len(stored) == 1
    assert alice_plan.enterprise.name not in stored[0].label


def _rate(key: str, rate: float) -> dict[str, Any]:
    data = dict(PolicyEntry.objects.get(key=key).data)
    data["award"] = dict(data["award"], rate=rate)
    return data


def test_a_scenario_is_edited_as_checked_json(editor_user: Any) -> None:
    entry = ScenarioEntry.objects.order_by("key").first()
    assert entry is not None
    url = reverse("catalog:entry", args=["scenarios", entry.pk])
    bad = {"data": '{"id": "x"', "action": "save", "change_source": "s", "change_as_of": "2026-12-01"}
    response = client_for(editor_user).post(url, bad)
    assert response.status_code == 422
    assert "不是有效的 JSON" in response.content.decode()
    data = dict(entry.data) | {"typo_field": 1}
    response = client_for(editor_user).post(url, bad | {"data": json.dumps(data, ensure_ascii=False)})
    assert "不认识这一项（可能拼写有误），没有保存" in response.content.decode()


def test_an_old_version_can_be_the_draft_of_a_new_one(editor_user: Any) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    _post(editor_user, entry, **{"award.rate": "0.5"})
    seed_version = EntryVersion.objects.get(key=RD, via="seed")
    url = reverse("catalog:entry", args=["policies", entry.pk])
    page = client_for(editor_user).get(url, {"version": seed_version.pk}).content.decode()
    assert "表单里是第 1 版的内容" in page
    rate = next(f for f in fields_of(type(active_catalog().policies[0])) if f.path == "award.rate")
    assert f'name="{rate.name}" id="{rate.name}" value="1"' in page


@pytest.mark.parametrize("version", ["abc", "²", "１", str(2**63), "9" * 5000])
def test_a_version_that_is_not_a_number_is_not_found_rather_than_an_error(editor_user: Any, version: str) -> None:
    entry = PolicyEntry.objects.get(key=RD)
    url = reverse("catalog:entry", args=["policies", entry.pk])
    assert client_for(editor_user).get(url, {"version": version}).status_code == 404


# --- who may ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "reads", "edits"),
    [
        (Role.ENTERPRISE, False, False),
        (Role.PROVIDER, False, False),
        (Role.ORGANISER, True, False),
        (Role.CATALOG_EDITOR, True, True),
        (Role.ADMIN, True, True),
    ],
)
def test_only_catalog_editors_and_admins_edit_and_organisers_only_read(
    seeded: None, role: str, reads: bool, edits: bool
) -> None:
    user = make_user(f"u-{role}", role)
    entry = PolicyEntry.objects.get(key=RD)
    client = client_for(user)
    assert (client.get(reverse("catalog:index", args=["policies"])).status_code == 200) is reads
    assert (client.get(reverse("catalog:entry", args=["policies", entry.pk])).status_code == 200) is reads
    assert (client.get(reverse("catalog:policy_sheet")).status_code == 200) is reads
    assert (client.get(reverse("catalog:policy_upload")).status_code == 200) is edits
    response = _post(user, entry, **{"award.rate": "0.5"})
    assert response.status_code == (302 if edits else 404)
    entry.refresh_from_db()
    assert (entry.revision == 2) is edits


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_read_only_view_names_every_choice_and_never_shows_its_id(
    seeded: None, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Every reader today may edit or propose; the read-only view is there for one who may do neither."""
    monkeypatch.setattr(editor, "may_propose", lambda user: False)
    entry = PolicyEntry.objects.get(key=RD)
    client = client_for(make_user("rita", Role.ORGANISER))
    client.cookies["django_language"] = lang
    page = client.get(reverse("catalog:entry", args=["policies", entry.pk])).content.decode()
    (facts,) = re.findall(r'<dl class="facts" id="entry-facts">(.*?)</dl>', page, re.S)
    shown = {html.unescape(dt): html.unescape(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts)}
    checked = 0
    with translation.override(lang):
        for f in editor.flat_fields(entry) or []:
            value = get(entry.data, f.path)
            if f.kind == "bool" and value is not None:
                yes, no = ("Yes", "No") if lang == "en" else ("是", "否")
                assert shown[f.label] == (yes if value else no)
            if f.kind not in ("choice", "choices") or not value:
                continue
            for choice in value if isinstance(value, list) else [value]:
                assert not re.search(rf"\b{choice}\b", shown[f.label]), (f.path, shown[f.label])
                assert str(CHOICES[choice]) in shown[f.label]
                checked += 1
    assert checked >= 4  # the level, the status, the award's kind and the spending it counts at least


def test_anonymous_visitors_are_sent_to_sign_in(seeded: None) -> None:
    response = client_for(None).get(reverse("catalog:home"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the policy spreadsheet -------------------------------------------------------------------------------------


def _sheet(user: Any) -> Any:
    response = client_for(user).get(reverse("catalog:policy_sheet"))
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(io.BytesIO(response.content))


def _upload(user: Any, wb: Any, name: str = "policies.xlsx", **extra: str) -> Any:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = name
    data = {"sheet": out, "change_source": "省工信厅通知（测试）", "change_as_of": "2026-12-01"} | extra
    return client_for(user).post(reverse("catalog:policy_upload"), data)


def _column(ws: Any, label: str) -> int:
    return next(i for i, c in enumerate(ws[1], start=1) if c.value == label)


def _row(ws: Any, key: str) -> int:
    column = _column(ws, "编号（小写字母、数字和下划线）")
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == key)


def test_the_downloaded_sheet_uploads_back_without_a_change(editor_user: Any) -> None:
    wb = _sheet(editor_user)
    ws = wb.active
    assert ws.max_row == PolicyEntry.objects.count() + 1
    response = _upload(editor_user, wb)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.errors
    assert len(result.rows) == PolicyEntry.objects.count()
    assert result.changes == []


def test_every_wrong_cell_is_reported_by_row_and_column_and_nothing_is_saved(editor_user: Any) -> None:
    wb = _sheet(editor_user)
    ws = wb.active
    rate, issued = _column(ws, "比例（0–1）"), _column(ws, "发布日期")
    r1, r2 = _row(ws, RD), _row(ws, "national_special_equipment_tax_credit")
    ws.cell(r1, rate).value = "2"
    ws.cell(r2, issued).value = "去年"
    ws.cell(r2, _column(ws, "层级")).value = "县级"
    response = _upload(editor_user, wb)
    assert response.status_code == 422
    errors = {(e.row, e.column, e.message) for e in response.context["result"].errors}
    assert (r1, "比例（0–1）", "不能大于 1") in errors
    assert (r2, "发布日期", "日期格式应为 2026-05-31，收到：去年") in errors
    assert any(e[0] == r2 and e[1] == "层级" and e[2].startswith("只能是以下之一：国家、省级") for e in errors)
    assert not EntryVersion.objects.exists()
    assert "catalog_policy_upload" not in client_for(editor_user).session


def test_an_unknown_column_is_an_error_not_silently_dropped(editor_user: Any) -> None:
    wb = _sheet(editor_user)
    ws = wb.active
    ws.cell(1, ws.max_column + 1).value = "补贴比例备注"
    response = _upload(editor_user, wb)
    (error,) = response.context["result"].errors
    assert error.row == 1
    assert error.column == "补贴比例备注"
    assert "表头不认识" in error.message


def test_a_sheet_of_some_columns_changes_those_and_keeps_the_rest(editor_user: Any) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["编号（小写字母、数字和下划线）", "比例（0–1）", "Document no."])
    ws.append([RD, 0.75, "财政部 税务总局公告2023年第7号"])
    response = _upload(editor_user, wb)
    assert response.status_code == 200
    (row,) = response.context["result"].changes
    assert row.changed == ["比例（0–1）"]
    assert response.context["diffs"]
    # the staged upload lives in the session of the client that uploaded it
    response = _apply_after_upload(editor_user, wb)
    assert response.status_code == 302
    entry = PolicyEntry.objects.get(key=RD)
    assert entry.data["award"]["rate"] == 0.75
    assert entry.data["summary_zh"]
    latest = editor.history(entry)[0]
    assert latest.via == "spreadsheet"
    assert latest.source == "省工信厅通知（测试）"
    assert "policies.xlsx" in latest.note


def _apply_after_upload(user: Any, wb: Any) -> Any:
    client = client_for(user)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "policies.xlsx"
    data = {"sheet": out, "change_source": "省工信厅通知（测试）", "change_as_of": "2026-12-01"}
    assert client.post(reverse("catalog:policy_upload"), data).status_code == 200
    return client.post(reverse("catalog:policy_upload"), {"action": "apply"})


def test_a_file_that_is_not_a_workbook_is_refused_with_the_reason(editor_user: Any) -> None:
    out = io.BytesIO(b"%PDF-1.4 not a sheet")
    out.name = "policies.xlsx"
    data = {"sheet": out, "change_source": "x", "change_as_of": "2026-12-01"}
    response = client_for(editor_user).post(reverse("catalog:policy_upload"), data)
    assert response.status_code == 422
    assert "请上传 Excel 工作簿" in response.content.decode()


def test_the_admin_keeps_the_version_history_too(editor_user: Any) -> None:
    from tests.web.catalog.conftest import entry_form

    editor_user.is_staff = True
    editor_user.save()
    entry = PolicyEntry.objects.get(key=RD)
    data = dict(entry.data)
    data["award"] = dict(data["award"], rate=0.8)

    form = entry_form(entry, data=json.dumps(data, ensure_ascii=False), source="admin test")
    response = client_for(editor_user).post(reverse("admin:catalog_policyentry_change", args=[entry.pk]), form)
    assert response.status_code == 302
    assert [v.via for v in editor.history(entry)] == ["admin", "seed"]


# --- cases ------------------------------------------------------------------------------------------------------


def _case_form(entry: Any, **changes: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in editor.flat_fields(entry) or []:
        value = get(entry.data, f.path)
        if f.path in changes:
            out[f.name] = changes[f.path]
        elif f.kind == "bool":
            if value:
                out[f.name] = "on"
        else:
            out[f.name] = as_text(f, value)
    return out | {"action": "save", "change_source": "原文复核", "change_as_of": "2026-12-01"}


def test_the_case_library_is_seeded_and_an_edited_case_is_what_plans_show(editor_user: Any) -> None:
    from wendao.engine.cases import cases_for

    entry = CaseEntry.objects.order_by("key").first()
    assert entry is not None
    assert CaseEntry.objects.count() == len(cases_for(active_catalog()))
    url = reverse("catalog:entry", args=["cases", entry.pk])
    response = client_for(editor_user).post(url, _case_form(entry, done_zh="复核后的做法说明（测试）"))
    assert response.status_code == 302
    case = next(c for c in cases_for(active_catalog()) if c.id == entry.key)
    assert case.done_zh == "复核后的做法说明（测试）"


def test_a_case_naming_an_unknown_scenario_is_refused_in_chinese(editor_user: Any) -> None:
    entry = CaseEntry.objects.order_by("key").first()
    assert entry is not None
    url = reverse("catalog:entry", args=["cases", entry.pk])
    response = client_for(editor_user).post(url, _case_form(entry, scenarios="no_such_scenario"))
    assert response.status_code == 422
    assert "知识库里没有这些场景：no_such_scenario" in response.content.decode()
    entry.refresh_from_db()
    assert entry.revision == 1


def test_a_new_policy_is_added_through_the_form_from_a_copy_of_another(editor_user: Any) -> None:
    source = PolicyEntry.objects.get(key=RD)
    blank = PolicyEntry(data={})
    data = _policy_form(source, id="test_new_policy", name_zh="测试新政策") | {
        "action": "save",
        "change_source": "测试",
        "change_as_of": "2026-12-01",
    }
    response = client_for(editor_user).post(reverse("catalog:policy_new"), data)
    assert response.status_code == 302
    entry = PolicyEntry.objects.get(key="test_new_policy")
    assert entry.name_zh == "测试新政策"
    assert [v.via for v in editor.history(entry)] == ["editor"]
    assert any(p.id == "test_new_policy" for p in active_catalog().policies)
    again = client_for(editor_user).post(reverse("catalog:policy_new"), data)
    assert again.status_code == 422
    assert "这个编号已经有了" in again.content.decode()
    empty = client_for(editor_user).post(reverse("catalog:policy_new"), _policy_form(blank) | {"action": "save"})
    assert empty.status_code == 422
    assert "中文名称</strong>：必须填写" in empty.content.decode()
