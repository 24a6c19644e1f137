"""Real browser, a repair from the phone call to the return visit (issue 9
acceptance), at 390 px and at a desk's 1280 px.

The front desk takes a 急修 by phone; the supervisor assigns tech1; tech1
accepts, arrives, quotes from the approved price list, the owner agrees, and
at completion signs on the phone's screen; butler1 finds the return visit in
the return-visit list."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core.choices import DepartmentKind
from core.models import Department, Membership
from repairs.choices import PriceListStatus, Status
from repairs.models import PriceItem, PriceList, WorkOrder
from residents import services as archive
from tests.builders import act_as, make_houses

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
PAYMENT = re.compile("收款|付款|支付|收费")


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
    """Nothing wider than the screen (the viewport's width: a phone may zoom out to fit)."""
    width = min(page.viewport_size["width"], page.evaluate("window.innerWidth"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def sign(page, canvas):
    """The owner's finger on the canvas: a zig-zag stroke (pointer down, moves, up)."""
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box and box["width"] > 50, "签字板没有宽度"
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x + step * 20, y + (25 if step % 2 else -25), steps=3)
    page.mouse.up()


def test_phone_repair_to_return_visit(
    screen, live_server, settings, clock, community, frontdesk, supervisor, manager, butler1, tech1
):
    page = screen
    house = make_houses(community, "1", actor=supervisor, butler=butler1, rooms=1)[0]
    archive.add_resident(house=house, relation="owner", actor=supervisor, name="张先生", mobile="13812345678")
    engineering = Department.objects.get(community=community, kind=DepartmentKind.ENGINEERING)
    Membership.objects.filter(user=tech1).update(department=engineering)
    prices = PriceList.objects.create(
        community=community, valid_from=dt.date(2026, 1, 1), status=PriceListStatus.APPROVED, drafted_by=manager
    )
    pipe = PriceItem.objects.create(price_list=prices, name="更换PPR水管", unit="m", unit_price=Decimal("12.25"))

    # The front desk takes the call.
    act_as(page, frontdesk, live_server, settings)
    page.goto(f"{live_server.url}/repairs/new/")
    no_horizontal_scroll(page)
    page.select_option("#id_source", label="电话报修")
    page.locator("#intake-form details summary").click()
    page.locator("input[name=conditions][value=pump_pipe]").check()
    page.select_option("#id_category", label="水")
    page.fill("#id_house_number", house.number)
    page.locator("#id_house_number").blur()
    expect(page.locator("#id_reporter")).to_have_value(re.compile(r"^\d+$"))  # the owner, chosen for the desk
    page.fill("#id_description", "卫生间进水表后水管爆裂，水流不止")
    no_horizontal_scroll(page)
    page.click("#intake-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("WX-2026-000001")
    expect(page.locator(".badge", has_text="急修")).to_be_visible()
    expect(page.locator("#conditions")).to_contain_text("水管爆裂")
    expect(page.locator("#order-facts")).to_contain_text("张先生")
    no_horizontal_scroll(page)
    order = WorkOrder.objects.get()
    assert order.number == "WX-2026-000001"
    detail = f"{live_server.url}/repairs/{order.pk}/"

    # The supervisor assigns tech1.
    act_as(page, supervisor, live_server, settings)
    page.goto(detail)
    no_horizontal_scroll(page)
    page.select_option("#id_dispatch-technician", label=tech1.display_name)
    page.click("#form-dispatch button[type=submit]")
    expect(page.locator("[data-status=dispatched]")).to_be_visible()
    expect(page.locator("#order-facts")).to_contain_text(tech1.display_name)
    no_horizontal_scroll(page)

    # tech1 on the phone: the list, accept, arrive, quote, the owner agrees.
    act_as(page, tech1, live_server, settings)
    page.goto(f"{live_server.url}/repairs/mine/")
    expect(page.locator("#todo")).to_contain_text(order.number)
    no_horizontal_scroll(page)
    page.click(f"#order-{order.pk}")
    expect(page.locator("h1")).to_contain_text(order.number)
    no_horizontal_scroll(page)

    page.click("#action-accept button[type=submit]")
    expect(page.locator("[data-status=accepted]")).to_be_visible()
    no_horizontal_scroll(page)

    page.check("#id_arrive-entry_agreed")
    page.click("#form-arrive button[type=submit]")
    expect(page.locator("[data-status=on_site]")).to_be_visible()
    no_horizontal_scroll(page)

    expect(page.locator("#form-quote")).to_be_visible()
    page.select_option("#id_quote-item_0", str(pipe.pk))
    page.fill("#id_quote-quantity_0", "2.5")
    page.click("#form-quote button[type=submit]")
    expect(page.locator("[data-status=quoting]")).to_be_visible()
    expect(page.locator("#quote-total")).to_have_text("¥30.63")
    no_horizontal_scroll(page)

    page.click("#action-agree button[type=submit]")
    expect(page.locator("[data-status=in_progress]")).to_be_visible()
    expect(page.locator("#quote")).to_contain_text("业主已确认 ¥30.63")
    no_horizontal_scroll(page)

    # 完工: the result, the owner's signature on the screen, the rating.
    form = page.locator("#form-done")
    expect(form).to_be_visible()
    page.fill("#id_done-result", "更换进水表后PPR水管2.5米，试水无渗漏")
    sign(page, form.locator("canvas.signature-pad"))
    expect(page.locator("#id_done-signature_data")).to_have_value(re.compile(r"^data:image/png;base64,"))
    expect(page.locator("#id_done-signature")).to_have_value("signed")
    page.select_option("#id_done-rating", label="满意")
    no_horizontal_scroll(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-status=confirmed]")).to_have_text("已验收")
    expect(page.locator("#quote-total")).to_have_text("¥30.63")
    expect(page.locator("#final-amount")).to_have_text("¥30.63")
    expect(page.get_by_text("业主已签字", exact=True)).to_be_visible()
    expect(page.get_by_text("评价 满意")).to_be_visible()
    expect(page.locator("#return-visits")).to_contain_text(butler1.display_name)
    buttons = page.locator("button, a.btn, input[type=submit]")
    expect(buttons.filter(has_text=PAYMENT)).to_have_count(0)
    no_horizontal_scroll(page)

    order.refresh_from_db()
    assert order.status == Status.CONFIRMED
    assert order.final_amount == Decimal("30.63")
    with order.signature_file.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"

    page.goto(f"{live_server.url}/repairs/mine/")
    expect(page.locator("#done-today")).to_contain_text(order.number)
    expect(page.locator("button, a.btn").filter(has_text=PAYMENT)).to_have_count(0)
    no_horizontal_scroll(page)

    # butler1 has the return visit due.
    act_as(page, butler1, live_server, settings)
    page.goto(f"{live_server.url}/visits/return-visits/")
    visits = page.locator("#return-visit-list")
    expect(visits).to_contain_text(order.number)
    expect(visits).to_contain_text(house.number)
    no_horizontal_scroll(page)
