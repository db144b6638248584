"""An organiser runs a cohort: sign in, import the participant list (Excel), form discussion groups, read the
dashboard, re-rank pilot candidates with other weights, adopt a province target and follow its progress."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, join, make_enterprise, make_user
from tests.web.e2e.conftest import SCREENSHOTS
from wendao.web.accounts.models import Role
from wendao.web.enterprises import services
from wendao.web.insights.models import Target
from wendao.web.insights.progress import set_progress
from wendao.web.programmes.models import Participant, Programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IMPORTED = [
    ("潍坊示例齿轮传动有限公司（虚构）", "weifang", "C34", 260, 18000, "王工"),
    ("淄博示例化工新材料有限公司（虚构）", "zibo", "C26", 420, 56000, "李经理"),
    ("烟台示例食品有限公司（虚构）", "yantai", "C14", 150, 9000, "赵总"),
    ("青岛示例电子科技有限公司（虚构）", "qingdao", "C39", 90, 7000, "孙工"),
    ("济宁示例纺织有限公司（虚构）", "jining", "C17", 310, 15000, "周经理"),
    ("临沂示例木业有限公司（虚构）", "linyi", "C20", 120, 6000, "吴总"),
]


def _participant_workbook(path: Path) -> Path:
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = "参训企业"
    sheet.append(
        ["企业名称", "统一社会信用代码", "城市", "行业代码", "从业人员", "营业收入（万元）", "联系人", "手机", "邮箱"]
    )
    for i, (name, city, industry, employees, revenue, contact) in enumerate(IMPORTED):
        sheet.append([name, "", city, industry, employees, revenue, contact, f"1380000{i:04d}", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _cohort(programme: Programme) -> None:
    """Ten assessed 潍坊/淄博 firms already in the programme, seven with a plan; one marked an item deployed."""
    member = make_user("mei")
    firms = [make_enterprise(member if i == 0 else None, "weifang_machinery") for i in range(6)]
    firms += [make_enterprise(None, "zibo_chemical") for _ in range(4)]
    for i, firm in enumerate(firms):
        join(programme, firm)
        if i < 7:
            rec = services.create_plan(None, firm, services.plan_options({}))
            if i == 0 and rec.plan["items"]:
                set_progress(member, rec, rec.plan["items"][0]["scenario"], "deployed")


def test_an_organiser_imports_groups_and_follows_the_programme(
    live_server: Any, page: Any, shot: Any, tmp_path: Path
) -> None:
    programme = Programme.objects.create(name="第10期 人工智能赋能专题班")
    programme.organisers.add(make_user("olga", Role.ORGANISER))
    _cohort(programme)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "olga")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/programmes/")
    page.click(f"a[href='/programmes/{programme.pk}/']")
    expect(page).to_have_url(re.compile(rf"/programmes/{programme.pk}/$"))

    # import the participant list
    page.click(f"a[href='/programmes/{programme.pk}/import/']")
    page.set_input_files("#id_file", str(_participant_workbook(tmp_path / "名单.xlsx")))
    shot("organiser-01-import")
    page.click("#import-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/invitations/$"))
    expect(page.locator(".messages")).to_contain_text("已邀请 6 家企业")
    assert Participant.objects.filter(programme=programme).count() == 16
    assert Participant.objects.joined().filter(programme=programme).count() == 10  # invited, not joined yet

    # one invited contact sets a password from the link, signs in and accepts: only then does the firm join
    link = page.locator("#invitations input").first.input_value()
    contact = page.context.browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    contact.goto(link)
    contact.fill("#id_new_password1", "a new long secret 42")
    contact.fill("#id_new_password2", "a new long secret 42")
    contact.click("button[type=submit].primary")  # signed in at once, straight to the invitation
    expect(contact).to_have_url(re.compile(r"/programmes/invitations/$"))
    expect(contact.locator(".invitation h2")).to_contain_text(programme.name)
    expect(contact.locator(".invitation")).to_contain_text("只读查看")
    contact.screenshot(path=str(SCREENSHOTS / "organiser-01b-invitation-phone.png"), full_page=True)
    contact.click(".invitation button[value=accept]")
    expect(contact.locator(".messages")).to_contain_text("已加入")
    contact.context.close()
    assert Participant.objects.joined().filter(programme=programme).count() == 11

    # discussion groups of about 5
    page.click(f"a[href='/programmes/{programme.pk}/groups/']")
    page.fill("#id_size", "5")
    page.click("#group-form button[type=submit]")
    expect(page.locator("#group-summary")).to_be_visible()
    # only the 11 firms that joined are grouped (a pending or declined firm is not the organiser's to place): two
    # or three groups of about 5
    assert page.locator("#group-summary tbody tr").count() >= 2
    expect(page.locator("#grouping-balance")).to_contain_text("分组兼顾三点")  # a sentence, not the objective
    expect(page.locator("#groups")).not_to_contain_text("目标值")
    shot("organiser-02-groups")
    page.set_viewport_size({"width": 390, "height": 844})
    shot("organiser-02b-groups-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # dashboard: 16 participants, 潍坊 shown (6 assessed), the heat map drawn, median column present
    page.click(f"a[href='/insights/programmes/{programme.pk}/']")
    expect(page.locator("#totals")).to_contain_text("16")
    expect(page.locator("#maturity-city thead")).to_contain_text("中位数")
    expect(page.locator("#maturity-city tbody")).to_contain_text("潍坊")
    expect(page.locator("#chart-city canvas").first).to_be_visible()
    expect(page.locator("#chart-heat canvas").first).to_be_visible()
    shot("organiser-03-dashboard")

    # pilot ranking, then weights on foundation only: the order follows the foundation column
    page.click(f"a[href='/insights/programmes/{programme.pk}/pilots/']")
    expect(page.locator("#pilots tbody tr")).to_have_count(11)  # joined firms only
    page.click("#pilot-weights summary")  # the weights fold under the current ones (the page fits a phone)
    page.fill("#id_foundation", "1")
    page.fill("#id_willingness", "0")
    page.fill("#id_demonstration", "0")
    page.click("#pilot-weights button[type=submit]")
    expect(page).to_have_url(re.compile(r"foundation=1"))
    foundation = [float(t) for t in page.locator("#pilots tbody tr td:nth-child(6)").all_inner_texts()]
    assert foundation == sorted(foundation, reverse=True)
    shot("organiser-04-pilots")

    # targets: adopt the province's high-value preset, scale it to the cohort, see progress
    page.click(f"a[href='/insights/programmes/{programme.pk}/targets/']")
    expect(page.locator("#presets")).to_contain_text("李梦瑶")
    page.click("a[href$='?preset=province_high_value']")
    expect(page.locator("#id_value")).to_have_value("100")
    page.fill("#id_value", "0")
    page.click("#target-form button[type=submit]")
    expect(page.locator("#field-value .errors")).to_contain_text("目标值须大于 0")
    shot("organiser-05-target-error")
    page.fill("#id_value", "5")
    page.fill("#id_parameter", "0")
    page.click("#target-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/targets/$"))
    row = page.locator("#targets tbody tr[data-metric='high_value_deployed']")
    expect(row.locator(".current")).to_contain_text("1")
    expect(row).to_contain_text("20.0%")
    page.click("#new-target")
    page.select_option("#id_metric", "enterprises_with_plan")
    page.fill("#id_value", "16")
    page.fill("#id_due_date", "2027-06-30")
    page.fill("#id_source", "本期班目标：每家企业带回一份规划")
    page.click("#target-form button[type=submit]")
    plans = page.locator("#targets tbody tr[data-metric='enterprises_with_plan']")
    expect(plans.locator(".current")).to_contain_text("7")
    shot("organiser-06-targets")
    assert Target.objects.filter(programme=programme).count() == 2
    with page.expect_download() as download:
        page.click(f"a[href='/insights/programmes/{programme.pk}/targets.csv']")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "已上线的高价值场景数" in text
    assert len(text.strip().splitlines()) == 3
