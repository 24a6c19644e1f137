"""Real browser, the monthly visit summary (issue 6): the supervisor writes and
submits last month's draft, the manager reads the charts and figures, returns it
with a comment, the supervisor resubmits, the manager decides each problem and
approves, and both see the history. At desktop width and at 390 px every figure
on the review page equals the number of rows in the list it links to (clicked
through and counted)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.visits.conftest import at, make_houses
from visits import services, summaries
from visits.models import FollowUp, MonthlySummary
from visits.progress import Period

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
CHARTS = ("#chart-coverage", "#chart-opinions", "#chart-ageing", "#chart-trend")
# Every figure drawn as a link into the records behind it (data-figure or not).
FIGURE_LINKS = "main a[href*='/records/']"


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _login(page, user, live_server, settings):
    """A logged-in session cookie in this page's context (the `login_as` way, for any context)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])
    return page


@pytest.fixture
def desktop(browser, browser_context_args):
    """A second, desktop-width page (not mobile) beside the 390 px `page`."""
    context = browser.new_context(
        **{**browser_context_args, "viewport": DESKTOP, "is_mobile": False, "has_touch": False}
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def period():
    return Period.of(timezone.localdate()).previous


@pytest.fixture
def summary(community, butler1, butler2, supervisor, manager, period):
    """Last month in 阳光花园: two zones, visits by butler1 and butler2 over four
    channels, one late, one with a complaint, two opinions, a follow-up; drafted."""
    zone1 = make_houses(community, "1", actor=manager, butler=butler1, rooms=4)
    zone2 = make_houses(community, "2", actor=manager, butler=butler2, rooms=3)
    y, m = period.year, period.month
    rows = [
        # house, butler, day, channel, satisfaction, opinions, follow-up, late, complaint
        (zone1[0], butler1, 3, "door", "satisfied", [("cleaning", "1-1-101 楼道垃圾清运不及时")], True, False, False),
        (zone1[1], butler1, 9, "phone", "fairly", [], False, False, False),
        (zone1[1], butler1, 20, "door", "satisfied", [], False, True, False),
        (zone2[0], butler2, 14, "office", "dissatisfied", [("repair", "2-1-101 电梯异响")], False, False, True),
        (zone2[1], butler2, 22, "outdoor", "satisfied", [], False, False, False),
    ]
    for house, butler, day, channel, satisfaction, opinions, follow_up, late, complaint in rows:
        started = at(y, m, day, 10)
        services.log_visit(
            house=house,
            actor=butler,
            started_at=started,
            channel=channel,
            visit_type="routine",
            satisfaction=satisfaction,
            opinions=opinions,
            follow_ups=[{"description": "答复保洁清运时间调整", "due_at": at(y, m, day + 2, 18)}] if follow_up else [],
            contains_complaint=complaint,
            window_reason="测试",
            now=started + dt.timedelta(hours=60 if late else 1),
        )
    # The follow-up was written down during that visit, last month.
    FollowUp.objects.update(created_at=at(y, m, 3, 11))
    drafted, created = summaries.draft_summary(community, period)
    assert created
    figures = drafted.figures
    assert (figures["visits"]["total"], figures["visits"]["late"], figures["opinions"]["total"]) == (5, 1, 2)
    return drafted


def _history(page):
    return [text.split("·", 1)[1].strip() for text in page.locator("#summary-history li").all_inner_texts()]


def _assert_history(page):
    actions = [entry.split("：", 1)[0] for entry in _history(page)]
    milestones = [a for a in actions if a in ("提交审批", "退回修改", "批准")]
    assert milestones == ["提交审批", "退回修改", "提交审批", "批准"], actions


def _assert_charts_drawn(page):
    for selector in CHARTS:
        drawn = page.evaluate(
            "sel => { const c = document.querySelector(sel); const chart = c && window.Chart && Chart.getChart(c);"
            " return !!chart && c.width > 0 && c.height > 0 && chart.data.datasets.length > 0; }",
            selector,
        )
        assert drawn, f"{selector} was not drawn by Chart.js"


def test_supervisor_submits_manager_returns_then_approves(
    page, desktop, live_server, settings, supervisor, manager, summary, period
):
    review_url = f"{live_server.url}/visits/summaries/{summary.pk}/"

    # The supervisor, on the phone: from the list to last month's draft, writes and submits.
    sup = _login(page, supervisor, live_server, settings)
    sup.goto(f"{live_server.url}/visits/summaries/")
    sup.locator("#summary-list").get_by_role("link", name=summary.period).click()
    expect(sup).to_have_url(review_url)
    expect(sup.locator("#summary-status")).to_have_text("草稿")
    sup.locator("#edit-summary").click()
    sup.get_by_label("访问情况分析").fill("本月走访5次，覆盖两个片区；1次逾期提交。")
    sup.get_by_label("发现的问题（每行一条）").fill("楼道垃圾清运不及时\n电梯异响反复出现")
    sup.get_by_label("改进措施").fill("保洁每日巡查两次")
    sup.get_by_label("下月工作计划").fill("回访2-1-101业主")
    _no_horizontal_scroll(sup)
    sup.locator("#submit-summary").click()
    expect(sup).to_have_url(review_url)
    expect(sup.locator("#summary-status")).to_have_text("待经理审批")
    expect(sup.locator("#narrative-problems li")).to_have_count(2)
    expect(sup.locator("#edit-summary")).to_have_count(0)

    # The manager, at a desk: charts and figures, then returns it with a comment.
    mgr = _login(desktop, manager, live_server, settings)
    mgr.goto(review_url)
    expect(mgr.locator("#summary-status")).to_have_text("待经理审批")
    _assert_charts_drawn(mgr)
    for table in ("#fig-overview", "#fig-coverage", "#fig-staff", "#fig-opinions", "#fig-follow-ups"):
        expect(mgr.locator(table)).to_be_visible()
    expect(mgr.locator("#fig-overview a[data-figure='visits']")).to_have_text("5")
    expect(mgr.locator("#fig-overview a[data-figure='late']")).to_have_text("1")
    expect(mgr.locator("#narrative-analysis")).to_contain_text("本月走访5次")
    mgr.locator("#decision-comment-input").fill("请补充逾期原因分析")
    mgr.locator("#manager-review").get_by_role("button", name="退回修改").click()
    expect(mgr.locator("#summary-status")).to_have_text("已退回修改")
    expect(mgr.locator("#manager-review")).to_have_count(0)

    # The supervisor sees the comment, adds to the analysis and resubmits.
    sup.goto(review_url)
    expect(sup.locator("#summary-status")).to_have_text("已退回修改")
    sup.locator("#edit-summary").click()
    expect(sup.locator("#return-comment")).to_contain_text("请补充逾期原因分析")
    expect(sup.get_by_label("发现的问题（每行一条）")).to_have_value("楼道垃圾清运不及时\n电梯异响反复出现")
    sup.get_by_label("访问情况分析").fill("本月走访5次，覆盖两个片区；1次逾期提交，原因是管家值班冲突。")
    sup.locator("#submit-summary").click()
    expect(sup.locator("#summary-status")).to_have_text("待经理审批")

    # The manager decides each problem, then approves.
    mgr.goto(review_url)
    expect(mgr.locator("#narrative-analysis")).to_contain_text("值班冲突")
    problems = mgr.locator("#manager-review form.problem-form")
    expect(problems).to_have_count(2)
    for i, note in enumerate(["保洁主管每日检查", "联系电梯维保单位检修"]):
        form = mgr.locator("#manager-review form.problem-form").nth(i)
        form.get_by_label("处理决定").select_option(label="本中心处理")
        form.get_by_label("处理措施").fill(note)
        form.get_by_role("button", name="保存决定").click()
        expect(mgr.get_by_text("已记录处理决定。")).to_be_visible()
        expect(mgr.locator("#manager-review form.problem-form").nth(i)).to_contain_text("本中心处理")
    expect(mgr.locator("#narrative-problems")).to_contain_text("联系电梯维保单位检修")
    mgr.locator("#manager-review").get_by_role("button", name="批准").click()
    expect(mgr.locator("#summary-status")).to_have_text("已批准")
    _assert_history(mgr)

    sup.reload()
    expect(sup.locator("#summary-status")).to_have_text("已批准")
    expect(sup.locator("#narrative-problems")).to_contain_text("保洁主管每日检查")
    _assert_history(sup)
    _no_horizontal_scroll(sup)
    assert _history(sup) == _history(mgr)

    summary.refresh_from_db()
    assert (summary.status, summary.round, summary.decided_by) == ("approved", 2, manager)


def _figures(page):
    return page.eval_on_selector_all(
        FIGURE_LINKS,
        "links => links.map(a => ({name: a.dataset.figure || '', href: a.getAttribute('href'), n: a.textContent}))",
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_figure_equals_the_rows_it_links_to(page, desktop, live_server, settings, manager, summary, width):
    view = desktop if width == "desktop" else page
    _login(view, manager, live_server, settings)
    review_url = f"{live_server.url}/visits/summaries/{summary.pk}/"
    view.goto(review_url)
    assert view.evaluate("window.innerWidth") == (DESKTOP["width"] if width == "desktop" else 390)
    _assert_charts_drawn(view)
    if width == "phone":
        _no_horizontal_scroll(view)

    figures = _figures(view)
    named = {f["name"] for f in figures}
    assert {"visits", "late", "complaints", "reached", "opinions", "fu_opened", "fu_overdue", "fu_open", "never"} <= (
        named
    )
    assert len(figures) > 20
    checked = []
    for i, figure in enumerate(figures):
        link = view.locator(FIGURE_LINKS).nth(i)
        expect(link).to_have_attribute("href", figure["href"])
        link.click()
        expect(view.locator("#result-count")).to_be_visible()
        count = int(view.locator("#result-count").inner_text())
        rows = view.locator("#records tr.record-row").count()
        assert not view.locator(".pagination").count(), figure  # small data: one page each
        if width == "phone":
            _no_horizontal_scroll(view)
        checked.append((figure["name"] or figure["href"], int(figure["n"]), count, rows))
        view.go_back()
        expect(view).to_have_url(review_url)
    wrong = [c for c in checked if not c[1] == c[2] == c[3]]
    assert not wrong, f"figure ≠ #result-count ≠ rows (name, shown, count, rows): {wrong}"
    assert sum(shown for _, shown, *_ in checked) > 0
    assert MonthlySummary.objects.get().status == "draft"
