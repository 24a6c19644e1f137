"""The fee report pages (issue 10 §10): 收缴率 with 清欠, ageing, arrears by
latest reason, payments by method and day, the lists behind each figure, their
streamed Excel, the dashboard card — and who may read them."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from fees import payments, services
from fees.models import BillLine, CollectionCall, Receipt
from tests.builders import at, make_houses

D = Decimal
OCTOBER = dt.date(2026, 10, 1)
REPORT_URLS = [
    "fees:report_collection",
    "fees:report_ageing",
    "fees:report_reasons",
    "fees:report_payments",
    "fees:report_arrears",
    "fees:report_arrears_export",
    "fees:report_payment_list",
    "fees:report_payment_export",
]


def _item(community):
    return next(i for i in services.items_for(community) if i.name == "物业服务费")


def _line(house, amount, month, due=None):
    return BillLine.objects.create(
        community=house.community,
        house=house,
        item=_item(house.community),
        month=month,
        description=f"{month:%Y年%m月}物业服务费",
        quantity=D("1"),
        unit_price=D(amount),
        amount=D(amount),
        open_amount=D(amount),
        due_date=due or month.replace(day=10),
    )


def _pay(house, actor, amount, when, method="wechat", payer="业主"):
    return payments.record_payment(
        house=house, actor=actor, amount=D(amount), method=method, payer=payer, received_at=when
    )


def _call(house, butler, when, reason=""):
    return CollectionCall.objects.create(
        community=house.community,
        house=house,
        butler=butler,
        called_at=when,
        channel="phone",
        person_reached="业主",
        answer="下周缴",
        reason=reason,
    )


def _page(client, name, query=""):
    response = client.get(f"{reverse(name)}{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def outsider_house(community2, butler3):
    """A house of community 2 owing 999.99 for October, with a payment: never on community 1's pages."""
    house = make_houses(community2, "9", actor=butler3, butler=butler3, rooms=1)[0]
    _line(house, "999.99", OCTOBER)
    _line(house, "777.77", dt.date(2026, 8, 1))
    house.community.refresh_from_db()
    return house


@pytest.fixture
def october(clock, zone1, finance, outsider_house):
    """Building 1 (butler1): 1-1-101 billed 10,000.00 for October and paid
    8,765.43 on 10-20; 1-1-102 paid its August 300.00 on 10-15 (清欠); 1-1-103
    paid July's 200.00 in September (not October's 清欠); 1-1-104 paid August's
    150.00 on 10-16, then the receipt was voided."""
    h1, h2, h3, h4 = zone1
    _line(h1, "10000.00", OCTOBER)
    _pay(h1, finance, "8765.43", at(2026, 10, 20))
    _line(h2, "300.00", dt.date(2026, 8, 1))
    _pay(h2, finance, "300.00", at(2026, 10, 15))
    _line(h3, "200.00", dt.date(2026, 7, 1))
    _pay(h3, finance, "200.00", at(2026, 9, 5))
    _line(h4, "150.00", dt.date(2026, 8, 1))
    voided = _pay(h4, finance, "150.00", at(2026, 10, 16))
    payments.void_receipt(voided.receipt, actor=finance, reason="录错房号")
    return zone1


def test_collection_page_shows_87_65_percent_and_the_arrears_recovered_in_october(
    october, finance, butler1, client_for
):
    page = _page(client_for(finance), "fees:report_collection", "?month=2026-10&as_of=2026-10-31")
    assert 'id="fig-billed">¥10000.00<' in page
    assert 'id="fig-collected">¥8765.43<' in page
    assert 'id="fig-rate">87.65%<' in page
    assert 'id="fig-open">¥1234.57<' in page
    assert 'id="fig-recovered">¥300.00<' in page  # not September's 200.00, not the voided 150.00
    assert "999.99" not in page  # community 2's October bill
    by_butler = page.split('id="by-butler"')[1]
    assert butler1.display_name in by_butler and "87.65%" in by_butler
    assert f"{reverse('fees:report_arrears')}?month=2026-10&amp;building=1" in page


def test_collection_page_as_of_before_the_payment_shows_nothing_collected(october, manager, client_for):
    page = _page(client_for(manager), "fees:report_collection", "?month=2026-10&as_of=2026-10-19")
    assert 'id="fig-collected">¥0.00<' in page and 'id="fig-rate">0.00%<' in page
    assert 'id="fig-recovered">¥300.00<' in page


def test_bad_parameters_fall_back_to_the_defaults(october, supervisor, client_for):
    client = client_for(supervisor)
    page = _page(client, "fees:report_collection", "?month=2026-13&as_of=yesterday")
    assert "2026年11月账单 · 截至 2026-11-02" in page  # the clock's today
    assert "9999年" not in _page(client, "fees:report_collection", "?month=9999-12&as_of=9999-12-31")
    _page(client, "fees:report_ageing", "?as_of=2026-02-30")
    _page(client, "fees:report_reasons", "?as_of=0000-01-01")
    _page(client, "fees:report_payments", "?from=2026-10-31&to=2026-10-01")
    _page(client, "fees:report_payments", "?from=x&to=99999-01-01")
    _page(client, "fees:report_arrears", "?band=99&butler=abc&reason=nope&month=2026-00")
    _page(client, "fees:report_arrears", "?butler=99999999999999999999999&page=99999999999999999999")
    _page(client, "fees:report_payment_list", "?method=bitcoin&from=2026-10-01&to=2026-10-31&page=x")


def test_ageing_page_puts_open_amounts_in_their_bands(october, finance, client_for):
    # As of 2026-10-31: 1-1-101's 1,234.57 is 21 days past due, 1-1-104's August 150.00 is 82.
    page = _page(client_for(finance), "fees:report_ageing", "?as_of=2026-10-31")
    assert 'id="band-0">¥1234.57<' in page
    assert 'id="band-1">¥150.00<' in page
    assert 'id="band-2">¥0.00<' in page
    assert 'id="ageing-total">¥1384.57<' in page
    assert "777.77" not in page
    assert "?as_of=2026-10-31&amp;band=1&amp;building=1" in page
    assert 'id="fee-ageing-data"' in page and "chart.umd.min.js" in page


@pytest.fixture
def reasons(clock, zone1, butler1):
    """Four households past due on 2026-11-02: 1-1-101 (100.00) said 经济困难 after
    an earlier 长期不在; 1-1-102 (200.00) was called but gave no reason; 1-1-103
    (300.00) was never called; 1-1-104 (50.00 + 70.00, and 999.00 not yet due)
    said 经济困难, then a later call recorded no reason."""
    h1, h2, h3, h4 = zone1
    _line(h1, "100.00", OCTOBER)
    _call(h1, butler1, at(2026, 9, 20), "away")
    _call(h1, butler1, at(2026, 10, 20), "hardship")
    _line(h2, "200.00", OCTOBER)
    _call(h2, butler1, at(2026, 10, 20))
    _line(h3, "300.00", OCTOBER)
    _line(h4, "50.00", dt.date(2026, 9, 1))
    _line(h4, "70.00", OCTOBER)
    _line(h4, "999.00", dt.date(2026, 11, 1), due=dt.date(2026, 11, 10))
    _call(h4, butler1, at(2026, 10, 15), "hardship")
    _call(h4, butler1, at(2026, 10, 25))
    return zone1


def test_reasons_page_groups_households_by_their_latest_recorded_reason(reasons, manager, client_for):
    page = _page(client_for(manager), "fees:report_reasons", "?as_of=2026-11-02")
    hardship = page.split('id="reason-hardship"')[1].split("</tr>")[0]
    assert ">2<" in hardship and "¥220.00" in hardship
    unstated = page.split('id="reason-unstated"')[1].split("</tr>")[0]
    assert "已联系未说明原因" in unstated and ">1<" in unstated and "¥200.00" in unstated
    none = page.split('id="reason-none"')[1].split("</tr>")[0]
    assert "未联系" in none and ">1<" in none and "¥300.00" in none
    away = page.split('id="reason-away"')[1].split("</tr>")[0]
    assert ">0<" in away
    assert 'id="reasons-households">4<' in page and 'id="reasons-amount">¥720.00<' in page


def test_arrears_list_behind_a_reason_links_each_house(reasons, finance, butler1, client_for):
    h1, _, _, h4 = reasons
    page = _page(client_for(finance), "fees:report_arrears", "?as_of=2026-11-02&reason=hardship")
    assert 'id="arrears-households">2<' in page and 'id="arrears-total">¥220.00<' in page
    assert reverse("residents:house_detail", args=[h1.pk]) in page
    assert reverse("residents:house_detail", args=[h4.pk]) in page
    row = page.split(f'{reverse("residents:house_detail", args=[h4.pk])}"')[1].split("</tr>")[0]
    assert "¥120.00" in row and "2026年9月" in row and butler1.display_name in row and "经济困难" in row
    assert "1-1-102" not in page and "1-1-103" not in page


def test_arrears_list_by_building_butler_and_band(october, butler2, supervisor, finance, client_for):
    other = make_houses(october[0].community, "2", actor=supervisor, butler=butler2, rooms=1)[0]
    _line(other, "400.00", OCTOBER)
    client = client_for(finance)
    by_building = _page(client, "fees:report_arrears", "?as_of=2026-10-31&building=2")
    assert "2-1-101" in by_building and "1-1-101" not in by_building and "¥400.00" in by_building
    by_butler = _page(client, "fees:report_arrears", f"?as_of=2026-10-31&butler={butler2.pk}")
    assert "2-1-101" in by_butler and "1-1-104" not in by_butler
    band = _page(client, "fees:report_arrears", "?as_of=2026-10-31&band=1")
    assert "1-1-104" in band and "¥150.00" in band and "1-1-101" not in band and "账龄 31–90天" in band
    month = _page(client, "fees:report_arrears", "?month=2026-10&building=1")
    assert 'id="arrears-total">¥1234.57<' in month and "1-1-101" in month and "1-1-104" not in month
    everyone = _page(client, "fees:report_arrears", "?as_of=2026-10-31")
    assert "9-1-101" not in everyone  # community 2's house
    assert 'id="arrears-households">3<' in everyone


@pytest.fixture
def takings(clock, zone1, finance, butler1, outsider_house, butler3):
    """2026-10-05 09:00 WeChat 100.00; 2026-10-06 00:30 (still 10-05 in UTC) cash
    50.00 by butler1; 10-06 bank 200.00; a voided WeChat 999.00 on 10-06; a
    payment on 10-31 outside the period; community 2's payment on 10-05."""
    h1, h2, h3, h4 = zone1
    for house in zone1:
        _line(house, "5000.00", OCTOBER)
    _pay(h1, finance, "100.00", at(2026, 10, 5, 9), "wechat", payer='=HYPERLINK("http://x")')
    _pay(h2, butler1, "50.00", at(2026, 10, 6, 0, 30), "cash")
    _pay(h3, finance, "200.00", at(2026, 10, 6, 15), "bank")
    voided = _pay(h4, finance, "999.00", at(2026, 10, 6, 16), "wechat")
    payments.void_receipt(voided.receipt, actor=finance, reason="重复")
    _pay(h4, finance, "123.00", at(2026, 10, 31, 10), "pos")
    _pay(outsider_house, butler3, "888.00", at(2026, 10, 5, 10), "wechat")
    return zone1


def test_payments_page_totals_by_method_and_day(takings, finance, client_for):
    page = _page(client_for(finance), "fees:report_payments", "?from=2026-10-01&to=2026-10-30")
    assert 'id="payments-total">¥350.00<' in page
    wechat = page.split('id="method-wechat"')[1].split("</tr>")[0]
    assert ">1<" in wechat and "¥100.00" in wechat
    assert "¥50.00" in page.split('id="method-cash"')[1].split("</tr>")[0]
    assert 'id="method-pos"' not in page and "999.00" not in page and "888.00" not in page
    day5 = page.split('id="day-2026-10-05"')[1].split("</tr>")[0]
    assert "¥100.00" in day5 and "¥50.00" not in day5
    day6 = page.split('id="day-2026-10-06"')[1].split("</tr>")[0]
    assert "¥50.00" in day6 and "¥200.00" in day6 and "¥250.00" in day6
    assert "?from=2026-10-06&amp;to=2026-10-06&amp;method=cash" in day6


def test_payment_list_of_a_day_and_method_links_the_receipt(takings, manager, client_for):
    page = _page(client_for(manager), "fees:report_payment_list", "?from=2026-10-06&to=2026-10-06&method=cash")
    receipt = Receipt.objects.get(payment__amount=D("50.00"))
    assert reverse("fees:receipt", args=[receipt.pk]) in page and receipt.number in page
    assert 'id="payments-count">1<' in page and 'id="payments-sum">¥50.00<' in page
    assert "200.00" not in page and "999.00" not in page
    assert "2026-10-06 00:30" in page and "现金" in page


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def test_payment_export_opens_and_neutralises_a_formula(takings, finance, client_for):
    url = reverse("fees:report_payment_export") + "?from=2026-10-01&to=2026-10-30"
    sheet = _workbook(client_for(finance).get(url))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("收据编号", "收款时间", "房号", "金额", "方式", "缴款人", "交易单号", "收款人")
    assert len(rows) == 4  # the header and three valid payments in the period
    first = rows[1]
    assert first[2] == "1-1-101" and D(str(first[3])) == D("100.00") and first[4] == "微信"
    assert first[5] == '\'=HYPERLINK("http://x")'
    assert not any(str(value).startswith("=") for row in rows for value in row if value is not None)


def test_arrears_export_lists_the_households_without_phone_numbers(reasons, finance, butler1, client_for):
    url = reverse("fees:report_arrears_export") + "?as_of=2026-11-02"
    rows = list(_workbook(client_for(finance).get(url)).iter_rows(values_only=True))
    assert rows[0] == ("房号", "楼栋", "责任管家", "欠费金额", "最早欠费月份", "最近欠费原因")
    name = butler1.display_name
    assert rows[1:] == [
        ("1-1-101", "1", name, 100, "2026-10", "经济困难"),
        ("1-1-102", "1", name, 200, "2026-10", "已联系未说明原因"),
        ("1-1-103", "1", name, 300, "2026-10", "未联系"),
        ("1-1-104", "1", name, 120, "2026-09", "经济困难"),
    ]


def test_dashboard_card_shows_this_months_rate_and_arrears(clock, zone1, finance, manager, butler1, client_for):
    h1, h2, _, _ = zone1
    _line(h1, "1000.00", dt.date(2026, 11, 1))
    _pay(h1, finance, "250.00", at(2026, 11, 2, 8))
    _line(h2, "80.00", OCTOBER)
    page = _page(client_for(manager), "core:home")
    assert 'id="widget-fees"' in page
    assert 'id="fees-rate">25.00%<' in page
    assert 'id="fees-arrears">¥80.00<' in page and 'id="fees-households">1<' in page
    assert reverse("fees:report_collection") in page and "收费报表" in page
    assert 'id="widget-fees"' not in _page(client_for(butler1), "core:home")


def _households(community, supervisor, butler, count, finance):
    """`count` households each past due with a call on record and a payment."""
    houses = make_houses(community, f"B{count}", actor=supervisor, butler=butler, rooms=count)
    for n, house in enumerate(houses):
        _line(house, "300.00", dt.date(2026, 8, 1))
        _line(house, "300.00", OCTOBER)
        _call(house, butler, at(2026, 10, 20), "hardship" if n % 2 else "")
        _pay(house, finance, "100.00", at(2026, 10, 21), "cash" if n % 2 else "wechat")
    return houses


PAGES = [
    ("fees:report_collection", "?month=2026-10&as_of=2026-10-31"),
    ("fees:report_ageing", "?as_of=2026-10-31"),
    ("fees:report_reasons", "?as_of=2026-10-31"),
    ("fees:report_payments", "?from=2026-10-01&to=2026-10-31"),
    ("fees:report_arrears", "?as_of=2026-10-31"),
    ("fees:report_payment_list", "?from=2026-10-01&to=2026-10-31"),
    ("core:home", ""),
]


def test_report_queries_do_not_grow_from_2_to_20_households(
    clock, community, supervisor, butler1, finance, manager, client_for, django_assert_max_num_queries
):
    client = client_for(manager)
    _households(community, supervisor, butler1, 2, finance)
    few = {}
    for name, query in PAGES:
        with CaptureQueriesContext(connection) as captured:
            _page(client, name, query)
        few[name] = len(captured.captured_queries)
    _households(community, supervisor, butler1, 20, finance)
    for name, query in PAGES:
        with django_assert_max_num_queries(few[name]):
            page = _page(client, name, query)
        if name == "fees:report_arrears":
            assert 'id="arrears-households">22<' in page


@pytest.mark.parametrize("name", REPORT_URLS)
def test_finance_supervisor_and_manager_read_reports_butler_and_technician_may_not(
    name, clock, finance, supervisor, manager, butler1, tech1, client_for
):
    for person, status in ((finance, 200), (supervisor, 200), (manager, 200), (butler1, 403), (tech1, 403)):
        assert client_for(person).get(reverse(name)).status_code == status, person
