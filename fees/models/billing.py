"""What a house owes and pays: statements, bill lines, adjustments, payments,
their allocation, receipts and the settlement certificate (issue 10 §3–§5, §11)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from fees.choices import AdjustmentStatus, Delivery, LineSource, Method, StatementStatus
from fees.models.setup import FeeItem

USER = settings.AUTH_USER_MODEL


class FrozenStatement(Exception):
    """Raised by any attempt to save an issued statement."""


class Statement(models.Model):
    """对账单 [003 L524]: one per house and billed month, drafted on the 28th of
    the month before. Issued, it never changes; a correction is an adjustment on a
    later statement."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="statements")
    month = models.DateField("账单月份")
    status = models.CharField("状态", max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT)
    due_date = models.DateField("缴费期限")
    brought_forward = models.DecimalField("上期未缴", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    charges = models.DecimalField("本月费用", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    adjustments = models.DecimalField("调整", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    prepaid = models.DecimalField("预存余额", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    amount_due = models.DecimalField("应缴金额", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    drafted_at = models.DateTimeField("生成时间")
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    checked_at = models.DateTimeField("核对时间", null=True, blank=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField("发出时间", null=True, blank=True)
    delivery = models.CharField("发放方式", max_length=10, choices=Delivery.choices, blank=True)
    delivered_at = models.DateTimeField("发放时间", null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "对账单"
        ordering = ["-month", "house_id"]
        constraints = [models.UniqueConstraint(fields=["house", "month"], name="statement_house_month_unique")]
        indexes = [models.Index(fields=["community", "month", "status"], name="statement_month_status")]

    def __str__(self):
        return f"{self.house} {self.month:%Y-%m} 对账单"

    def save(self, *args, **kwargs):
        """An issued statement is frozen: no service, admin or shell saves it again
        (issue 10 §3); the delivery record is the one thing still written."""
        if self.pk and kwargs.get("update_fields") != ["delivery", "delivered_at"]:
            stored = Statement.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == StatementStatus.ISSUED:
                raise FrozenStatement(f"{self} 已发出，不能修改；更正请在下期对账单中调整。")
        super().save(*args, **kwargs)


class BillLine(models.Model):
    """A line a house owes: one item for one month, a repair charge, or an
    adjustment. `open_amount` (what is still unpaid) is written only by the
    payment allocation."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="bill_lines")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, null=True, blank=True, related_name="lines")
    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=12, choices=LineSource.choices, default=LineSource.CHARGE)
    month = models.DateField("所属月份")
    description = models.CharField("摘要", max_length=100)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2)
    unit_price = models.DecimalField("单价", max_digits=12, decimal_places=4)
    days = models.PositiveSmallIntegerField("计费天数", null=True, blank=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    open_amount = models.DecimalField("未缴金额", max_digits=12, decimal_places=2)
    due_date = models.DateField("缴费期限")
    repair_charge = models.OneToOneField(
        "repairs.Charge", on_delete=models.PROTECT, null=True, blank=True, related_name="bill_line"
    )
    # The line an adjustment corrects, or the line a late fee is charged on.
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    subscription = models.ForeignKey(
        "fees.Subscription", on_delete=models.PROTECT, null=True, blank=True, related_name="lines"
    )
    reason = models.CharField("调整原因", max_length=200, blank=True)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "账单明细"
        ordering = ["due_date", "item__priority", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["house", "item", "month"],
                condition=models.Q(source="charge"),
                name="bill_line_month_charge_unique",
            ),
            models.UniqueConstraint(
                fields=["subscription", "month"],
                condition=models.Q(source="service", subscription__isnull=False),
                name="bill_line_service_month_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["house", "due_date"], condition=models.Q(open_amount__gt=0), name="bill_line_open"),
            models.Index(fields=["community", "month"], name="bill_line_community_month"),
        ]

    def __str__(self):
        return f"{self.house} {self.description} ¥{self.amount}"


class Payment(models.Model):
    """A payment received for a house: recorded, never processed. Allocated to its
    lines by `fees.payments`; what is left over is the house's prepaid balance."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    method = models.CharField("方式", max_length=10, choices=Method.choices)
    reference = models.CharField("交易单号", max_length=60, blank=True)
    payer = models.CharField("缴款人", max_length=50)
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="收款人")
    received_at = models.DateTimeField("收款时间")
    intake_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    # Cash a butler collected door to door stays "to hand over" until finance confirms it [001 L578].
    handover_due = models.BooleanField("待交财务", default=False)
    handed_over_at = models.DateTimeField("交财务时间", null=True, blank=True)
    handed_over_to = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "收款"
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["house", "received_at"], name="payment_house_time")]

    def __str__(self):
        return f"{self.house} ¥{self.amount}"


class Allocation(models.Model):
    """Settles part of a line: from a payment, or from an approved credit
    adjustment (a line with a negative amount), never both."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations")
    credit = models.ForeignKey(
        BillLine, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_allocations"
    )
    line = models.ForeignKey(BillLine, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField("冲抵金额", max_digits=12, decimal_places=2)
    paid_on = models.DateField("冲抵日期")

    class Meta:
        verbose_name = verbose_name_plural = "冲抵明细"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(payment__isnull=False, credit__isnull=True)
                | models.Q(payment__isnull=True, credit__isnull=False),
                name="allocation_payment_or_credit",
            )
        ]

    def __str__(self):
        return f"{self.payment} → {self.line} ¥{self.amount}"


class Receipt(models.Model):
    """收据: a number per community and year without gaps; never deleted, a void
    keeps its number."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    number = models.CharField("收据编号", max_length=30)
    printed = models.PositiveSmallIntegerField("打印次数", default=0)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    voided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "收据"
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="receipt_number_unique")]

    def __str__(self):
        return self.number


class SettlementCertificate(models.Model):
    """结清证明 for a sale [001 L82]: nothing owed through the month it is issued in."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="settlement_certificates")
    number = models.CharField("编号", max_length=30)
    through_month = models.DateField("结清至月份")
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("开具时间")

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "费用结清证明"
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="settlement_number_unique")]

    def __str__(self):
        return self.number


class Adjustment(models.Model):
    """调整 (issue 10 §3): an issued statement never changes; a correction is
    requested with a reason, approved by the manager, and becomes a line on the
    next statement linked to the line it corrects."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="fee_adjustments")
    corrects = models.ForeignKey(BillLine, on_delete=models.PROTECT, related_name="adjustment_requests")
    amount = models.DecimalField("调整金额", max_digits=12, decimal_places=2, help_text="减免填负数，补收填正数。")
    reason = models.CharField("调整原因", max_length=200)
    status = models.CharField("状态", max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    line = models.OneToOneField(BillLine, on_delete=models.PROTECT, null=True, blank=True, related_name="adjustment")

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "费用调整"
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["community", "status"], name="adjustment_status")]

    def __str__(self):
        return f"{self.house} 调整 ¥{self.amount}"
