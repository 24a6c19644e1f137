"""Real browser, a complaint from the phone call to the return visit (issue 8,
"Browser test"), at 390 px and at a desk's 1280 px.

The front desk takes an urgent phone complaint; the supervisor dispatches it to
butler1's department (客服部) and butler1; 49 hours pass on the test clock and
the escalation job runs; the manager finds the escalation in the inbox; butler1
answers the owner and closes the work (办结); the return visit is in butler1's
return-visit list."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from complaints import escalation
from complaints.models import Complaint
from core.choices import DepartmentKind
from core.models import Department, Membership
from tests.builders import act_as, make_houses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=list(WIDTHS))
def screen(request, browser, browser_context_args):
    width = request.param
    phone = width == "phone"
    context = browser.new_context(
        **{**browser_context_args, "viewport": WIDTHS[width], "is_mobile": phone, "has_touch": phone}
    )
    yield context.new_page()
    context.close()


def no_horizontal_scroll(page):
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_phone_complaint_to_return_visit(
    screen, live_server, settings, clock, community, frontdesk, supervisor, manager, butler1
):
    page = screen
    house = make_houses(community, "1", actor=supervisor, butler=butler1, rooms=1)[0]
    service = Department.objects.get(community=community, kind=DepartmentKind.SERVICE)
    Membership.objects.filter(user=butler1, community=community).update(department=service)

    act_as(page, frontdesk, live_server, settings)
    page.goto(f"{live_server.url}/complaints/new/")
    page.select_option("#id_channel", "phone")
    page.select_option("#id_urgency", "urgent")
    page.select_option("#id_category", "cleaning")
    page.fill("#id_house_number", house.number)
    page.fill("#id_reporter_name", "周先生")
    page.fill("#id_contact", "13800001234")
    page.fill("#id_description", "电梯厅有人呕吐，至今无人清理")
    no_horizontal_scroll(page)
    page.click("#intake-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("TS-2026-000001")
    expect(page.locator("#owner")).to_contain_text(frontdesk.display_name)
    expect(page.locator("[data-clock=ok]")).to_contain_text("答复剩 1天0小时")
    complaint = Complaint.objects.get()

    act_as(page, supervisor, live_server, settings)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    page.select_option("#id_dispatch-department", str(service.pk))
    page.select_option("#id_dispatch-handler", str(butler1.pk))
    page.click("#form-dispatch button[type=submit]")
    expect(page.locator("[data-status=dispatched]")).to_be_visible()
    no_horizontal_scroll(page)

    clock.now += dt.timedelta(hours=49)
    escalation.escalate_due()

    act_as(page, manager, live_server, settings)
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_text(f"仍未解决，报经理：{complaint.number}")).to_be_visible()

    act_as(page, butler1, live_server, settings)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    expect(page.locator("[data-clock=overdue]")).to_contain_text("答复超时")
    page.fill("#id_answer-reply", "已安排保洁立即清理，并加强电梯厅巡查")
    page.click("#form-answer button[type=submit]")
    expect(page.locator("[data-status=answered]")).to_be_visible()
    page.click("#action-resolve .card-header button")
    page.fill("#id_resolve-result", "已清理消毒，业主确认")
    page.select_option("#id_resolve-signature", "signed")
    page.click("#form-resolve button[type=submit]")
    expect(page.locator("[data-status=resolved]")).to_be_visible()
    expect(page.locator("#return-visits")).to_contain_text(butler1.display_name)
    no_horizontal_scroll(page)

    page.goto(f"{live_server.url}/visits/return-visits/")
    expect(page.get_by_text(house.number).first).to_be_visible()
    expect(page.get_by_text(complaint.number).first).to_be_visible()
