"""Adjustments with the manager's approval, the prepaid balance used by the next
statement, and late fees billed on statements when a policy says so (issue 10
§3, §4, §8)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Reminder
from fees import adjustments, payments, reports, statements
from fees.choices import AdjustmentStatus, LineSource
from fees.models import Allocation, BillLine, LateFeePolicy, Statement
from tests.builders import at

D = Decimal


@pytest.fixture
def january(clock, billed_house):
    """January's statement drafted on 2025-12-28 and issued; its one line 210.33."""
    clock.now = at(2025, 12, 28, 9)
    statements.draft_due_statements()
    statement = Statement.objects.get()
    Statement.objects.filter(pk=statement.pk).update(status="issued")
    return statement.lines.get()


def test_a_credit_needs_the_managers_approval_and_lands_on_the_next_statement(
    clock, january, butler1, manager, supervisor
):
    clock.now = at(2026, 1, 5, 10)
    adjustment = adjustments.request_adjustment(january, actor=butler1, amount="-10.33", reason="电梯停运一周减免")
    assert Reminder.objects.filter(recipient=manager, kind="fees.adjustment").count() == 1
    january.refresh_from_db()
    assert january.open_amount == D("210.33")  # nothing changes before approval
    with pytest.raises(PermissionDenied):
        adjustments.approve_adjustment(adjustment, actor=supervisor)
    adjustments.approve_adjustment(adjustment, actor=manager)
    adjustment.refresh_from_db()
    january.refresh_from_db()
    credit = adjustment.line
    assert adjustment.status == AdjustmentStatus.APPROVED
    assert (credit.corrects, credit.amount, credit.month) == (january, D("-10.33"), dt.date(2026, 1, 1))
    assert (january.open_amount, credit.open_amount) == (D("200.00"), D("0.00"))
    assert Reminder.objects.get(recipient=manager, kind="fees.adjustment").read_at is not None
    # The issued January statement is untouched; February's carries the adjustment.
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    february = Statement.objects.get(month=dt.date(2026, 2, 1))
    assert (february.brought_forward, february.charges, february.adjustments) == (D("200.00"), D("210.33"), D("-10.33"))
    assert credit in february.lines.all()
    # 收缴率 of January reads what was billed net of the credit; the credit is not "collected".
    row = reports.collection_rate(january.community, dt.date(2026, 1, 1), dt.date(2026, 2, 1))[0]
    assert (row["billed"], row["collected"]) == (D("200.00"), D("0.00"))


def test_a_credit_larger_than_what_is_open_becomes_balance_for_the_next_statement(clock, january, finance, manager):
    clock.now = at(2026, 1, 6, 10)
    payments.record_payment(house=january.house, actor=finance, amount="210.33", method="wechat", payer="业主")
    adjustment = adjustments.request_adjustment(january, actor=finance, amount="-50.00", reason="多收退回")
    adjustments.approve_adjustment(adjustment, actor=manager)
    assert payments.unallocated(january.house) == D("50.00")
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()
    february = Statement.objects.get(month=dt.date(2026, 2, 1))
    # The credit shows once, as February's adjustment, and pays February's line.
    assert (february.charges, february.adjustments, february.prepaid) == (D("210.33"), D("-50.00"), D("0.00"))
    assert february.amount_due == D("160.33")
    line = february.lines.get(source=LineSource.CHARGE)
    assert line.open_amount == D("160.33")
    assert payments.unallocated(january.house) == D("0.00")


def test_an_adjustment_cannot_take_a_line_below_zero_and_needs_a_reason(clock, january, finance, manager):
    with pytest.raises(ValidationError) as error:
        adjustments.request_adjustment(january, actor=finance, amount="-210.34", reason="全免")
    assert "不能小于 0" in str(error.value)
    with pytest.raises(ValidationError) as error:
        adjustments.request_adjustment(january, actor=finance, amount="5", reason=" ")
    assert "调整原因" in str(error.value)


def test_the_manager_rejects_with_a_reason_and_the_requester_is_told(clock, january, butler1, manager, tech1):
    with pytest.raises(PermissionDenied):
        adjustments.request_adjustment(january, actor=tech1, amount="-1", reason="x")
    adjustment = adjustments.request_adjustment(january, actor=butler1, amount="-5", reason="业主要求")
    with pytest.raises(ValidationError):
        adjustments.reject_adjustment(adjustment, actor=manager, note="")
    adjustments.reject_adjustment(adjustment, actor=manager, note="不符合减免规定")
    assert Reminder.objects.filter(recipient=butler1, kind="fees.adjustment_rejected").count() == 1
    assert not BillLine.objects.filter(source=LineSource.ADJUSTMENT).exists()
    with pytest.raises(ValidationError):
        adjustments.approve_adjustment(adjustment, actor=manager)


def test_a_prepayment_pays_the_next_statements_lines(clock, billed_house, finance):
    clock.now = at(2025, 12, 20, 9)
    payments.record_payment(house=billed_house, actor=finance, amount="300.00", method="cash", payer="业主")
    clock.now = at(2025, 12, 28, 9)
    statements.draft_due_statements()
    january = Statement.objects.get()
    assert (january.prepaid, january.amount_due) == (D("300.00"), D("0.00"))
    assert january.lines.get().open_amount == D("0.00")
    assert Allocation.objects.get().paid_on == dt.date(2025, 12, 28)
    assert payments.unallocated(billed_house) == D("89.67")


def test_late_fees_go_on_statements_only_when_the_policy_says_so(clock, january, community):
    clock.now = at(2026, 1, 28, 9)
    statements.draft_due_statements()  # the default policy: late fees are not billed
    assert not BillLine.objects.filter(source=LineSource.LATE_FEE).exists()
    LateFeePolicy.objects.create(company=community.company, community=community, on_statements=True)
    clock.now = at(2026, 2, 28, 9)
    statements.draft_due_statements()
    late = BillLine.objects.get(source=LineSource.LATE_FEE, corrects=january)
    # 210.33 due 2026-01-10, from 01-11 through 02-28: 49 days × 0.03 % → 3.09
    assert (late.corrects, late.amount) == (january, D("3.09"))
    assert "49天" in late.description
    # The next month bills only the late fee added since.
    clock.now = at(2026, 3, 28, 9)
    statements.draft_due_statements()
    later = BillLine.objects.filter(source=LineSource.LATE_FEE, corrects=january).order_by("pk")
    assert [line.amount for line in later] == [D("3.09"), D("1.77")]  # 77 days → 4.86 in all


def test_the_adjustment_pages_request_and_decide(clock, january, butler1, butler2, manager, client_for):
    clock.now = at(2026, 1, 5, 10)
    url = f"/fees/lines/{january.pk}/adjust/"
    assert client_for(butler2).get(url).status_code == 404  # not butler2's zone
    response = client_for(butler1).post(url, {"amount": "0", "reason": "电梯停运"})
    assert response.status_code == 400
    assert "调整金额不能为 0" in response.content.decode() and 'value="电梯停运"' in response.content.decode()
    client_for(butler1).post(url, {"amount": "-10.33", "reason": "电梯停运"})
    adjustment = january.adjustment_requests.get()
    assert (
        client_for(butler1).post(f"/fees/adjustments/{adjustment.pk}/decide/", {"which": "approve"}).status_code == 403
    )
    listing = client_for(manager).get("/fees/adjustments/").content.decode()
    assert "待经理审批" in listing and "电梯停运" in listing
    client_for(manager).post(f"/fees/adjustments/{adjustment.pk}/decide/", {"which": "approve"})
    january.refresh_from_db()
    assert january.open_amount == D("200.00")
