"""便民服务 [001 L546–588] (issue 10 §12): the yearly price table the manager drafts
and a company admin approves, the 《委托服务单》 signed by the owner, monthly
services billed on the statements, per-use services line by line, stopping with a
reason, and the break-even flag (1,200.00 a month at 50.00 → 24; 23 flag)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fees import convenience, statements
from fees.choices import LineSource, PriceListStatus
from fees.models import BillLine, ConvenienceService, Statement
from tests.builders import at, inbox, make_houses

D = Decimal
MILK = {"name": "送奶", "price": "50.00", "cycle": "monthly", "monthly_cost": "1200.00"}
WATER = {"name": "桶装水", "price": "15.00", "cycle": "per_use", "deposit": "30.00", "prepayment": "45.00"}


def _approved(community, manager, admin, *rows, year=2026):
    table = convenience.draft_price_list(community, year, actor=manager)
    services = [convenience.add_service(table, actor=manager, **row) for row in rows]
    convenience.submit_price_list(table, actor=manager)
    convenience.approve_price_list(table, actor=admin)
    return services


def _subscribe(house, service, actor, **overrides):
    data = {
        "owner_name": "张先生",
        "phone": "13812345678",
        "started_on": dt.date(2026, 1, 5),
        "owner_signed": True,
        **overrides,
    }
    return convenience.subscribe(house, service, actor=actor, **data)


@pytest.fixture
def services(clock, community, manager, company_admin):
    """The approved 2026 table: 送奶 (monthly, 50.00, cost 1,200.00) and 桶装水 (per use)."""
    return _approved(community, manager, company_admin, MILK, WATER)


@pytest.fixture
def milk(services):
    return services[0]


@pytest.fixture
def water(services):
    return services[1]


# --- break-even -----------------------------------------------------------------


def test_break_even_is_monthly_cost_over_price_rounded_up():
    assert convenience.break_even(ConvenienceService(price=D("50.00"), monthly_cost=D("1200.00"))) == 24
    assert convenience.break_even(ConvenienceService(price=D("50.00"), monthly_cost=D("1200.01"))) == 25
    assert convenience.break_even(ConvenienceService(is_free=True, monthly_cost=D("300.00"))) is None
    assert convenience.break_even(ConvenienceService(price=D("50.00"))) is None


def test_23_subscribers_flag_the_manager_once_and_24_do_not(clock, milk, community, supervisor, butler1, manager):
    houses = make_houses(community, "2", actor=supervisor, butler=butler1, floors=6, rooms=4)
    for house in houses[:23]:
        _subscribe(house, milk, butler1)
    [row] = convenience.below_break_even(community)
    assert (row.name, row.active, row.needed) == ("送奶", 23, 24)
    assert convenience.flag_unprofitable(now=at(2026, 11, 3, 8, 40)) == 1
    assert convenience.flag_unprofitable(now=at(2026, 11, 4, 8, 40)) == 0  # once a month
    [text] = inbox(manager, "fees.convenience_below")
    assert "送奶" in text and "23 户" in text and "24 户" in text
    _subscribe(houses[23], milk, butler1)
    assert convenience.below_break_even(community) == []
    assert convenience.flag_unprofitable(now=at(2026, 12, 1, 8, 40)) == 0
    assert len(inbox(manager, "fees.convenience_below")) == 1


def test_a_stopped_subscriber_no_longer_counts(clock, milk, house, butler1):
    subscription = _subscribe(house, milk, butler1)
    clock.now = at(2026, 11, 20, 10)
    convenience.stop(subscription, actor=butler1, stopped_on=dt.date(2026, 11, 19), reason="搬走了")
    [row] = convenience.below_break_even(house.community)
    assert row.active == 0


# --- the price table ------------------------------------------------------------


def test_the_manager_drafts_the_company_admin_approves(clock, community, manager, company_admin, butler1):
    table = convenience.draft_price_list(community, 2026, actor=manager)
    convenience.add_service(table, actor=manager, **MILK)
    convenience.submit_price_list(table, actor=manager)
    assert inbox(company_admin, "fees.price_list") == ["阳光花园 报来 2026年《便民服务项目及价格表》，请审批。"]
    with pytest.raises(PermissionDenied):
        convenience.approve_price_list(table, actor=butler1)
    with pytest.raises(PermissionDenied):
        convenience.approve_price_list(table, actor=manager)
    with pytest.raises(ValidationError) as refused:
        convenience.add_service(table, actor=manager, name="洗车", price="20.00")
    assert refused.value.messages == ["价格表已报公司审批或已批准，不能再修改。"]
    convenience.approve_price_list(table, actor=company_admin)
    table.refresh_from_db()
    assert (table.status, table.approved_by) == (PriceListStatus.APPROVED, company_admin)
    assert table.history.first().history_user == company_admin
    assert "已批准" in inbox(manager, "fees.price_list_decided")[0]


def test_a_returned_table_goes_back_to_draft_with_the_reason(clock, community, manager, company_admin, client_for):
    table = convenience.draft_price_list(community, 2026, actor=manager)
    convenience.add_service(table, actor=manager, **MILK)
    convenience.submit_price_list(table, actor=manager)
    with pytest.raises(ValidationError):
        convenience.return_price_list(table, actor=company_admin, reason=" ")
    convenience.return_price_list(table, actor=company_admin, reason="送奶成本偏高，请重新核算")
    table.refresh_from_db()
    assert table.status == PriceListStatus.DRAFT
    assert inbox(manager, "fees.price_list_decided") == [
        "2026年《便民服务项目及价格表》被公司退回：送奶成本偏高，请重新核算"
    ]
    page = client_for(manager).get(reverse("fees:convenience") + "?year=2026").content.decode()
    assert "公司退回：送奶成本偏高，请重新核算" in page and 'id="service-form"' in page
    convenience.submit_price_list(table, actor=manager)  # a second submission reminds again
    assert len(inbox(company_admin, "fees.price_list")) == 2


def test_only_the_manager_drafts_and_rows_are_checked(clock, community, butler1, manager):
    with pytest.raises(PermissionDenied):
        convenience.draft_price_list(community, 2026, actor=butler1)
    table = convenience.draft_price_list(community, 2026, actor=manager)
    with pytest.raises(ValidationError) as twice:
        convenience.draft_price_list(community, 2026, actor=manager)
    assert twice.value.message_dict == {"year": ["2026年的便民服务项目及价格表已存在。"]}
    with pytest.raises(ValidationError) as bad:
        convenience.add_service(table, actor=manager, name="", price="0", deposit="-1", monthly_cost="12.345")
    assert bad.value.message_dict == {
        "name": ["请填写服务项目名称。"],
        "price": ["收费项目须填写大于 0 的价格。"],
        "deposit": ["押金不能小于 0。"],
        "monthly_cost": ["每月成本最多 2 位小数。"],
    }
    with pytest.raises(ValidationError) as free:
        convenience.add_service(table, actor=manager, name="代收快递", is_free=True, price="5.00")
    assert free.value.message_dict == {"price": ["免费项目的价格应为 0。"]}
    with pytest.raises(ValidationError):
        convenience.submit_price_list(table, actor=manager)  # no rows yet
    service = convenience.add_service(table, actor=manager, **MILK)
    assert (service.price, service.monthly_cost) == (D("50.00"), D("1200.00"))
    assert service.history.first().history_user == manager


def test_next_years_draft_starts_from_last_years_rows(clock, services, community, manager):
    table = convenience.draft_price_list(community, 2027, actor=manager)
    assert list(table.services.values_list("name", "price")) == [("送奶", D("50.00")), ("桶装水", D("15.00"))]


# --- subscriptions --------------------------------------------------------------


def test_a_service_of_an_unapproved_table_is_refused(clock, community, manager, house, butler1):
    table = convenience.draft_price_list(community, 2026, actor=manager)
    service = convenience.add_service(table, actor=manager, **MILK)
    with pytest.raises(ValidationError) as refused:
        _subscribe(house, service, butler1)
    assert "service" in refused.value.message_dict


def test_the_owner_must_sign_and_a_house_holds_a_service_once(clock, milk, house, butler1):
    with pytest.raises(ValidationError) as unsigned:
        _subscribe(house, milk, butler1, owner_signed=False)
    assert unsigned.value.message_dict == {"owner_signed": ["业主须在委托服务单上签字确认。"]}
    subscription = _subscribe(house, milk, butler1)
    assert subscription.history.first().history_user == butler1
    with pytest.raises(ValidationError) as twice:
        _subscribe(house, milk, butler1, started_on=dt.date(2026, 3, 1))
    assert "已在接受「送奶」" in twice.value.message_dict["service"][0]


def test_a_table_is_used_from_its_year_until_the_next_one_is_approved(
    clock, milk, community, manager, company_admin, zone1, butler1
):
    with pytest.raises(ValidationError) as early:
        _subscribe(zone1[0], milk, butler1, started_on=dt.date(2025, 12, 1))
    assert "started_on" in early.value.message_dict
    clock.now = at(2027, 1, 10, 10)
    assert _subscribe(zone1[0], milk, butler1, started_on=dt.date(2027, 1, 10)).service == milk
    table = convenience.draft_price_list(community, 2027, actor=manager)  # last year's rows copied
    convenience.submit_price_list(table, actor=manager)
    convenience.approve_price_list(table, actor=company_admin)
    with pytest.raises(ValidationError) as late:
        _subscribe(zone1[1], milk, butler1, started_on=dt.date(2027, 1, 12))
    assert "started_on" in late.value.message_dict
    assert _subscribe(zone1[1], table.services.get(name="送奶"), butler1, started_on=dt.date(2027, 1, 12))


def test_another_zones_butler_and_a_technician_cannot_register(clock, milk, house, butler2, tech1, frontdesk):
    for outsider in (butler2, tech1):
        with pytest.raises(PermissionDenied):
            _subscribe(house, milk, outsider)
    assert _subscribe(house, milk, frontdesk).created_by == frontdesk


def test_stopping_needs_a_reason(clock, milk, house, butler1):
    subscription = _subscribe(house, milk, butler1)
    with pytest.raises(ValidationError) as refused:
        convenience.stop(subscription, actor=butler1, stopped_on=dt.date(2026, 11, 2), reason="  ")
    assert refused.value.message_dict == {"reason": ["请问明并填写业主停止服务的原因。"]}
    convenience.stop(subscription, actor=butler1, stopped_on=dt.date(2026, 11, 2), reason="家里订了别家的奶")
    subscription.refresh_from_db()
    assert (subscription.stop_reason, subscription.stopped_by) == ("家里订了别家的奶", butler1)
    assert subscription.history.first().history_user == butler1


def test_a_monthly_service_is_billed_until_the_month_it_stops(clock, billed_house, milk, butler1):
    clock.now = at(2026, 1, 5, 10)
    subscription = _subscribe(billed_house, milk, butler1)
    clock.now = at(2026, 1, 20, 10)
    # Stopped on 15 February: February is still billed, March no more.
    convenience.stop(subscription, actor=butler1, stopped_on=dt.date(2026, 2, 15), reason="二月中旬搬走")
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    february = Statement.objects.get(month=dt.date(2026, 2, 1))
    line = february.lines.get(source=LineSource.SERVICE)
    assert (line.subscription, line.amount, line.description) == (subscription, D("50.00"), "2026年02月便民服务：送奶")
    assert february.charges == D("210.33") + D("50.00")
    clock.now = at(2026, 2, 28, 9)
    statements.draft_due_statements()
    march = Statement.objects.get(month=dt.date(2026, 3, 1))
    assert not march.lines.filter(source=LineSource.SERVICE).exists()


def test_a_per_use_service_is_a_line_for_the_next_statement(clock, billed_house, water, milk, butler1):
    clock.now = at(2026, 1, 5, 10)
    subscription = _subscribe(billed_house, water, butler1)
    clock.now = at(2026, 1, 12, 10)
    line = convenience.record_use(subscription, actor=butler1, quantity="3", on=dt.date(2026, 1, 12))
    assert (line.source, line.subscription, line.statement, line.amount, line.due_date) == (
        LineSource.SERVICE_USE,
        subscription,
        None,
        D("45.00"),
        dt.date(2026, 2, 10),
    )
    assert line.item.name == "便民服务" and line.history.first().history_user == butler1
    with pytest.raises(ValidationError) as future:
        convenience.record_use(subscription, actor=butler1, quantity="1", on=dt.date(2026, 1, 13))
    assert future.value.message_dict == {"on": ["服务日期不能晚于今天。"]}
    monthly = _subscribe(billed_house, milk, butler1)
    with pytest.raises(ValidationError):
        convenience.record_use(monthly, actor=butler1, quantity="1", on=dt.date(2026, 1, 12))
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    february = Statement.objects.get(month=dt.date(2026, 2, 1))
    line.refresh_from_db()
    assert line.statement == february
    assert february.charges == D("210.33") + D("50.00") + D("45.00")


# --- pages ----------------------------------------------------------------------


def test_the_list_and_the_printed_list_show_the_phone_masked(clock, milk, house, butler1, finance, client_for):
    _subscribe(house, milk, butler1, owner_name="王女士")
    client = client_for(finance)
    for url in (reverse("fees:convenience_subscriptions"), reverse("fees:convenience_subscribers_print")):
        page = client.get(url).content.decode()
        assert "王女士" in page and "138****5678" in page and "13812345678" not in page
    printed = client.get(reverse("fees:convenience_subscribers_print")).content.decode()
    assert "接受长期服务业主名单" in printed and house.number in printed and "2026-01-05" in printed


def test_the_list_makes_as_many_queries_for_12_as_for_2(clock, milk, community, supervisor, finance, client_for):
    houses = make_houses(community, "3", actor=supervisor, floors=3, rooms=4)
    client = client_for(finance)
    url = reverse("fees:convenience_subscriptions")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for house in houses[:2]:
        _subscribe(house, milk, supervisor)
    few = count()
    for house in houses[2:]:
        _subscribe(house, milk, supervisor)
    assert count() == few


def test_the_table_shows_the_break_even_flag_and_prints_for_posting(clock, milk, community, finance, client_for):
    client = client_for(finance)
    page = client.get(reverse("fees:convenience")).content.decode()
    assert "低于保本户数 0/24" in page
    table = milk.price_list
    printed = client.get(reverse("fees:convenience_print", args=[table.pk])).content.decode()
    assert "阳光花园" in printed and "2026年便民服务项目及价格表" in printed
    assert "经公司批准" in printed and "¥50.00 / 月" in printed


def test_the_form_tells_what_to_collect_and_keeps_bad_input(clock, water, house, butler1, client_for):
    client = client_for(butler1)
    url = reverse("fees:convenience_subscribe")
    data = {
        "house_number": house.number,
        "service": water.pk,
        "owner_name": "李女士",
        "phone": "13900001111",
        "started_on": "2026-11-02",
    }
    unsigned = client.post(url, data)
    assert unsigned.status_code == 400
    assert "业主须在委托服务单上签字确认" in unsigned.content.decode() and "李女士" in unsigned.content.decode()
    unknown = client.post(url, {**data, "house_number": "9-9-909", "owner_signed": "on"})
    assert unknown.status_code == 400 and "本小区没有房号 9-9-909" in unknown.content.decode()
    done = client.post(url, {**data, "owner_signed": "on"}, follow=True).content.decode()
    assert "请告知业主缴交押金 ¥30.00、预交费用 ¥45.00" in done
    assert "139****1111" in done


def test_another_zones_butler_is_told_on_the_form(clock, water, house, butler2, client_for):
    data = {"house_number": house.number, "service": water.pk, "owner_name": "李女士", "phone": "13900001111"}
    data.update(started_on="2026-11-02", owner_signed="on")
    response = client_for(butler2).post(reverse("fees:convenience_subscribe"), data)
    assert response.status_code == 403 and "李女士" in response.content.decode()


def test_stop_and_use_pages(clock, water, house, butler1, client_for):
    subscription = _subscribe(house, water, butler1)
    client = client_for(butler1)
    stop_url = reverse("fees:convenience_stop", args=[subscription.pk])
    empty = client.post(stop_url, {"stopped_on": "2026-11-02", "reason": ""})
    assert empty.status_code == 400 and "请问明并填写业主停止服务的原因" in empty.content.decode()
    use = client.post(reverse("fees:convenience_use", args=[subscription.pk]), {"on": "2026-11-01", "quantity": "2"})
    assert use.status_code == 302
    assert BillLine.objects.get(source=LineSource.SERVICE_USE).amount == D("30.00")
    stopped = client.post(stop_url, {"stopped_on": "2026-11-02", "reason": "不需要了"})
    assert stopped.status_code == 302
    subscription.refresh_from_db()
    assert subscription.stop_reason == "不需要了"


def test_the_approval_pages(clock, community, manager, company_admin, client_for):
    table = convenience.draft_price_list(community, 2026, actor=manager)
    client = client_for(manager)
    bad = client.post(
        reverse("fees:convenience_add", args=[table.pk]), {"name": "送奶", "price": "abc", "cycle": "monthly"}
    )
    assert bad.status_code == 400 and "价格须为金额" in bad.content.decode() and "abc" in bad.content.decode()
    client.post(reverse("fees:convenience_add", args=[table.pk]), {**MILK})
    client.post(reverse("fees:convenience_submit", args=[table.pk]))
    assert client.post(reverse("fees:convenience_decide", args=[table.pk]), {"which": "approve"}).status_code == 403
    admin = client_for(company_admin)
    page = admin.get(reverse("fees:convenience") + "?year=2026").content.decode()
    assert 'id="decide"' in page
    admin.post(reverse("fees:convenience_decide", args=[table.pk]), {"which": "approve"})
    table.refresh_from_db()
    assert table.status == PriceListStatus.APPROVED


def test_a_new_years_approved_table_reprices_running_subscriptions(
    clock, billed_house, community, manager, company_admin, butler1
):
    clock.now = at(2026, 1, 5, 10)
    (milk_2026,) = _approved(community, manager, company_admin, MILK)
    _subscribe(billed_house, milk_2026, butler1)
    clock.now = at(2026, 12, 20, 10)
    # The 2027 draft starts from 2026's rows; the manager raises 送奶 to 55.00.
    table = convenience.draft_price_list(community, 2027, actor=manager)
    convenience.edit_service(table.services.get(name="送奶"), actor=manager, **{**MILK, "price": "55.00"})
    convenience.submit_price_list(table, actor=manager)
    convenience.approve_price_list(table, actor=company_admin)
    clock.now = at(2026, 12, 28, 9)
    statements.draft_due_statements()
    line = Statement.objects.get(month=dt.date(2027, 1, 1)).lines.get(source=LineSource.SERVICE)
    assert line.amount == D("55.00")
