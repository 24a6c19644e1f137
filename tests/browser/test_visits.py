"""Real browser at 390 px: butler1 logs a door visit from today's list with an
opinion under 保洁 and a follow-up, the draft survives a reload and going
offline, the supervisor approves it, and the follow-up waits in butler1's inbox
(issue 5)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from residents import services as archive
from residents.models import House
from visits import services
from visits.models import FollowUp, Visit, VisitDraft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def planned_house(community, supervisor, butler1):
    building = archive.create_building(
        community=community, number="5", actor=supervisor, units=1, floors=6, rooms_per_floor=2, occupancy="occupied"
    )
    archive.assign_zone(community=community, butler=butler1, buildings=[building], actor=supervisor)
    house = House.objects.get(community=community, number="5-1-601")
    today = timezone.localdate()
    plan = services.create_monthly_plan(
        community=community, owner=butler1, year=today.year, month=today.month, houses=[house], actor=butler1
    )
    services.submit_plan(plan, actor=butler1)
    services.decide_plan(plan, actor=supervisor, approve=True)
    return house


def test_butler_logs_visit_with_draft_and_supervisor_approves(
    page, live_server, login_as, butler1, supervisor, planned_house
):
    yesterday_10 = (timezone.localdate() - dt.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    due = (timezone.localdate() + dt.timedelta(days=2)).strftime("%Y-%m-%dT18:00")
    login_as(butler1)
    page.goto(f"{live_server.url}/visits/today/")
    page.locator("#today-plan").get_by_role("link", name="5-1-601").click()
    expect(page.locator("#log-house")).to_have_text("5-1-601")
    expect(page.get_by_label("房号")).to_have_value("5-1-601")
    _no_horizontal_scroll(page)

    page.get_by_label("访问时间").fill(yesterday_10)
    page.get_by_label("意见类别").first.select_option(label="保洁")
    page.get_by_label("意见内容").first.fill("3号楼道垃圾清运不及时")
    expect(page.locator("#draft-status")).to_contain_text("草稿")
    page.reload()
    expect(page.get_by_label("意见内容").first).to_have_value("3号楼道垃圾清运不及时")
    expect(page.locator("#draft-status")).to_contain_text("已恢复")

    page.context.set_offline(True)
    page.get_by_label("需跟进事项（答应业主稍后答复的事）").fill("答复保洁清运时间调整")
    expect(page.locator("#draft-status")).to_contain_text("本机")
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#draft-status")).to_contain_text("已同步")
    assert VisitDraft.objects.get(user=butler1, house=planned_house).payload["follow_up"] == "答复保洁清运时间调整"

    page.get_by_label("答复期限").fill(due)
    page.get_by_label("业主签字").select_option(label="已签字")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已保存 5-1-601 的访问记录")).to_be_visible()
    expect(page.locator("#today-logged")).to_contain_text("5-1-601")
    expect(page.locator("#today-plan")).not_to_contain_text("5-1-601")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('visit-draft')).length") == 0
    assert not VisitDraft.objects.filter(user=butler1).exists()
    _no_horizontal_scroll(page)

    visit = Visit.objects.get(house=planned_house)
    follow_up = FollowUp.objects.get(visit=visit)
    assert visit.opinions.get().category == "cleaning"

    page.context.clear_cookies()
    login_as(supervisor)
    page.goto(f"{live_server.url}/visits/review/")
    row = page.locator(f"#review-{visit.pk}")
    expect(row).to_contain_text("3号楼道垃圾清运不及时")
    row.get_by_role("button", name="通过").click()
    expect(page.get_by_text("的访问记录已通过")).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == "approved" and visit.reviewed_by == supervisor

    page.context.clear_cookies()
    login_as(butler1)
    page.goto(f"{live_server.url}/inbox/")
    expect(page.locator("#reminder-list")).to_contain_text("答复保洁清运时间调整")
    assert timezone.now() < follow_up.due_at
