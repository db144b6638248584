"""A participant's training week on a phone (390×844): sign in from a QR link, see the week, set visit preferences, take part in
a three-round evening discussion with two other members and a facilitator (on a desktop or projector, 1280×900),
and mark the plan final. Every page is checked for sideways scrolling and photographed at both widths."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import expect

from tests.web.conftest import PASSWORD, join, make_enterprise, make_user
from tests.web.e2e.conftest import SCREENSHOTS
from wendao.web.accounts.models import Role
from wendao.web.enterprises import services
from wendao.web.programmes import signin, workspace
from wendao.web.programmes.models import (
    Commitment,
    DiscussionGroup,
    GroupMembership,
    Participant,
    Programme,
    Session,
    VisitPreference,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _week() -> dict[str, Any]:
    programme = Programme.objects.create(
        name="第10期 人工智能赋能专题班（虚构）", ends_on=timezone.localdate() + dt.timedelta(days=4)
    )
    programme.organisers.add(make_user("olga", Role.ORGANISER))
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    alice.set_unusable_password()  # the import made alice's account and she set no password: her link signs her in
    alice.save()
    firms = [make_enterprise(alice), make_enterprise(bob, "zibo_chemical"), make_enterprise(carol, "zibo_chemical")]
    for firm, name in zip(
        firms,
        ["青岛示例装备有限公司（虚构）", "淄博示例化工有限公司（虚构）", "烟台示例材料有限公司（虚构）"],
        strict=True,
    ):
        firm.name = name
        firm.save(update_fields=["name"])
    services.create_plan(alice, firms[0], services.plan_options({}))
    fay = make_user("fay")
    fay.first_name = "助教 王老师"
    fay.save()
    group = DiscussionGroup.objects.create(programme=programme, number=1, facilitator=fay)
    people = [
        join(programme, firms[0], contact_name="王丽", phone="13900000001", account=alice, account_created=True),
        join(programme, firms[1], contact_name="李强", phone="13900000002", share_phone=True),
        join(programme, firms[2], contact_name="赵敏", phone="13900000003"),
    ]
    for p in people:
        GroupMembership.objects.create(group=group, participant=p)
    today = timezone.localdate()

    def at(days: int, hh: int, mm: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hh, mm)))

    rows = [
        (0, 9, 12, "lecture", "人工智能赋能制造业：政策与路径（一个很长的讲座名称，看看手机上怎么换行）", "主会场", "某高校教授（虚构）"),
        (0, 19, 21, "discussion", "晚间分组研讨", "各组研讨室", ""),
        (1, 9, 12, "site_visit", "参观点A：济南某智能工厂（虚构）", "济南高新区", "某智能工厂（虚构）"),
        (1, 9, 12, "site_visit", "参观点B：青岛某家电灯塔工厂（虚构）", "青岛崂山区", "某家电企业（虚构）"),
        (2, 9, 11, "plenary", "成果展示", "主会场", ""),
    ]  # fmt: skip
    for days, start, end, kind, title, place, host in rows:
        Session.objects.create(
            programme=programme, kind=kind, title=title, starts_at=at(days, start), ends_at=at(days, end),
            location=place, host=host, capacity=20 if kind == "site_visit" else None,
        )  # fmt: skip
    return {"programme": programme, "group": group, "people": people, "bob": bob, "carol": carol}


def _sign_in(browser: Any, url: str, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(locale="zh-CN", viewport=viewport).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    return page


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_participant_lives_the_training_week_on_a_phone(live_server: Any, chromium: Any) -> None:
    w = _week()
    alice_p, bob_p, carol_p = w["people"]
    group: DiscussionGroup = w["group"]

    # alice scans the QR code on her table card: one tap signs her in, straight to her week
    link = signin.issue(None, alice_p)
    phone = chromium.new_context(locale="zh-CN", viewport=PHONE).new_page()
    phone.set_default_timeout(15_000)
    phone.goto(f"{live_server.url}{signin.link_path(link)}")
    expect(phone.locator("#signin-link")).to_contain_text("王丽")
    _shot(phone, "week-00-signin-link-phone")
    phone.click("#signin-confirm")
    expect(phone).to_have_url(re.compile(rf"/programmes/me/{alice_p.pk}/$"))
    expect(phone.locator("#today")).to_contain_text("人工智能赋能制造业")
    expect(phone.locator("#my-group")).to_contain_text("李强")
    expect(phone.locator("#my-group")).to_contain_text("13900000002")  # bob shares his number
    expect(phone.locator("#my-group")).not_to_contain_text("13900000003")  # carol does not
    expect(phone.locator("#my-plan")).to_contain_text("晚间小组讨论")  # the next thing to do
    expect(phone.locator(".ask-box")).to_be_visible()  # the ask box of the enterprise pages, here too
    _no_sideways_scroll(phone)
    _shot(phone, "week-01-my-week-phone")

    # visit preferences: B first, A second; the organiser's allocation reads them
    phone.select_option("#id_choice_1", label="参观点B：青岛某家电灯塔工厂（虚构）")
    phone.select_option("#id_choice_2", label="参观点A：济南某智能工厂（虚构）")
    phone.click("#preferences button[type=submit]")
    expect(phone.locator(".messages")).to_contain_text("参观志愿已保存")
    ranked = VisitPreference.objects.filter(participant=alice_p).order_by("rank")
    assert [p.session.title[:4] for p in ranked] == ["参观点B", "参观点A"]

    # the facilitator opens the workspace on a projector
    projector = _sign_in(chromium, live_server.url, "fay", DESKTOP)
    projector.goto(f"{live_server.url}/programmes/workspace/{group.pk}/")
    expect(projector.locator("#runner")).to_be_visible()
    expect(projector.locator("#summary-pdf")).to_be_visible()  # the summary for the organiser, Word or PDF

    # round 1: alice states her problem, prefilled from her profile's needs; bob and carol state theirs
    phone.click("#to-workspace")
    expect(phone.locator("#my-problem")).to_have_value(re.compile("停机"))
    phone.click("#state-problem")
    workspace.state_problem(w["bob"], bob_p, "排产靠Excel，插单一多就乱")
    workspace.state_problem(w["carol"], carol_p, "质检靠人眼，漏检多")
    expect(projector.locator(f"#seat-{bob_p.pk} .problem")).to_contain_text("排产", timeout=10_000)  # polled
    expect(projector.locator(f"#seat-{alice_p.pk} .problem")).to_contain_text("停机")
    _no_sideways_scroll(phone)
    _shot(phone, "week-02-workspace-round1-phone")

    # round 2: the facilitator moves on; comment forms appear on the phone's board without a reload
    projector.click("#runner button[name=round][value='2']")
    expect(phone.locator(f"#comment-box-{bob_p.pk}")).to_be_visible(timeout=10_000)
    expect(phone.locator(f"#comment-box-{alice_p.pk}")).to_have_count(0)  # no advice to oneself
    phone.click(f"#comment-box-{bob_p.pk} summary")
    phone.fill(f"#comment-{bob_p.pk}", "先把订单和产能放到一张表上，再谈智能排产")
    phone.click(f"#comment-form-{bob_p.pk} button[type=submit]")
    expect(phone.locator(f"#seat-{bob_p.pk} .comments")).to_contain_text("智能排产")
    expect(phone.locator(f"#comment-{bob_p.pk}")).to_have_value("")  # cleared once saved
    projector.click(f"#comment-box-{alice_p.pk} summary")
    projector.fill(f"#comment-{alice_p.pk}", "问问专家：预测性维护要多少数据？")
    projector.click(f"#comment-form-{alice_p.pk} button[type=submit]")
    expect(phone.locator(f"#seat-{alice_p.pk} .comments")).to_contain_text("预测性维护", timeout=10_000)
    projector.fill("#group-questions", "设备联网的补贴怎么申请？")
    expect(projector.locator("#notes-form .saved-state")).to_contain_text("已保存")
    _shot(phone, "week-03-workspace-round2-phone")

    # round 3: alice commits to her first three steps (autosaved as she types)
    projector.click("#runner button[name=round][value='3']")
    steps = ["盘点最常停机的五台设备", "给这五台设备装上数据采集", "三个月后评估预测性维护"]
    for i, step in enumerate(steps, 1):
        phone.fill(f"#step-{i}", step)
    expect(phone.locator("#steps-form .saved-state")).to_contain_text("已保存")
    expect(projector.locator(f"#seat-{alice_p.pk} .steps-list")).to_contain_text(steps[2], timeout=10_000)
    assert list(Commitment.objects.filter(participant=alice_p).values_list("text", flat=True)) == steps
    # her second step names a scenario of her plan, and she agrees to pin it in her next plan
    pinned = str(alice_p.enterprise.plans.first().plan["items"][0]["scenario"])
    phone.select_option("#step-scenario-2", value=pinned)
    phone.check("#step-pin-2")
    for _ in range(50):  # the autosave lands within a second or two (the page's text says 已保存 already)
        try:
            if Commitment.objects.filter(participant=alice_p, position=2, scenario=pinned, pinned_at__isnull=False):
                break
        except OperationalError:  # in-memory SQLite: the live server's thread is writing the table right now
            pass
        phone.wait_for_timeout(200)
    assert Commitment.objects.get(participant=alice_p, position=2).pinned_by == alice_p.account
    services.create_plan(alice_p.account, alice_p.enterprise, services.plan_options({}))  # her next plan
    _no_sideways_scroll(phone)
    _shot(phone, "week-04-workspace-round3-phone")
    _shot(projector, "week-05-workspace-projector-desktop")

    # the last day: alice marks her plan final from her week
    phone.click("a:has-text('我的培训周')")
    expect(phone.locator("#my-steps")).to_contain_text("给这五台设备装上数据采集")
    phone.click("#final button.primary")
    expect(phone.locator(".messages")).to_contain_text("规划已定稿")
    alice_p.refresh_from_db()
    assert alice_p.final_plan is not None
    _no_sideways_scroll(phone)
    _shot(phone, "week-06-final-phone")
    phone.click("#to-one-page")
    expect(phone.locator("#one-page")).to_contain_text("给这五台设备装上数据采集")
    _no_sideways_scroll(phone)
    _shot(phone, "week-06b-one-page-phone")
    phone.go_back()
    phone.click("a:has-text('查看最新规划')")
    expect(phone.locator("h1").first).to_be_visible()
    _no_sideways_scroll(phone)
    # every table reads within its card (stacked cards on a phone), none scrolls sideways inside it; the
    # stacking script runs after the page (and the plan body htmx swaps in) is there: wait for it, not a timer
    # polled from Python: wait_for_function polls by evaluating a string, which the page's CSP (no unsafe-eval)
    # refuses once the first check is false
    stacked = False
    for _ in range(200):
        stacked = phone.evaluate(
            "[...document.querySelectorAll('.card table')].every(t => !t.tHead || t.classList.contains('stacked')"
            " || t.classList.contains('no-stack') || t.classList.contains('stack-table'))"
        )
        if stacked:
            break
        phone.wait_for_timeout(50)
    assert stacked, "the phone's tables were never stacked"
    wide = phone.evaluate(
        "[...document.querySelectorAll('.card table')].filter(t => t.scrollWidth > t.closest('.card').clientWidth)"
        ".map(t => t.closest('section') ? t.closest('section').id : '?')"
    )
    assert wide == [], wide
    expect(phone.locator("#choices")).to_contain_text("小组讨论中承诺的前三步")
    expect(phone.locator("#gantt svg")).to_be_visible()  # the roadmap chart, a readable row per item
    assert phone.evaluate("document.getElementById('gantt').clientHeight") >= 52 * len(
        alice_p.enterprise.plans.first().plan["items"]
    )
    _shot(phone, "week-06c-plan-phone")
    phone.go_back()

    # the organiser's evening: every group's progress on one page, at both widths
    organiser = _sign_in(chromium, live_server.url, "olga", DESKTOP)
    organiser.goto(f"{live_server.url}/programmes/{w['programme'].pk}/evening/")
    expect(organiser.locator("#evening tbody tr").first).to_contain_text("第三轮")
    _shot(organiser, "week-07-evening-desktop")
    organiser.set_viewport_size(PHONE)
    organiser.reload()
    _no_sideways_scroll(organiser)
    _shot(organiser, "week-08-evening-phone")
    organiser.set_viewport_size(DESKTOP)
    organiser.goto(f"{live_server.url}/programmes/{w['programme'].pk}/finals/")
    expect(organiser.locator("#finals-groups")).to_contain_text("青岛示例装备有限公司")
    _shot(organiser, "week-08b-finals-desktop")
    # the organiser adds the closing ceremony to the timetable; the participant sees it on the next load
    organiser.set_viewport_size(DESKTOP)
    organiser.goto(f"{live_server.url}/programmes/{w['programme'].pk}/timetable/")
    organiser.select_option("#id_kind", "plenary")
    organiser.fill("#id_title", "结业式")
    organiser.fill("#id_starts_at", (timezone.localdate() + dt.timedelta(days=2)).isoformat() + "T11:30")
    organiser.fill("#id_location", "主会场")
    organiser.click("#session-form button[type=submit]")
    expect(organiser.locator("#timetable")).to_contain_text("结业式")
    _shot(organiser, "week-10-timetable-desktop")
    organiser.set_viewport_size(PHONE)
    organiser.reload()
    _no_sideways_scroll(organiser)
    _shot(organiser, "week-11-timetable-phone")
    phone.reload()
    expect(phone.locator("#timetable")).to_contain_text("结业式")
    # the week at desktop width too
    phone.set_viewport_size(DESKTOP)
    phone.reload()
    _shot(phone, "week-09-my-week-desktop")
    assert Participant.objects.filter(final_at__isnull=False).count() == 1
