"""对账单 drafted on the 28th (issue 10 §3 acceptance)."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fees import services, statements
from fees.models import BillLine, FrozenStatement, Statement
from tests.builders import at, make_houses
from tests.concurrency import run_in_threads

D = Decimal


def test_the_28th_drafts_next_months_statement_once(clock, billed_house):
    clock.now = at(2026, 1, 27, 9)
    assert statements.draft_due_statements() == 0  # not yet the 28th
    clock.now = at(2026, 1, 28, 9)
    assert statements.draft_due_statements() == 1
    assert statements.draft_due_statements() == 0  # run twice
    statement = Statement.objects.get()
    assert (statement.month, statement.due_date) == (dt.date(2026, 2, 1), dt.date(2026, 2, 10))
    assert statement.charges == D("210.33") and statement.amount_due == D("210.33")
    line = statement.lines.get()
    assert (line.amount, line.open_amount, line.description) == (D("210.33"), D("210.33"), "2026年02月物业服务费")


def test_unpaid_lines_are_brought_forward(clock, billed_house):
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    clock.now = at(2026, 2, 28, 9)
    statements.draft_due_statements()
    march = Statement.objects.get(month=dt.date(2026, 3, 1))
    assert (march.brought_forward, march.charges, march.amount_due) == (D("210.33"), D("210.33"), D("420.66"))


@pytest.mark.postgres
def test_two_workers_on_the_28th_draft_one_statement_per_house(transactional_db, clock, billed_house):
    clock.now = at(2026, 1, 28, 9)
    barrier = threading.Barrier(2, timeout=20)

    def job():
        barrier.wait()
        return statements.draft_due_statements()

    assert sorted(run_in_threads(job)) == [0, 1]
    assert Statement.objects.count() == 1 and BillLine.objects.count() == 1


def test_an_issued_statement_cannot_be_changed_by_service_or_admin(
    clock, billed_house, butler1, butler2, finance, community, admin_client
):
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    statement = Statement.objects.get()
    with pytest.raises(PermissionDenied):
        statements.check_statement(statement, actor=butler2)  # not butler2's zone
    statements.check_statement(statement, actor=butler1)
    with pytest.raises(PermissionDenied):
        statements.issue_statements(community, dt.date(2026, 2, 1), actor=butler1)
    assert statements.issue_statements(community, dt.date(2026, 2, 1), actor=finance) == 1
    statement.refresh_from_db()
    statement.amount_due = D("1.00")
    with pytest.raises(FrozenStatement):
        statement.save()
    assert Statement.objects.get().amount_due == D("210.33")


def test_unclaimed_after_14_days_reminds_the_butler_once_and_delivery_stops_it(
    clock, billed_house, butler1, finance, community
):
    from tests.builders import inbox

    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    statement = Statement.objects.get()
    statements.check_statement(statement, actor=butler1)
    statements.issue_statements(community, dt.date(2026, 2, 1), actor=finance)
    clock.now = at(2026, 2, 10, 9)
    statements.remind_due()
    assert inbox(butler1, "fees.unclaimed") == []
    clock.now = at(2026, 2, 11, 9, 30)
    statements.remind_due()
    statements.remind_due()
    assert len(inbox(butler1, "fees.unclaimed")) == 1
    statements.record_delivery(statement, actor=butler1, delivery="door")
    statement.refresh_from_db()
    assert statement.delivery == "door" and statement.status == "issued"


def test_a_missed_promise_reminds_the_butler_unless_paid(clock, billed_house, butler1, finance):
    from fees import collection, payments
    from tests.builders import inbox

    clock.now = at(2026, 5, 16, 10)
    collection.record_call(
        house=billed_house, actor=butler1, channel="phone", person_reached="张先生", answer="月底前交",
        promised_date=dt.date(2026, 5, 30),
    )  # fmt: skip
    clock.now = at(2026, 5, 31, 9, 30)
    statements.remind_due()
    assert len(inbox(butler1, "fees.promise")) == 1
    collection.record_call(
        house=billed_house, actor=butler1, channel="phone", person_reached="张先生", answer="下周一交",
        promised_date=dt.date(2026, 6, 1),
    )  # fmt: skip
    payments.record_payment(house=billed_house, actor=finance, amount="100", method="cash", payer="张先生")
    clock.now = at(2026, 6, 2, 9, 30)
    statements.remind_due()
    assert len(inbox(butler1, "fees.promise")) == 1  # the second promise was kept


def test_the_28th_job_drafts_in_batches_with_a_fixed_number_of_queries(
    clock, community, supervisor, butler1, manager, service_item, django_assert_max_num_queries
):
    services.set_rate(service_item, actor=manager, unit_price="2.35", valid_from=dt.date(2026, 1, 1))

    def handed_over(number, rooms):
        houses = make_houses(community, number, actor=supervisor, butler=butler1, rooms=rooms)
        for house in houses:
            house.floor_area, house.handover_date = D("89.50"), dt.date(2025, 6, 1)
        type(houses[0]).objects.bulk_update(houses, ["floor_area", "handover_date"])

    handed_over("A", 3)
    clock.now = at(2026, 1, 28, 9)
    with CaptureQueriesContext(connection) as few:
        assert statements.draft_due_statements() == 3
    handed_over("B", 30)
    clock.now = at(2026, 2, 28, 9)
    with CaptureQueriesContext(connection) as many:
        assert statements.draft_due_statements() == 33
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        assert statements.draft_due_statements() == 0  # run again: nothing left to draft
    assert BillLine.objects.filter(month=dt.date(2026, 3, 1)).count() == 33


def test_a_parking_space_pays_the_parking_fee_not_the_property_fee(clock, billed_house, manager, community):
    parking = next(i for i in services.items_for(community) if i.name == "车位管理费")
    services.set_rate(parking, actor=manager, unit_price="150", valid_from=dt.date(2026, 1, 1))
    space = make_houses(community, "P", actor=manager, rooms=1)[0]
    space.house_type, space.floor_area, space.handover_date = "parking", D("12.50"), dt.date(2025, 6, 1)
    space.save(update_fields=["house_type", "floor_area", "handover_date"])
    clock.now = at(2026, 1, 28, 9)
    assert statements.draft_due_statements() == 2
    assert [(line.description, line.amount) for line in BillLine.objects.filter(house=space)] == [
        ("2026年02月车位管理费", D("150.00"))
    ]
    assert [line.description for line in BillLine.objects.filter(house=billed_house)] == ["2026年02月物业服务费"]


def test_a_butler_checks_the_zones_drafts_in_one_go_and_finance_issues_them(
    clock, billed_house, butler1, butler2, finance, community
):
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    month = dt.date(2026, 2, 1)
    assert statements.check_statements(community, month, actor=butler2) == 0  # not butler2's zone
    assert statements.issue_statements(community, month, actor=finance) == 0  # nothing checked yet
    assert statements.check_statements(community, month, actor=butler1) == 1
    assert statements.issue_statements(community, month, actor=finance) == 1
    statement = Statement.objects.get()
    assert (statement.status, statement.checked_by, statement.issued_by) == ("issued", butler1, finance)
    assert [h.history_user for h in statement.history.order_by("history_date")][-2:] == [butler1, finance]


def test_the_butler_ticks_the_statements_delivered_on_the_round(
    clock, billed_house, butler1, butler2, finance, community, client_for
):
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    month = dt.date(2026, 2, 1)
    statements.check_statements(community, month, actor=butler1)
    statements.issue_statements(community, month, actor=finance)
    statement = Statement.objects.get()
    url = "/fees/statements/?month=2026-02"
    form = {"which": "deliver", "statements": [statement.pk], "delivery": "door"}
    assert f'value="{statement.pk}" form="deliver-form"' in client_for(butler1).get(url).content.decode()
    client_for(butler2).post(url, form)  # not butler2's zone: nothing recorded
    statement.refresh_from_db()
    assert statement.delivered_at is None
    response = client_for(butler1).post(url, {**form, "delivery": "pigeon"}, follow=True)
    assert "请选择发放方式" in response.content.decode()
    client_for(butler1).post(url, form)
    statement.refresh_from_db()
    assert (statement.delivery, statement.delivered_at) == ("door", clock.now)
    assert statement.history.first().history_user == butler1
    assert 'form="deliver-form"' not in client_for(butler1).get(url).content.decode().split('deliver-form" class')[0]
