"""Real browser, the front desk's visitor register (issue 7, "Browser test").

At a desk (1280 px) the clerk registers a walk-in visitor with the keyboard
alone: the ID number has the focus, the required fields are reached within 8
Tab stops, Enter saves. On the phone (390 px, no horizontal scroll) the visitor
is on today's board and leaves in one click. A watchlisted ID warns while typing
and on saving, and a supervisor's password admits them; a repeat visitor's ID
brings back their name."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from residents import services as archive
from tests.builders import act_as
from tests.factories import TEST_PASSWORD
from tests.visits.conftest import make_houses
from visits import passes, visitors
from visits.choices import EntryStatus, OverrideMethod
from visits.models import VisitorEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
TAB_BUDGET = 8
WALK_IN_ID = "110105198001010016"
WATCHLISTED_ID = "310115199002151237"
REPEAT_ID = "440305198511204563"


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.fixture
def desktop(browser, browser_context_args):
    """A desktop-width page (the counter's PC) beside the 390 px `page`."""
    context = browser.new_context(
        **{**browser_context_args, "viewport": DESKTOP, "is_mobile": False, "has_touch": False}
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def houses(community, manager, butler1):
    """1-1-101 and 1-1-102 in butler1's zone."""
    return make_houses(community, "1", actor=manager, butler=butler1, rooms=2)


def _focused(page):
    return page.evaluate("document.activeElement ? document.activeElement.name || document.activeElement.id : null")


def _open_register(page, live_server):
    page.goto(f"{live_server.url}/visits/frontdesk/register/")
    assert page.evaluate("window.innerWidth") == DESKTOP["width"]
    expect(page.locator("#id_id_number")).to_be_focused()


def _tab_through(page, values):
    """From the focused field, press only Tab; type `values[name]` when the focus
    reaches that field. Returns the Tab stops visited (field names)."""
    pending, stops = dict(values), []
    while pending:
        page.keyboard.press("Tab")
        stops.append(_focused(page))
        if stops[-1] in pending:
            page.keyboard.type(pending.pop(stops[-1]))
        assert len(stops) <= TAB_BUDGET, f"{list(pending)} not reached in {TAB_BUDGET} Tab stops: {stops}"
    return stops


def test_walk_in_registered_by_keyboard_then_leaves_from_the_phone_board(
    page, desktop, live_server, settings, login_as, frontdesk, houses
):
    counter = act_as(desktop, frontdesk, live_server, settings)
    _open_register(counter, live_server)
    expect(counter.locator("#id_purpose")).to_have_value("friend")

    counter.keyboard.type(WALK_IN_ID)
    # Name, then the mobile left empty, then the house; the purpose keeps 访友.
    stops = _tab_through(counter, {"name": "张三", "house_number": "1-1-101"})
    assert stops == ["name", "mobile", "house_number"], stops
    expect(counter.locator("#id_purpose").locator("option:checked")).to_have_text("访友")
    # The type-ahead has offered the house (as it would for a clerk); Enter still saves.
    expect(counter.locator("#house-options option[value='1-1-101']")).to_be_attached()
    assert _focused(counter) == "house_number"
    counter.keyboard.press("Enter")

    expect(counter.get_by_text("已登记：张三 → 1-1-101（访友）。")).to_be_visible()
    expect(counter.locator("#id_id_number")).to_be_focused()  # ready for the next in the queue
    entry = VisitorEntry.objects.get()
    assert (entry.name, entry.house, entry.status, entry.registered_by) == ("张三", houses[0], "inside", frontdesk)
    assert (entry.mobile, entry.purpose, entry.head_count, entry.id_number) == ("", "friend", 1, WALK_IN_ID)

    # Today's board on the phone: inside, then one click on 离开.
    login_as(frontdesk)
    page.goto(f"{live_server.url}/visits/frontdesk/")
    assert page.evaluate("window.innerWidth") == 390
    row = page.locator("#inside-table tr.entry-row", has_text="张三")
    expect(row).to_contain_text("1-1-101")
    expect(row).to_contain_text("访友")
    expect(page.locator("#inside-count")).to_have_text("在内 1 批 1 人")
    _no_horizontal_scroll(page)

    row.get_by_role("button", name="离开").click()
    expect(page.get_by_text("张三 已离开。")).to_be_visible()
    expect(page.locator("#inside-table")).not_to_contain_text("张三")
    expect(page.locator("#inside-table")).to_contain_text("目前没有访客在内。")
    left = page.locator("#today-table tbody tr", has_text="张三")
    expect(left).to_contain_text("已离开")
    expect(left).to_contain_text("1-1-101")
    _no_horizontal_scroll(page)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT and entry.exited_at and entry.id_number == ""


def test_watchlisted_id_warns_and_a_supervisor_password_admits(
    desktop, live_server, settings, frontdesk, supervisor, houses
):
    restriction = visitors.restrict_visitor(
        community=houses[0].community,
        actor=supervisor,
        name="李四",
        reason="多次辱骂保安",
        id_type="resident_id",
        id_number=WATCHLISTED_ID,
    )
    counter = act_as(desktop, frontdesk, live_server, settings)
    _open_register(counter, live_server)
    counter.keyboard.type(WATCHLISTED_ID)
    with counter.expect_response(lambda r: "/visits/frontdesk/lookup/" in r.url):
        counter.keyboard.press("Tab")  # leaving the field looks the ID up
    live = counter.locator("#watchlist-live")
    expect(live).to_be_visible()
    expect(live).to_contain_text("多次辱骂保安")
    expect(counter.locator("#override-box")).to_have_count(0)

    # That Tab was the first stop: the focus is on the name.
    assert _focused(counter) == "name"
    counter.keyboard.type("李四")
    stops = _tab_through(counter, {"house_number": "1-1-102"})
    assert stops == ["mobile", "house_number"], stops
    counter.keyboard.press("Enter")

    expect(counter.locator("#watchlist-warning")).to_be_visible()
    expect(counter.locator("#watchlist-warning")).to_contain_text("多次辱骂保安")
    box = counter.locator("#override-box")
    expect(box).to_be_visible()
    assert not VisitorEntry.objects.exists()
    expect(counter.locator("#id_id_number")).to_have_value(WATCHLISTED_ID)
    expect(counter.locator("#id_name")).to_have_value("李四")

    box.get_by_label("放行理由").fill("业主本人到岗亭接人")
    box.get_by_label("主管账号").fill(supervisor.username)
    box.get_by_label("主管密码").fill(TEST_PASSWORD)
    box.get_by_label("主管密码").press("Enter")

    expect(counter.get_by_text("已登记：李四 → 1-1-102（访友）。")).to_be_visible()
    expect(counter.locator("#watchlist-warning")).to_have_count(0)
    entry = VisitorEntry.objects.get()
    assert (entry.status, entry.restriction, entry.override_by) == ("inside", restriction, supervisor)
    assert (entry.override_method, entry.override_reason) == (OverrideMethod.PASSWORD, "业主本人到岗亭接人")

    counter.goto(f"{live_server.url}/visits/frontdesk/")
    expect(counter.locator("#inside-table tr.entry-row", has_text="李四")).to_contain_text("限制来访·已放行")


def test_repeat_visitor_is_prefilled_from_the_id(desktop, live_server, settings, frontdesk, houses):
    earlier = visitors.register_entry(
        community=houses[0].community,
        actor=frontdesk,
        name="王五",
        id_type="resident_id",
        id_number=REPEAT_ID,
        mobile="13912345678",
        house=houses[1],
        purpose="friend",
        entered_at=timezone.now() - dt.timedelta(days=3),
    )
    visitors.mark_exit(earlier, actor=frontdesk)

    counter = act_as(desktop, frontdesk, live_server, settings)
    _open_register(counter, live_server)
    counter.keyboard.type(REPEAT_ID)
    counter.keyboard.press("Tab")
    repeat = counter.locator("#repeat-visitor")
    expect(repeat).to_be_visible()
    expect(repeat).to_contain_text("1-1-102")
    expect(counter.locator("#id_name")).to_have_value("王五")
    expect(counter.locator("#id_mobile")).to_have_value("13912345678")
    expect(counter.locator("#id_house_number")).to_have_value("1-1-102")
    expect(counter.locator("#watchlist-live")).to_be_hidden()
    expect(counter.locator("#id_name")).to_be_focused()

    counter.keyboard.press("Enter")
    expect(counter.get_by_text("已登记：王五 → 1-1-102（访友）。")).to_be_visible()
    again = VisitorEntry.objects.exclude(pk=earlier.pk).get()
    assert (again.name, again.house, again.mobile, again.status) == ("王五", houses[1], "13912345678", "inside")


def test_large_item_permit_print_view_renders(desktop, live_server, settings, frontdesk, manager, houses):
    owner = archive.add_resident(house=houses[0], relation="owner", actor=manager, name="业主甲")
    permit = passes.issue_permit(
        house=houses[0],
        actor=frontdesk,
        applicant=owner,
        items="旧沙发一张\n冰箱一台",
        gate="南门",
        valid_on=timezone.localdate(),
    )
    counter = act_as(desktop, frontdesk, live_server, settings)
    counter.goto(f"{live_server.url}/visits/frontdesk/permits/{permit.pk}/")
    with counter.expect_popup() as opened:
        counter.locator("#permit-print-link").click()
    sheet_page = opened.value
    sheet_page.wait_for_load_state()
    sheet = sheet_page.locator("#permit-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text("大件物品放行条")
    expect(sheet).to_contain_text(permit.number)
    expect(sheet).to_contain_text("1-1-101")
    expect(sheet).to_contain_text("业主甲（产权人）")
    expect(sheet).to_contain_text("冰箱一台")
    expect(sheet).to_contain_text("南门")
    expect(sheet_page.locator("nav")).to_have_count(0)  # the slip alone, not the app's page
    print_button = sheet_page.get_by_role("button", name="打印")
    expect(print_button).to_be_visible()
    sheet_page.emulate_media(media="print")
    expect(print_button).to_be_hidden()
    expect(sheet).to_be_visible()
    sheet_page.close()
