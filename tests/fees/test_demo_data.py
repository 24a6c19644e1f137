"""`seed_demo` gives the fees app a year of 物业费 ending now (issue 10 §14): 12 months
of statements drafted by the 28th's job, checked, issued and delivered; payments of
every method with 收缴率 under 100 % and arrears in several ageing bands, some of
them recovered later (清欠); collection rounds with calls giving every reason —
物业服务问题 opening a complaint, 恶意欠费 a lawyer's letter; cash still to be handed
over; a voided and a reprinted receipt; a credit approved and a waiver refused; a
settlement certificate; the 便民服务 table with subscriptions. Receipt numbers have
no gaps, every open amount is what the allocations left, and a second run adds
nothing. It runs at a small scale: the stories do not depend on it."""

import datetime as dt
import io
import itertools
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.utils import timezone

from core.models import Community, Reminder
from fees import payments, reports
from fees.choices import (
    AdjustmentStatus,
    Delivery,
    LetterStatus,
    LineSource,
    Method,
    PriceListStatus,
    Reason,
    StatementStatus,
)
from fees.models import (
    Adjustment,
    Allocation,
    BillLine,
    CollectionCall,
    CollectionRound,
    LawyerLetter,
    Payment,
    Rate,
    Receipt,
    ServicePriceList,
    SettlementCertificate,
    Statement,
    Subscription,
)

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", scale=0.02, stdout=io.StringIO())


def _counts():
    return {
        "statements": Statement.objects.count(),
        "lines": BillLine.objects.count(),
        "payments": Payment.objects.count(),
        "rounds": CollectionRound.objects.count(),
        "calls": CollectionCall.objects.count(),
        "adjustments": Adjustment.objects.count(),
        "letters": LawyerLetter.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "reminders": Reminder.objects.filter(kind__startswith="fees.").count(),
    }


def _month_after(month):
    return (month + dt.timedelta(days=32)).replace(day=1)


def test_a_year_of_fees_ending_now_and_a_second_run_adds_nothing():
    """One seed for every check: the whole demo is slow to build."""
    seed()
    sunshine, lakeside = Community.objects.order_by("pk")
    today = timezone.localdate()
    for community in (sunshine, lakeside):
        statements = Statement.objects.filter(community=community)
        months = sorted(set(statements.values_list("month", flat=True)))
        assert len(months) == 12 and all(_month_after(a) == b for a, b in itertools.pairwise(months))
        # every month but the newest (on the 28th–30th still being checked) is issued
        assert not statements.filter(month__lt=months[-1]).exclude(status=StatementStatus.ISSUED).exists()
    drafted = Statement.objects.filter(community=sunshine).values_list("drafted_at", flat=True)
    assert {timezone.localtime(at).day for at in drafted} == {28}
    prices = set(
        Rate.objects.filter(item__community=sunshine, item__name="物业服务费").values_list("unit_price", flat=True)
    )
    assert prices == {Decimal("2.35"), Decimal("2.50")}
    deliveries = set(Statement.objects.filter(community=sunshine).values_list("delivery", flat=True))
    assert {Delivery.DOOR, Delivery.POST, Delivery.IN_PERSON} <= deliveries
    assert Reminder.objects.filter(community=sunshine, kind="fees.unclaimed").exists()

    # 收缴率 of a month gone by, ageing, 清欠
    past = months[-3]
    (overall,) = reports.collection_rate(sunshine, past, today)
    assert Decimal("80") < overall["rate"] < Decimal("100")
    assert len([row for row in reports.ageing(sunshine, today) if row["total"] > 0]) >= 3
    paid = Allocation.objects.filter(line__community=sunshine, line__source=LineSource.CHARGE, payment__voided_at=None)
    assert any((a.paid_on - a.line.due_date).days > 45 for a in paid.select_related("line"))  # arrears recovered
    methods = set(Payment.objects.filter(community=sunshine).values_list("method", flat=True))
    assert {Method.WECHAT, Method.ALIPAY, Method.CASH, Method.BANK, Method.POS} <= methods

    # rounds and the 《物管费催收记录表》
    assert CollectionRound.objects.filter(community=sunshine, tasks__calls__isnull=False).distinct().count() >= 10
    calls = CollectionCall.objects.filter(community=sunshine)
    assert set(calls.exclude(reason="").values_list("reason", flat=True)) == set(Reason.values)
    service = calls.get(reason=Reason.SERVICE)
    assert service.complaint.house_id == service.house_id and service.complaint.collection_calls.get() == service
    assert calls.filter(promised_date__isnull=False).exists()
    assert Reminder.objects.filter(community=sunshine, kind="fees.promise").exists()  # a promise missed
    kept = [
        call
        for call in calls.filter(promised_date__isnull=False).select_related("house")
        if Payment.objects.filter(
            house=call.house, received_at__gte=call.called_at, received_at__date__lte=call.promised_date
        ).exists()
    ]
    assert kept

    # cash at the door, the voided receipt, the reprint
    assert payments.to_hand_over(sunshine).exists()
    assert Payment.objects.filter(community=sunshine, handed_over_at__isnull=False).exists()
    voided = Receipt.objects.get(community=sunshine, voided_at__isnull=False)
    assert voided.void_reason and voided.payment.voided_at is not None
    assert Receipt.objects.filter(community=sunshine, printed__gte=2).exists()

    # the credit, the waiver refused, the letter, the certificate, 便民服务
    decided = dict(Adjustment.objects.filter(community=sunshine).values_list("status", "amount"))
    assert decided[AdjustmentStatus.APPROVED] < 0 and AdjustmentStatus.REJECTED in decided
    letter = LawyerLetter.objects.get(community=sunshine)
    assert letter.status == LetterStatus.SENT and re.fullmatch(r"LS-\d{4}-000001", letter.number)
    assert letter.late_fee > 0 and letter.call.reason == Reason.MALICIOUS
    assert SettlementCertificate.objects.filter(community=sunshine).exists()
    price_list = ServicePriceList.objects.get(community=sunshine)
    assert price_list.status == PriceListStatus.APPROVED and timezone.localtime(price_list.drafted_at).month == 1
    assert price_list.approved_by.is_company_admin and price_list.drafted_by.username == "manager"
    assert Subscription.objects.filter(community=sunshine).exclude(stop_reason="").exists()
    assert BillLine.objects.filter(community=sunshine, source=LineSource.SERVICE, statement__isnull=False).exists()

    # 翠湖苑, lightly: its own rates (villas), payments and some arrears
    assert Rate.objects.filter(item__community=lakeside, house_type="villa").exists()
    assert Payment.objects.filter(community=lakeside).exists()
    assert reports.overdue_lines(lakeside, today).exists()

    # the reminders of more than two days ago have been read
    old = Reminder.objects.filter(kind__startswith="fees.", created_at__lt=timezone.now() - dt.timedelta(days=2))
    assert old.exists() and not old.filter(read_at__isnull=True).exists()

    _receipt_numbers_have_no_gaps()
    _open_amounts_are_what_the_allocations_left()
    before = _counts()
    seed()
    assert _counts() == before


def _receipt_numbers_have_no_gaps():
    for community in Community.objects.order_by("pk"):
        numbers = Receipt.objects.filter(community=community).order_by("payment__received_at", "pk")
        by_year = Counter()
        for number in numbers.values_list("number", flat=True):
            year, serial = re.fullmatch(r"SJ-(\d{4})-(\d{6})", number).groups()
            by_year[year] += 1
            assert int(serial) == by_year[year], (community.code, number)
        assert by_year, community.code


def _open_amounts_are_what_the_allocations_left():
    valid = Q(allocations__payment__isnull=True) | Q(allocations__payment__voided_at__isnull=True)
    lines = BillLine.objects.filter(amount__gt=0).annotate(settled=Sum("allocations__amount", filter=valid))
    for line in lines:
        assert line.open_amount == line.amount - (line.settled or 0), line.description
