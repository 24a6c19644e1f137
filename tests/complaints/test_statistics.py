"""Weekly statistics and the valid complaint rate against a hand-built week
(issue 8 §6): every figure checked against numbers worked out by hand."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from complaints import services, statistics
from complaints.models import ComplaintSettings
from tests.builders import at, make_houses

pytestmark = pytest.mark.django_db
H = dt.timedelta(hours=1)
MONDAY = dt.date(2026, 11, 2)


@pytest.fixture
def week(clock, receive, community, supervisor, frontdesk, butler1):
    """Six matters received Mon 2026-11-02 … Sun 11-08, one the week before, one voided:

    A phone/cleaning  answered in 10 h, resolved in 20 h, satisfied (via phone visit), valid
    B phone/cleaning  answered at 50 h (late), resolved at 80 h (late), dissatisfied → reopened, valid
    C walk-in/noise   answered in 5 h, still open, invalid
    D letter/parking  open, unanswered
    E walk-in/fees    consultation answered on the spot and closed
    F online/noise    urgent, open
    (V voided; P received 2026-10-30, outside the week)
    """
    houses = make_houses(community, "9", actor=supervisor, butler=butler1, rooms=40)
    clock.set(2026, 10, 30, 10)
    receive(description="上周的投诉")
    clock.set(2026, 11, 2, 9)
    a = receive(description="A")
    b = receive(description="B")
    c = receive(channel="walk_in", category="noise", description="C")
    receive(channel="letter", category="parking", description="D")
    e = receive(kind="consultation", channel="walk_in", category="fees", description="E")
    receive(channel="online", category="noise", urgency="urgent", description="F")
    v = receive(description="V")
    services.void(v, actor=supervisor, reason="重复登记")
    services.answer(a, actor=frontdesk, reply="今天处理", now=at(2026, 11, 2, 19))
    services.resolve(a, actor=frontdesk, result="已处理", now=at(2026, 11, 3, 5))
    services.answer(c, actor=frontdesk, reply="已联系", now=at(2026, 11, 2, 14))
    services.answer(b, actor=frontdesk, reply="晚了", now=at(2026, 11, 4, 11))
    services.resolve(b, actor=frontdesk, result="已处理", now=at(2026, 11, 5, 17))
    services.resolve(e, actor=frontdesk, result="当场答复", reply="可以按年交", now=at(2026, 11, 2, 9, 10))
    services.close(e, actor=frontdesk)
    clock.set(2026, 11, 6, 10)
    services.record_return_visit(a, actor=frontdesk, satisfaction="satisfied")
    services.record_return_visit(b, actor=frontdesk, satisfaction="dissatisfied", reason="地面仍脏")
    for matter, validity in ((a, "valid"), (b, "valid"), (c, "invalid")):
        services.set_validity(matter, actor=supervisor, validity=validity, reason="核实")
    return houses


def test_the_weeks_figures(week, community):
    f = statistics.period_figures(community, MONDAY, MONDAY + dt.timedelta(days=7))
    assert f["total"] == 6 and f["complaints"] == 5 and f["urgent"] == 1
    assert (f["answered"], f["answered_on_time"], f["answer_on_time_rate"]) == (4, 3, Decimal("75.0"))
    # B was reopened: only A and E stand resolved, both on time
    assert (f["resolved"], f["resolved_on_time"], f["resolution_on_time_rate"]) == (2, 2, Decimal("100.0"))
    assert (f["handled"], f["handled_rate"]) == (2, Decimal("33.3"))
    assert (f["owed_visit"], f["visited"], f["return_visit_rate"]) == (1, 1, Decimal("100.0"))
    assert (f["rated"], f["satisfaction_rate"]) == (2, Decimal("50.0"))
    assert f["reopened"] == 1 and f["valid"] == 2 and f["invalid"] == 1
    categories = {row["key"]: row["count"] for row in f["by_category"]}
    assert categories["cleaning"] == 2 and categories["noise"] == 2 and categories["parking"] == 1
    channels = {row["key"]: row["count"] for row in f["by_channel"]}
    assert channels == {"walk_in": 2, "phone": 2, "letter": 1, "visit": 0, "online": 1, "reception_day": 0}


def test_valid_complaint_rate_against_its_target(week, community):
    rate = statistics.valid_rate(community, 2026)
    assert (rate["valid"], rate["households"]) == (2, 40)
    assert rate["rate"] == Decimal("5.00") and not rate["within_target"]
    ComplaintSettings.objects.create(community=community, valid_rate_target=Decimal("6"))
    assert statistics.valid_rate(community, 2026)["within_target"]


def test_the_page_and_the_export_show_the_figures(week, client_for, supervisor, butler1):
    client = client_for(supervisor)
    page = client.get("/complaints/statistics/?week=2026-11-04").content.decode()
    assert '<div class="fs-4" id="fig-total">6</div>' in page
    assert '<div class="fs-4" id="fig-answer-rate">75.0%</div>' in page
    assert '<div class="fs-4" id="fig-valid-rate">5.00%</div>' in page
    assert "超过目标" in page
    response = client.get("/complaints/statistics/export/?week=2026-11-04")
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert summary["受理总数"] == 6 and summary["答复及时率(%)"] == 75
    detail = list(book["明细"].iter_rows(min_row=2, values_only=True))
    assert len(detail) == 6 and all(row[8] in ("138****5678", "") for row in detail)
    assert client_for(butler1).get("/complaints/statistics/").status_code == 403
