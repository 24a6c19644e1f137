"""The summary's pages: every figure on the review page equals the number of rows
in the list it links to; who may read, edit, submit and approve; print, Excel,
the company table and the coverage dashboard."""

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tests.visits.conftest import at, make_houses
from visits import services, summaries
from visits.choices import LetterStatus, SummaryStatus
from visits.models import MonthlySummary, WorkLetter
from visits.progress import Period

OCTOBER = Period(2026, 10)


@pytest.fixture
def month(community, butler1, butler2, supervisor, manager):
    """October 2026 in 阳光花园: two zones, visits, an opinion, a late record, a follow-up."""
    zone1 = make_houses(community, "1", actor=manager, butler=butler1, rooms=4)
    zone2 = make_houses(community, "2", actor=manager, butler=butler2, rooms=3)
    for house, butler, day, channel in [
        (zone1[0], butler1, 3, "door"),
        (zone1[1], butler1, 9, "phone"),
        (zone1[1], butler1, 20, "door"),
        (zone2[0], butler2, 14, "door"),
    ]:
        started = at(2026, 10, day, 10)
        services.log_visit(
            house=house,
            actor=butler,
            started_at=started,
            channel=channel,
            visit_type="routine",
            satisfaction="satisfied",
            opinions=[("cleaning", f"{house.number} 楼道卫生")] if day == 3 else [],
            follow_ups=[{"description": "答复保洁排班", "due_at": at(2026, 10, 5, 18)}] if day == 3 else [],
            window_reason="测试",
            now=started + dt.timedelta(hours=1 if day != 20 else 60),
        )
    summary, _ = summaries.draft_summary(community, OCTOBER)
    return summary


def _figure_links(html):
    return re.findall(r'<a data-figure="([^"]+)" href="([^"]+)">(\d+)</a>', html)


def test_every_figure_equals_the_rows_behind_it(client_for, manager, month):
    html = client_for(manager).get(f"/visits/summaries/{month.pk}/").content.decode()
    links = _figure_links(html)
    assert {"visits", "late", "reached", "opinions", "fu_opened", "never"} <= {name for name, *_ in links}
    for name, url, shown in links:
        page = client_for(manager).get(url.replace("&amp;", "&"))
        assert page.status_code == 200, name
        count = int(re.search(r'id="result-count"[^>]*>(\d+)<', page.content.decode()).group(1))
        rows = page.content.decode().count('class="record-row"')
        assert count == int(shown) == rows, (name, url)


def test_review_page_figures_match_the_month(manager, supervisor, butler1, butler2, month):
    figures = month.figures
    assert figures["visits"]["total"] == 4
    assert figures["visits"]["late"] == 1
    # Sampling (the default policy): each person's distinct households, return visits aside.
    done = {row["id"]: row["done"] for row in figures["coverage"]["staff"]}
    assert done == {butler1.pk: 2, butler2.pk: 1, manager.pk: 0, supervisor.pk: 0}
    assert figures["never_visited"]["count"] == 7 - 3


@pytest.mark.parametrize(
    ("who", "status"),
    [("butler1", 200), ("supervisor", 200), ("manager", 200), ("company_admin", 200), ("butler3", 404)],
)
def test_who_may_open_the_summary(client_for, request, month, who, status):
    assert client_for(request.getfixturevalue(who)).get(f"/visits/summaries/{month.pk}/").status_code == status


def test_a_butler_sees_only_their_own_figures(client_for, butler1, butler2, month):
    html = client_for(butler1).get(f"/visits/summaries/{month.pk}/").content.decode()
    assert 'id="my-figures"' in html and "人员覆盖" not in html
    own = client_for(butler1).get(f"/visits/summaries/{month.pk}/records/?kind=visits&created_by={butler2.pk}")
    # The butler's click-through is pinned to themselves whatever the link says.
    assert own.status_code == 200
    assert re.search(r'id="result-count"[^>]*>(\d+)<', own.content.decode()).group(1) == "3"
    assert butler2.display_name not in own.content.decode()
    assert client_for(butler1).get(f"/visits/summaries/{month.pk}/records/?kind=opinions").status_code == 403


def test_supervisor_writes_and_submits_manager_returns(client_for, supervisor, manager, butler1, month):
    url = f"/visits/summaries/{month.pk}/edit/"
    assert client_for(butler1).get(url).status_code == 403
    assert client_for(manager).get(url).status_code == 403
    response = client_for(supervisor).post(
        url,
        {"analysis": "", "problems": "", "measures": "", "next_month_plan": "", "action": "submit"},
    )
    assert response.status_code == 400
    assert "请先填写访问情况分析" in response.content.decode()
    response = client_for(supervisor).post(
        url,
        {
            "analysis": "本月走访正常",
            "problems": "楼道卫生差",
            "measures": "加强巡查",
            "next_month_plan": "回访",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    month.refresh_from_db()
    assert month.status == SummaryStatus.SUBMITTED
    decide = f"/visits/summaries/{month.pk}/decide/"
    assert client_for(supervisor).post(decide, {"decision": "approve"}).status_code == 403
    client_for(manager).post(decide, {"decision": "return", "comment": ""})
    month.refresh_from_db()
    assert month.status == SummaryStatus.SUBMITTED  # a return needs a comment
    client_for(manager).post(decide, {"decision": "return", "comment": "请补充原因分析"})
    month.refresh_from_db()
    assert month.status == SummaryStatus.RETURNED
    html = client_for(supervisor).get(url).content.decode()
    assert "请补充原因分析" in html and "退回修改" in html


def test_print_and_excel(client_for, manager, butler1, month):
    assert client_for(butler1).get(f"/visits/summaries/{month.pk}/print/").status_code == 403
    page = client_for(manager).get(f"/visits/summaries/{month.pk}/print/").content.decode()
    assert "月度客户访问工作总结" in page and "@page { size: A4" in page
    response = client_for(manager).get(f"/visits/summaries/{month.pk}/export/")
    workbook = load_workbook(io.BytesIO(response.content))
    overview = {row[0]: row[1] for row in workbook["概况"].iter_rows(min_row=2, values_only=True)}
    assert overview["访问记录"] == 4 and overview["逾期提交记录"] == 1


def test_company_table_is_for_company_admins(client_for, company_admin, manager, month):
    assert client_for(manager).get("/visits/summaries/company/?month=2026-10").status_code == 403
    html = client_for(company_admin).get("/visits/summaries/company/?month=2026-10").content.decode()
    assert month.community.name in html and 'id="company-table"' in html


def test_month_picker_opens_the_month(client_for, manager, month):
    response = client_for(manager).get("/visits/summaries/?month=2026-10")
    assert response.status_code == 302 and urlsplit(response["Location"]).path == f"/visits/summaries/{month.pk}/"
    assert MonthlySummary.objects.count() == 1


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_review_page_and_lists_run_fixed_queries(client_for, community, manager, butler1, supervisor):
    """The review page reads the snapshot: its queries do not grow with the month's records."""
    houses = make_houses(community, "9", actor=manager, butler=butler1, rooms=30)

    def month_with(n, period):
        for day, house in enumerate(houses[:n], start=1):
            started = at(period.year, period.month, min(day, 28), 10)
            services.log_visit(
                house=house,
                actor=butler1,
                started_at=started,
                channel="door",
                visit_type="routine",
                opinions=[("cleaning", "楼道")],
                window_reason="测试",
                now=started,
            )
        return summaries.draft_summary(community, period)[0]

    small, large = month_with(1, Period(2026, 8)), month_with(25, Period(2026, 9))
    client = client_for(manager)
    for suffix in ("", "records/?kind=visits", "records/?kind=opinions", "records/?kind=houses&which=never"):
        assert _queries(client, f"/visits/summaries/{small.pk}/{suffix}") == _queries(
            client, f"/visits/summaries/{large.pk}/{suffix}"
        ), suffix


def test_coverage_dashboard_shows_who_is_behind(client_for, community, manager, supervisor, butler1, butler2):
    make_houses(community, "3", actor=manager, butler=butler1, rooms=4)
    make_houses(community, "4", actor=manager, butler=butler2, rooms=4)
    html = client_for(supervisor).get("/visits/coverage/").content.decode()
    assert f'data-user="{butler1.pk}"' in html and f'data-user="{butler2.pk}"' in html
    mine = client_for(butler1).get("/visits/coverage/").content.decode()
    assert f'data-user="{butler1.pk}"' in mine and f'data-user="{butler2.pk}"' not in mine
    assert client_for(butler1).get("/visits/coverage/").status_code == 200


def test_letter_pages_send_reply_close(client_for, community, manager, supervisor, company_admin):
    response = client_for(manager).post("/visits/letters/new/", {"subject": "", "content": "", "requested_action": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    assert client_for(supervisor).post("/visits/letters/new/", {"subject": "x"}).status_code == 403
    response = client_for(manager).post(
        "/visits/letters/new/",
        {"subject": "外墙渗水", "content": "3号楼外墙渗水", "requested_action": "请公司安排维修基金"},
    )
    letter = WorkLetter.objects.get()
    assert response["Location"] == f"/visits/letters/{letter.pk}/"
    assert letter.number == f"{community.code}-LXH-{timezone.localdate().year}-001"
    client_for(manager).post(f"/visits/letters/{letter.pk}/", {"action": "reply", "reply": "我自己回"})
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT  # only the company replies
    client_for(company_admin).post(f"/visits/letters/{letter.pk}/", {"action": "reply", "reply": "已批准使用维修基金"})
    client_for(manager).post(f"/visits/letters/{letter.pk}/", {"action": "close", "note": "已完成维修"})
    letter.refresh_from_db()
    assert (letter.status, letter.reply, letter.close_note) == (LetterStatus.CLOSED, "已批准使用维修基金", "已完成维修")
    printed = client_for(supervisor).get(f"/visits/letters/{letter.pk}/?print=1").content.decode()
    assert "工作联系函" in printed and "已批准使用维修基金" in printed and "@page { size: A4" in printed


def test_a_refused_decision_keeps_what_the_manager_typed(client_for, supervisor, manager, month):
    summaries.save_narrative(
        month, actor=supervisor, analysis="正常", measures="", next_month_plan="", problems=["电梯老化需更换"]
    )
    summaries.submit_summary(month, actor=supervisor)
    problem = month.problems.get()
    response = client_for(manager).post(
        f"/visits/summaries/{month.pk}/problems/{problem.pk}/",
        {
            f"p{problem.pk}-decision": "escalate",
            f"p{problem.pk}-note": "本中心无权更换",
            f"p{problem.pk}-subject": "",
            f"p{problem.pk}-requested_action": "请公司立项更换电梯",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400 and "上报公司时请填写联系函主题" in html
    assert 'value="本中心无权更换"' in html and 'value="请公司立项更换电梯"' in html
    response = client_for(manager).post(
        f"/visits/summaries/{month.pk}/decide/", {"decision": "approve", "comment": "整体满意，抓紧落实"}
    )
    assert response.status_code == 400 and "请先对每个问题作出处理决定" in response.content.decode()
    assert "整体满意，抓紧落实</textarea>" in response.content.decode()
