"""Real browser at 390 px, fees from the statement to the receipt (issue 10
acceptance): finance issues the month's checked statements; when the collection
round opens, butler1 finds the household on the call list, records a call whose
reason is 物业服务问题 (a complaint is opened), takes a WeChat payment and
prints the receipt; cash taken at the door waits on the hand-over list until
finance confirms it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from complaints.models import Complaint
from fees import collection, payments, services, statements
from fees.models import CollectionCall, CollectionTask, Payment, Receipt, Statement
from residents import services as archive
from tests.builders import act_as, at, make_houses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
# The print view calls window.print() on load; the test counts the calls instead of opening a dialog.
COUNT_PRINTS = "window.print = () => { window.__prints = (window.__prints || 0) + 1; };"


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH + 1, page.url


def test_phone_statement_to_call_to_wechat_receipt(
    page, live_server, settings, clock, community, supervisor, manager, butler1, finance
):
    assert page.viewport_size["width"] == PHONE_WIDTH
    house = make_houses(community, "1", actor=supervisor, butler=butler1, rooms=1)[0]
    house.floor_area, house.handover_date = Decimal("89.50"), dt.date(2025, 6, 1)
    house.save(update_fields=["floor_area", "handover_date"])
    archive.add_resident(house=house, relation="owner", actor=supervisor, name="张先生", mobile="13812345678")
    item = next(i for i in services.items_for(community) if i.name == "物业服务费")
    services.set_rate(item, actor=manager, unit_price="2.35", valid_from=dt.date(2026, 1, 1))
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    statement = Statement.objects.get(house=house)
    statements.check_statement(statement, actor=butler1)

    # Finance issues February's checked statements.
    act_as(page, finance, live_server, settings)
    page.goto(f"{live_server.url}/fees/statements/?month=2026-02")
    expect(page.locator("#statements")).to_contain_text(house.number)
    no_horizontal_scroll(page)
    page.get_by_role("button", name=re.compile("发出已核对的 1 张")).click()
    expect(page.locator(".alert-success")).to_contain_text("已发出 1 张对账单")
    expect(page.locator("#statements")).to_contain_text("已发出")
    no_horizontal_scroll(page)
    statement.refresh_from_db()
    assert statement.status == "issued" and statement.amount_due == Decimal("210.33")

    # 16 February: nothing paid by the 10th, the monthly round opens.
    clock.now = at(2026, 2, 16, 9)
    assert collection.open_due_rounds() == 1
    task = CollectionTask.objects.get()

    # butler1 finds the call list in the menu.
    act_as(page, butler1, live_server, settings)
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="展开菜单").click()
    page.locator("#main-nav").get_by_role("button", name="收费").click()
    page.locator("#main-nav").get_by_role("link", name="催缴任务").click()
    card = page.locator(f"#task-{task.pk}")
    expect(card).to_contain_text(house.number)
    expect(card).to_contain_text("¥210.33")
    expect(card).to_contain_text("待联系")
    no_horizontal_scroll(page)

    # The call: the owner says a service problem holds the payment back.
    card.get_by_role("link", name="登记催收").click()
    expect(page.locator("h1")).to_contain_text(house.number)
    no_horizontal_scroll(page)
    page.select_option("#id_channel", label="电话")
    page.fill("#id_person_reached", "张先生")
    page.check("#id_statement_received_0")
    page.fill("#id_answer", "楼道灯坏了一个月没人修，修好再交")
    page.fill("#id_promised_date", "2026-02-28")
    page.select_option("#id_reason", label="物业服务问题")
    page.fill("#id_next_step", "跟进投诉处理后回访")
    no_horizontal_scroll(page)
    page.click("#call-form button[type=submit]")
    link = page.locator("#call-complaint")
    expect(link).to_be_visible()
    complaint = Complaint.objects.get()
    call = CollectionCall.objects.get()
    expect(link).to_have_text(complaint.number)
    assert call.complaint == complaint and complaint.owner == butler1 and complaint.house == house
    assert list(complaint.collection_calls.all()) == [call]
    expect(card).to_contain_text("已联系")
    expect(card).to_contain_text("物业服务问题")
    no_horizontal_scroll(page)
    link.click()
    expect(page.locator("h1")).to_contain_text(complaint.number)

    # The owner pays by WeChat; butler1 records it and prints the receipt.
    page.go_back()
    page.locator(f"#task-{task.pk}").get_by_role("link", name="收款").click()
    expect(page.locator("h1")).to_contain_text(house.number)
    no_horizontal_scroll(page)
    expect(page.locator("#id_amount")).to_have_value("210.33")
    page.select_option("#id_method", label="微信")
    page.fill("#id_payer", "张先生")
    page.fill("#id_reference", "4200001234202602160001")
    page.click("#payment-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("SJ-2026-000001")
    expect(page.locator("#receipt-amount")).to_have_text("¥210.33")
    no_horizontal_scroll(page)
    payment = Payment.objects.get()
    assert (payment.method, payment.amount, payment.handover_due) == ("wechat", Decimal("210.33"), False)

    page.add_init_script(COUNT_PRINTS)
    page.get_by_role("button", name="打印").click()
    expect(page.locator("body")).to_contain_text("No. SJ-2026-000001")
    page.wait_for_function("window.__prints === 1")
    assert Receipt.objects.get(payment=payment).printed == 1

    # Cash butler1 took at the door stays on the hand-over list until finance confirms it.
    cash = payments.record_payment(house=house, actor=butler1, amount="100.00", method="cash", payer="张先生")
    page.goto(f"{live_server.url}/fees/handover/")
    expect(page.locator("#handover-total")).to_contain_text("¥100.00")
    no_horizontal_scroll(page)
    act_as(page, finance, live_server, settings)
    page.goto(f"{live_server.url}/fees/handover/")
    group = page.locator(f"#collector-{butler1.pk}")
    expect(group).to_contain_text(cash.receipt.number)
    no_horizontal_scroll(page)
    group.locator(f"#handover-{cash.pk}").check()
    group.get_by_role("button", name="确认收到").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认收到 1 笔现金，合计 ¥100.00。")
    expect(page.locator("#handover-empty")).to_be_visible()
    no_horizontal_scroll(page)
    cash.refresh_from_db()
    assert cash.handed_over_to == finance
