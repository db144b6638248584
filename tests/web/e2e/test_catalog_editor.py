"""A catalog editor changes a policy in the site's own editor, previews what the change does to plans, and saves
it as a new version. Screenshots under artifacts/screenshots/catalog-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, make_user
from tests.web.e2e.conftest import SCREENSHOTS, sign_in
from wendao.web.accounts.models import Role
from wendao.web.catalog.models import EntryVersion, PolicyEntry
from wendao.web.catalog.services import seed_catalog

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RD = "national_rd_super_deduction"


def test_a_catalog_editor_changes_a_policy_and_sees_the_plans_it_changes(
    live_server: Any, page: Any, shot: Any
) -> None:
    seed_catalog()
    make_user("erin", Role.CATALOG_EDITOR)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.click("#nav-catalog")
    expect(page.locator("h1")).to_have_text("知识库")
    entry = PolicyEntry.objects.get(key=RD)
    page.fill("#q", "研发费用")
    page.click("form.search button[type=submit]")
    page.click(f"a[href='/catalog/policies/{entry.pk}/']")
    expect(page.locator("h1")).to_contain_text(entry.name_zh)

    # a wrong figure first: named beside its field, in Chinese, and nothing is saved
    page.fill("#f-award-rate", "1.5")
    page.fill("#change_source", "财政部 税务总局公告2023年第7号（演示修改）")
    page.click("#save-button")
    expect(page.locator("#entry-errors")).to_contain_text("比例（0–1）：不能大于 1")
    expect(page.locator("#f-award-rate")).to_have_value("1.5")
    shot("catalog-invalid")

    page.fill("#f-award-rate", "0.5")
    page.click("#preview-button")
    preview = page.locator("#plan-preview")
    expect(preview).to_be_visible(timeout=60_000)
    expect(page.locator("#preview-summary")).to_contain_text("份方案会改变")
    weifang = preview.locator("tr.changed", has_text="潍坊")
    expect(weifang).to_have_count(1)
    expect(weifang.locator(".before").first).to_be_visible()
    shot("catalog-preview")
    assert PolicyEntry.objects.get(key=RD).revision == 1  # previewed, not saved

    page.click("#save-button")
    expect(page.locator(".messages")).to_contain_text("已保存为第 2 版")
    expect(page.locator("table.versions tbody tr")).to_have_count(2)
    expect(page.locator("table.versions tbody tr").first).to_contain_text("erin")
    shot("catalog-saved")
    version = EntryVersion.objects.get(key=RD, revision=2)
    assert version.data["award"]["rate"] == 0.5


def test_a_catalog_editor_uploads_a_policy_sheet_and_sees_each_wrong_cell(
    live_server: Any, page: Any, shot: Any, tmp_path: Any
) -> None:
    from openpyxl import Workbook

    seed_catalog()
    make_user("erin", Role.CATALOG_EDITOR)
    wb = Workbook()
    ws = wb.active
    ws.append(["编号（小写字母、数字和下划线）", "比例（0–1）", "发布日期", "补贴比例备注"])
    ws.append([RD, 2, "去年", "x"])
    bad = tmp_path / "policies.xlsx"
    wb.save(bad)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/catalog/policies/upload/")
    page.set_input_files("#sheet", str(bad))
    page.fill("#change_source", "省工信厅通知（演示）")
    page.click("#check-button")
    result = page.locator("#upload-result")
    expect(result).to_contain_text("什么都没有保存")
    expect(result).to_contain_text("补贴比例备注")
    expect(result).to_contain_text("不能大于 1")
    expect(result).to_contain_text("日期格式应为 2026-05-31，收到：去年")
    shot("catalog-upload-errors")

    ws.delete_cols(3, 2)
    ws.cell(2, 2).value = 0.5
    good = tmp_path / "policies-fixed.xlsx"
    wb.save(good)
    page.set_input_files("#sheet", str(good))
    page.fill("#change_source", "省工信厅通知（演示）")
    page.click("#check-button")
    expect(page.locator("#plan-preview")).to_be_visible(timeout=60_000)
    shot("catalog-upload-preview")
    page.click("#apply-button")
    expect(page.locator(".messages")).to_contain_text("已导入 1 条政策")
    assert EntryVersion.objects.get(key=RD, revision=2).via == "spreadsheet"


def test_an_organiser_proposes_a_policy_change_and_an_editor_accepts_it(
    live_server: Any, page: Any, chromium: Any, shot: Any
) -> None:
    seed_catalog()
    make_user("olga", Role.ORGANISER)
    make_user("erin", Role.CATALOG_EDITOR)
    base = live_server.url
    entry = PolicyEntry.objects.get(key=RD)
    sign_in(page, base, "olga")
    page.goto(f"{base}/catalog/policies/{entry.pk}/")
    expect(page.locator("#proposal-notice")).to_contain_text("作为建议提交")
    expect(page.locator("#save-button")).to_have_count(0)
    page.fill("#f-award-rate", "0.5")
    page.fill("#change_source", "财政部 税务总局公告2023年第7号（演示建议）")
    page.fill("#note", "按原文核对")
    page.click("#propose-button")
    expect(page.locator(".messages")).to_contain_text("已提交修改建议")
    expect(page.locator("#proposal-status")).to_contain_text("待审核")
    expect(page.locator("#proposal-changes")).to_contain_text("0.5")
    shot("catalog-proposal-submitted")
    assert PolicyEntry.objects.get(key=RD).revision == 1

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    editor_page = context.new_page()
    editor_page.set_default_timeout(15_000)
    sign_in(editor_page, base, "erin")
    editor_page.goto(f"{base}/catalog/")
    expect(editor_page.locator("#proposals-link")).to_contain_text("1 条待审核")
    editor_page.click("#proposals-link")
    editor_page.click("#proposal-table a")
    editor_page.click("#preview-button")
    expect(editor_page.locator("#plan-preview")).to_be_visible(timeout=60_000)
    editor_page.fill("#review_note", "已核对原文")
    editor_page.click("#accept-button")
    expect(editor_page.locator(".messages")).to_contain_text("已采纳，保存为第 2 版")
    editor_page.screenshot(path=str(SCREENSHOTS / "catalog-proposal-accepted.png"), full_page=True)
    context.close()
    version = EntryVersion.objects.get(key=RD, revision=2)
    assert version.via == "proposal"
    assert "olga" in version.note

    page.reload()
    expect(page.locator("#proposal-status")).to_contain_text("已采纳")


def test_the_file_picker_reads_in_the_pages_language(live_server: Any, page: Any, tmp_path: Any) -> None:
    seed_catalog()
    make_user("erin", Role.CATALOG_EDITOR)
    sign_in(page, live_server.url, "erin")
    page.goto(f"{live_server.url}/catalog/policies/upload/")
    picker = page.locator(".file-pick")
    expect(picker.locator(".file-pick-button")).to_have_text("选择文件")
    expect(picker.locator(".file-pick-name")).to_have_text("未选择文件")
    sheet = tmp_path / "政策.xlsx"
    sheet.write_bytes(b"PK")
    page.set_input_files("#sheet", str(sheet))
    expect(picker.locator(".file-pick-name")).to_have_text("政策.xlsx")
    assert "Choose" not in picker.inner_text()
