"""Real browser at phone width: log in, navigation, inbox badge, inbox, log out;
five wrong passwords lock the account (issue 3 §14)."""

import pytest
from playwright.sync_api import expect

from core import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-9"


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _login_form(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_butler_logs_in_sees_badge_reads_inbox_and_logs_out(page, live_server, butler1, community):
    services.raise_reminder(recipient=butler1, kind="t", text="3-2-1501 入住回访今天到期", key="b1", url="/inbox/")
    services.raise_reminder(recipient=butler1, kind="t", text="投诉 TS-2026-000042 即将超时", key="b2")

    _login_form(page, live_server, "butler1", PASSWORD)
    expect(page.get_by_role("heading", name="您好")).to_be_visible()
    expect(page.locator("#active-community")).to_have_text("阳光花园")
    expect(page.locator("#inbox-badge")).to_contain_text("2")
    _no_horizontal_scroll(page)

    page.get_by_role("button", name="展开菜单").click()
    nav = page.locator("#main-nav")
    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    expect(nav.get_by_role("link", name="消息")).to_be_visible()
    expect(nav.get_by_text("后台管理")).to_have_count(0)

    page.locator("#inbox-badge-link").click()
    expect(page.get_by_role("heading", name="消息")).to_be_visible()
    expect(page.locator("#reminder-list")).to_contain_text("入住回访今天到期")
    _no_horizontal_scroll(page)
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator("#inbox-badge")).to_have_count(0)

    page.get_by_role("button", name="展开菜单").click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto(f"{live_server.url}/inbox/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/inbox/")


def test_five_wrong_passwords_show_lockout(page, live_server, butler1):
    for _ in range(4):
        _login_form(page, live_server, "butler1", "wrong-password")
        expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    _login_form(page, live_server, "butler1", "wrong-password")
    expect(page.locator("#lockout-message")).to_contain_text("登录失败次数过多")
    _no_horizontal_scroll(page)
    _login_form(page, live_server, "butler1", PASSWORD)
    expect(page.locator("#lockout-message")).to_be_visible()


def test_login_page_fits_phone(page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_text("物业服务中心员工登录")).to_be_visible()
    _no_horizontal_scroll(page)
