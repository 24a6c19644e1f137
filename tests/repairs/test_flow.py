"""A work order from the call to the return visit (issue 9 §5–§7, §10)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Reminder
from repairs import services
from repairs.choices import Condition, Signature, Status, Urgency
from repairs.models import Charge, WorkOrder
from tests.builders import at, inbox
from visits import services as visit_services
from visits.choices import Trigger
from visits.models import ReturnVisit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _on_site(order, dispatcher, tech):
    order = services.dispatch(order, actor=dispatcher, technician=tech)
    order = services.accept(order, actor=tech)
    return services.arrive(order, actor=tech, entry_agreed=True)


def test_quote_line_is_rounded_half_up_once(clock, order, supervisor, tech, price_list):
    o = _on_site(order(), supervisor, tech)
    pipe = price_list.items.get(unit="m")
    o = services.quote(o, actor=tech, lines=[(pipe, Decimal("2.5"))])
    assert o.status == Status.QUOTING
    assert o.quote_lines.get().amount == Decimal("30.63")  # half-even or float: 30.62
    assert o.quote_total == Decimal("30.63")


def test_done_twice_makes_one_charge_on_finance_summary(clock, order, supervisor, tech, price_list):
    o = _on_site(order(), supervisor, tech)
    o = services.quote(o, actor=tech, lines=[(price_list.items.get(unit="m"), Decimal("2.5"))])
    o = services.agree_quote(o, actor=tech)
    done = dict(result="已更换水管", signature=Signature.SIGNED, signature_png=PNG, rating="satisfied")
    o = services.complete(o, actor=tech, **done)
    with pytest.raises(ValidationError):
        services.complete(o, actor=tech, **done)
    assert o.status == Status.CONFIRMED
    charge = Charge.objects.get()
    assert charge.amount == Decimal("30.63") and charge.order == o and charge.house == o.house


def test_final_amount_above_agreed_quote_needs_new_agreement(clock, order, supervisor, tech, price_list):
    o = _on_site(order(), supervisor, tech)
    o = services.quote(o, actor=tech, lines=[(price_list.items.get(unit="个"), 1)])
    o = services.agree_quote(o, actor=tech)
    with pytest.raises(ValidationError) as error:
        services.complete(o, actor=tech, result="换了两个", final_amount=Decimal("40.00"))
    assert "重新报价" in str(error.value)
    o = services.quote(o, actor=tech, lines=[(price_list.items.get(unit="个"), 2)])
    assert o.status == Status.QUOTING
    o = services.agree_quote(o, actor=tech)
    o = services.complete(o, actor=tech, result="换了两个", final_amount=Decimal("40.00"))
    assert o.final_amount == Decimal("40.00")


def test_public_area_orders_never_charge(clock, order, supervisor, tech, price_list):
    o = _on_site(order(house=None, location="3栋大堂"), supervisor, tech)
    with pytest.raises(ValidationError):
        services.quote(o, actor=tech, lines=[(price_list.items.first(), 1)])
    o = services.start(o, actor=tech)
    with pytest.raises(ValidationError):
        services.complete(o, actor=tech, result="修好", final_amount=Decimal("5"))


def test_entry_needs_the_owners_agreement(clock, order, supervisor, tech):
    o = services.dispatch(order(), actor=supervisor, technician=tech)
    with pytest.raises(ValidationError):
        services.arrive(o, actor=tech, entry_agreed=False)


def test_urgent_repair_done_raises_return_visits_24h_and_7_days(clock, order, supervisor, tech, butler1):
    clock.now = at(2026, 5, 1, 9, 30)
    o = order(conditions=[Condition.PUMP_PIPE])
    assert o.urgency == Urgency.URGENT
    o = _on_site(o, supervisor, tech)
    o = services.start(o, actor=tech)
    clock.now = at(2026, 5, 1, 10)
    services.complete(o, actor=tech, result="已更换破裂水管")
    first = ReturnVisit.objects.get(trigger=Trigger.URGENT_REPAIR)
    again = ReturnVisit.objects.get(trigger=Trigger.URGENT_REPAIR_AGAIN)
    assert first.due_at == at(2026, 5, 2, 10)
    assert again.due_at == at(2026, 5, 8, 10)
    assert first.assignee == butler1


def test_dissatisfied_return_visit_opens_a_linked_rework_order(
    clock, order, supervisor, tech, engineer, butler1, django_capture_on_commit_callbacks
):
    o = _on_site(order(), supervisor, tech)
    o = services.start(o, actor=tech)
    o = services.complete(o, actor=tech, result="已修")
    rv = ReturnVisit.objects.get(trigger=Trigger.OTHER_REPAIR)
    assert rv.due_at == clock.now + dt.timedelta(hours=72)
    clock.now = clock.now + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        visit_services.log_visit(
            house=o.house,
            actor=butler1,
            started_at=clock.now - dt.timedelta(minutes=10),
            channel="door",
            visit_type="repair_return",
            satisfaction="dissatisfied",
            reply="还在滴水",
            return_visit=rv,
        )
    o.refresh_from_db()
    assert o.status == Status.VISITED
    rework = WorkOrder.objects.get(rework_of=o)
    assert rework.is_repeat and rework.house == o.house and "还在滴水" in rework.description
    assert any("返工" in text for text in inbox(tech, "repairs.rework"))
    assert any("返工" in text for text in inbox(engineer, "repairs.rework"))


def test_emergency_may_be_saved_with_place_and_one_line(clock, community, frontdesk, supervisor):
    o = services.receive_order(
        community=community, actor=frontdesk, source="phone", quick=True, location="5栋地库", description="地库跑水"
    )
    assert o.urgency == Urgency.EMERGENCY and o.paperwork_pending and o.category is None
    assert o.dispatch_mode == "assign"
    assert inbox(supervisor, "repairs.emergency")


def test_return_only_by_the_engineering_head_and_the_owner_is_told(clock, order, frontdesk, tech, engineer):
    o = order()
    with pytest.raises(PermissionDenied):
        services.return_order(o, actor=tech, reason="不归我管")
    o = services.return_order(o, actor=engineer, reason="属于开发商保修范围")
    assert o.status == Status.RETURNED
    assert inbox(frontdesk, "repairs.returned")


def test_void_keeps_the_number(clock, order, supervisor):
    o = order()
    services.void(o, actor=supervisor, reason="重复来电")
    o.refresh_from_db()
    assert o.status == Status.VOID and o.number.endswith("000001")
    assert order().number.endswith("000002")


def test_repeat_repair_within_30_days_is_flagged(clock, order):
    first = order()
    assert not first.is_repeat
    clock.now = clock.now + dt.timedelta(days=29)
    assert order().is_repeat
    clock.now = clock.now + dt.timedelta(days=60)
    assert not order().is_repeat


def test_materials_purchase_pauses_and_is_the_heads(clock, order, supervisor, tech, engineer):
    o = _on_site(order(), supervisor, tech)
    with pytest.raises(PermissionDenied):
        services.file_purchase(o, actor=tech, items=[("水龙头", 1, "个", 80)])
    services.file_purchase(o, actor=engineer, items=[("水龙头", 1, "个", 80)])
    o.refresh_from_db()
    assert o.is_paused and o.purchases.count() == 1
    assert not Reminder.objects.filter(kind="repairs.materials").exists()


def test_return_visit_rates_attitude_quality_manners_and_a_poor_quality_opens_rework(
    clock, order, supervisor, tech, butler1, client_for, django_capture_on_commit_callbacks
):
    from repairs import statistics

    o = _on_site(order(), supervisor, tech)
    o = services.complete(services.start(o, actor=tech), actor=tech, result="已修")
    rv = ReturnVisit.objects.get(trigger=Trigger.OTHER_REPAIR)
    clock.now += dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        visit_services.log_visit(
            house=o.house,
            actor=butler1,
            started_at=clock.now - dt.timedelta(minutes=5),
            channel="door",
            visit_type="repair_return",
            satisfaction="satisfied",
            repair_ratings={"attitude": "satisfied", "quality": "dissatisfied", "manners": "satisfied"},
            reply="龙头还有点松",
            return_visit=rv,
        )
    o.refresh_from_db()
    assert o.return_ratings["quality"] == "dissatisfied"
    rework = WorkOrder.objects.get(rework_of=o)
    assert "维修质量不满意" in rework.description
    aspects = {a["label"]: a for a in statistics.month_figures(o.community, o.report_month)["aspects"]}
    assert aspects["维修质量"]["rate"] == Decimal("0.0") and aspects["工作态度"]["rate"] == Decimal("100.0")


def test_a_signed_charge_is_one_line_on_the_owners_next_statement(clock, order, supervisor, tech, price_list):
    from fees import services as fee_services
    from fees import statements
    from fees.models import BillLine, Statement

    o = _on_site(order(), supervisor, tech)
    o = services.quote(o, actor=tech, lines=[(price_list.items.get(unit="m"), Decimal("2.5"))])
    o = services.complete(services.agree_quote(o, actor=tech), actor=tech, result="已换管", signature="signed",
                          signature_png=PNG)  # fmt: skip
    charge = Charge.objects.get()
    line = BillLine.objects.get(repair_charge=charge)
    assert (line.amount, line.open_amount, line.due_date) == (Decimal("30.63"), Decimal("30.63"), dt.date(2026, 12, 10))
    assert fee_services.bill_repair_charge(charge) == line and BillLine.objects.count() == 1  # idempotent
    charge.refresh_from_db()
    assert charge.billed_at is not None
    o.house.handover_date = dt.date(2025, 1, 1)
    o.house.save(update_fields=["handover_date"])
    clock.now = at(2026, 11, 28, 9)
    statements.draft_due_statements()
    statement = Statement.objects.get(house=o.house)
    assert statement.charges == Decimal("30.63") and line in statement.lines.all()


def test_the_same_return_visit_reported_twice_counts_once(clock, order, supervisor, tech, butler1):
    o = _on_site(order(), supervisor, tech)
    o = services.complete(services.start(o, actor=tech), actor=tech, result="已修")
    rv = ReturnVisit.objects.get(trigger=Trigger.OTHER_REPAIR)
    clock.now += dt.timedelta(days=1)
    visit = visit_services.log_visit(
        house=o.house,
        actor=butler1,
        started_at=clock.now - dt.timedelta(minutes=5),
        channel="door",
        visit_type="repair_return",
        satisfaction="dissatisfied",
        reply="还在漏",
        return_visit=rv,
    )
    services.on_return_visit_done(sender=None, return_visit=rv, visit=visit)
    services.on_return_visit_done(sender=None, return_visit=rv, visit=visit)  # a retried hook
    assert o.events.filter(action="return_visited").count() == 1
    assert WorkOrder.objects.filter(rework_of=o).count() == 1
