"""Shared fixtures: the named people of STYLE 10, PostgreSQL-only and browser
test switches, and the real-browser fixtures (Debian chromium via Playwright)."""

import contextlib
import os
import shutil
import tempfile

import pytest
from django.utils import timezone

# Playwright's sync API runs an event loop in this thread; Django's ORM would
# refuse to run beside it. The live-server tests need both in one process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from core.choices import DepartmentKind, Role
from tests.builders import Clock, at, make_houses
from tests.factories import CommunityFactory, CompanyFactory, make_company_admin, make_staff

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
_browser_skips = []


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploads made by tests go to a throw-away folder, not var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="wuye-media-")
    from config.celery import app

    app.conf.task_always_eager = True


def _env_flag(name):
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """`@pytest.mark.postgres` tests skip on SQLite; REQUIRE_POSTGRES=1 makes that a failure."""
    if request.node.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        message = f"needs PostgreSQL (DATABASE_URL), running on {connection.vendor}"
        if _env_flag("REQUIRE_POSTGRES"):
            pytest.fail(message + " and REQUIRE_POSTGRES=1")
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Job locks live in the shared cache (Redis in CI): start every test clean."""
    from django.core.cache import cache

    with contextlib.suppress(Exception):  # no cache table for a test without a database
        cache.clear()


# --- the named people ---------------------------------------------------------


@pytest.fixture
def company(db):
    return CompanyFactory(name="示例物业服务有限公司")


@pytest.fixture
def community(company):
    return CommunityFactory(company=company, name="阳光花园", code="YGHY")


@pytest.fixture
def community2(company):
    return CommunityFactory(company=company, name="翠湖苑", code="CHY")


@pytest.fixture
def butler1(community):
    return make_staff("butler1", community, Role.BUTLER, is_head_butler=True)


@pytest.fixture
def butler2(community):
    return make_staff("butler2", community, Role.BUTLER)


@pytest.fixture
def supervisor(community):
    user = make_staff("supervisor", community, Role.SUPERVISOR)
    community.departments.filter(kind=DepartmentKind.SERVICE).update(head=user)
    return user


@pytest.fixture
def manager(community):
    return make_staff("manager", community, Role.MANAGER)


@pytest.fixture
def frontdesk(community):
    return make_staff("frontdesk", community, Role.FRONT_DESK)


@pytest.fixture
def tech1(community):
    return make_staff("tech1", community, Role.TECHNICIAN)


@pytest.fixture
def finance(community):
    return make_staff("finance", community, Role.FINANCE)


@pytest.fixture
def company_admin(company):
    return make_company_admin("admin", company)


@pytest.fixture
def butler3(community2):
    """The outsider: a butler of community 2, who must see nothing of community 1."""
    return make_staff("butler3", community2, Role.BUTLER)


@pytest.fixture
def people(butler1, butler2, supervisor, manager, frontdesk, tech1, finance, company_admin, butler3):
    return {
        "butler1": butler1,
        "butler2": butler2,
        "supervisor": supervisor,
        "manager": manager,
        "frontdesk": frontdesk,
        "tech1": tech1,
        "finance": finance,
        "admin": company_admin,
        "butler3": butler3,
    }


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client logged in as `user` (force_login: axes refuses client.login)."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- real browser ---------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium with our flags; never a downloaded browser."""
    if not os.path.exists(CHROMIUM):
        message = f"未找到 Chromium（{CHROMIUM}），真实浏览器测试未运行。安装：apt-get install chromium"
        if _env_flag("REQUIRE_BROWSER"):
            pytest.fail(message + "（REQUIRE_BROWSER=1）")
        _browser_skips.append(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS, "headless": True}


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations():
    """A loaded CI machine (2 cores, PostgreSQL, a live server, chromium) can take
    more than Playwright's default 5 s to answer a POST; wait up to 20 s."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        return
    expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture
def login_as(page, live_server, settings):
    """`login_as(user)`: put a logged-in session cookie into the browser (no form, no axes)."""
    from tests.builders import act_as

    return lambda user: act_as(page, user, live_server, settings)


def pytest_terminal_summary(terminalreporter):
    if _browser_skips:
        terminalreporter.write_sep("!", "真实浏览器测试被跳过 / browser tests SKIPPED", yellow=True)
        terminalreporter.write_line(_browser_skips[0])


@pytest.fixture
def zone1(community, supervisor, butler1):
    """Four occupied houses 1-1-101 … 1-1-104 in butler1's zone."""
    return make_houses(community, "1", actor=supervisor, butler=butler1)


@pytest.fixture
def house(zone1):
    """1-1-101, butler1's."""
    return zone1[0]


@pytest.fixture
def clock(monkeypatch):
    """A settable clock, starting at 2026-11-02 09:00 in Asia/Shanghai."""
    clock = Clock(at(2026, 11, 2, 9))
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock
