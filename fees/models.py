"""Fee items, their rates and the late-fee policy (SPEC §6, issue 10 §1, §8).

Unit prices carry 4 decimals, amounts 2 (`core.money`). A rate is valid for a
period that starts on a month's 1st; periods of one item (and house type) never
overlap: a change is a new period (`fees.services.set_rate`)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet, Company
from fees.choices import (
    AdjustmentStatus,
    Basis,
    CallChannel,
    Cycle,
    Delivery,
    ItemKind,
    LetterStatus,
    LineSource,
    Method,
    PriceListStatus,
    Reason,
    RoundKind,
    SendVia,
    StatementStatus,
)
from residents.choices import HouseType

USER = settings.AUTH_USER_MODEL


class FeeItem(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("收费项目", max_length=30)
    kind = models.CharField("类别", max_length=20, choices=ItemKind.choices, default=ItemKind.OTHER)
    basis = models.CharField("计费方式", max_length=15, choices=Basis.choices)
    house_types = models.JSONField("适用房屋类型", default=list, blank=True, help_text="留空：所有类型。")
    priority = models.PositiveSmallIntegerField("冲抵顺序", default=10, help_text="同一到期日内数字小的先冲抵。")
    prorate = models.BooleanField("交房当月按天折算", default=True)
    is_active = models.BooleanField("启用", default=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "收费项目"
        ordering = ["priority", "pk"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="fee_item_unique")]

    def __str__(self):
        return self.name

    def applies_to(self, house):
        return not self.house_types or house.house_type in self.house_types


class Rate(models.Model):
    """A unit price of one item (optionally for one house type) for a period."""

    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="rates")
    house_type = models.CharField("房屋类型", max_length=20, choices=HouseType.choices, blank=True)
    unit_price = models.DecimalField("单价", max_digits=12, decimal_places=4)
    valid_from = models.DateField("起始月份（1日）")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "收费标准"
        ordering = ["item", "house_type", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["item", "house_type", "valid_from"], name="rate_period_start_unique")
        ]

    def __str__(self):
        return f"{self.item} {self.unit_price}（{self.valid_from} 起）"

    def covers(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


DEFAULT_DAILY_RATE = Decimal("0.0003")  # 0.03 % a day; no seed names a rate


class LateFeePolicy(models.Model):
    """滞纳金: set for the company, a community or one fee item; the most specific wins."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    item = models.ForeignKey(FeeItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    daily_rate = models.DecimalField("日利率", max_digits=8, decimal_places=6, default=DEFAULT_DAILY_RATE)
    grace_days = models.PositiveSmallIntegerField("宽限天数", default=0)
    on_statements = models.BooleanField("计入对账单", default=False, help_text="默认不计入，只在律师函中列明 [003]。")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "滞纳金规则"
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=models.Q(community__isnull=True, item__isnull=True),
                name="late_fee_policy_company_unique",
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=models.Q(community__isnull=False, item__isnull=True),
                name="late_fee_policy_community_unique",
            ),
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(item__isnull=False), name="late_fee_policy_item_unique"
            ),
        ]

    def __str__(self):
        scope = self.item or self.community or self.company
        return f"{scope} 滞纳金 {self.daily_rate}/日"


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


class FeeSettings(models.Model):
    """Per-community billing settings (issue 10 §3): statements drafted from the
    28th for the next month, due on the 10th of the billed month."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="fee_settings")
    draft_day = models.PositiveSmallIntegerField("生成下月对账单（每月几日起）", default=28)
    due_day = models.PositiveSmallIntegerField("缴费期限（账单月几日）", default=10)
    unclaimed_days = models.PositiveSmallIntegerField("对账单无人领取提醒（天）", default=14)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "收费设置"

    def __str__(self):
        return f"{self.community} 收费设置"

    @classmethod
    def current(cls, community):
        return cls.objects.filter(community=community).first() or cls(community=community)


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


class CollectionRound(models.Model):
    """One collection round of a community (a beat job opens it once)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("轮次", max_length=10, choices=RoundKind.choices)
    opened_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")

    class Meta:
        verbose_name = verbose_name_plural = "催缴轮次"
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(fields=["community", "kind", "opened_on"], name="collection_round_unique")
        ]

    def __str__(self):
        return f"{self.community} {self.get_kind_display()} {self.opened_on}"


class CollectionTask(models.Model):
    """A household on a round's call list, for its zone's butler (unique per round)."""

    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="tasks")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="collection_tasks")
    butler = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    arrears = models.DecimalField("欠费金额", max_digits=12, decimal_places=2)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "催缴任务"
        constraints = [models.UniqueConstraint(fields=["round", "house"], name="collection_task_unique")]
        indexes = [models.Index(fields=["butler", "done_at"], name="collection_task_butler")]

    def __str__(self):
        return f"{self.round} {self.house}"


class CollectionCall(models.Model):
    """《物管费催收记录表》 [003 L530]: one contact with a household about its arrears."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="collection_calls")
    task = models.ForeignKey(CollectionTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    butler = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="管家")
    called_at = models.DateTimeField("日期")
    channel = models.CharField("方式", max_length=10, choices=CallChannel.choices)
    person_reached = models.CharField("联系人", max_length=50)
    statement_received = models.BooleanField("已收到对账单", null=True)
    answer = models.CharField("业主答复", max_length=300)
    promised_date = models.DateField("承诺缴费日期", null=True, blank=True)
    reason = models.CharField("欠费原因", max_length=15, choices=Reason.choices, blank=True)
    next_step = models.CharField("下一步", max_length=200, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="collection_calls"
    )

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "催收记录"
        ordering = ["-called_at", "-pk"]
        indexes = [models.Index(fields=["house", "-called_at"], name="collection_call_house")]

    def __str__(self):
        return f"{self.house} {self.called_at:%Y-%m-%d} 催收"


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


class FrozenLetter(Exception):
    """Raised by any attempt to change a printed lawyer's letter."""


class LawyerLetter(models.Model):
    """律师函 for 恶意欠费 [003 L537]: approved and numbered by the manager; printing
    freezes its date, lines (arrears by month and item, each line's late fee with
    rate and days) and totals; only the sending is recorded after that. No ID
    number is ever printed."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="lawyer_letters")
    call = models.ForeignKey(CollectionCall, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField("状态", max_length=10, choices=LetterStatus.choices, default=LetterStatus.REQUESTED)
    number = models.CharField("编号", max_length=30, blank=True)
    addressee = models.CharField("收函人", max_length=50)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    letter_date = models.DateField("函件日期", null=True, blank=True)
    lines = models.JSONField("欠费明细", default=list, blank=True)
    principal = models.DecimalField("欠费本金", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    late_fee = models.DecimalField("滞纳金", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    total = models.DecimalField("合计", max_digits=12, decimal_places=2, default=Decimal("0.00"))
    printed_at = models.DateTimeField("打印时间", null=True, blank=True)
    print_count = models.PositiveSmallIntegerField("打印次数", default=0)
    sent_via = models.CharField("发出方式", max_length=10, choices=SendVia.choices, blank=True)
    sent_at = models.DateTimeField("发出时间", null=True, blank=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    tracking = models.CharField("邮件单号", max_length=40, blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    SENDING_FIELDS = {"print_count", "status", "sent_via", "sent_at", "sent_by", "tracking"}

    class Meta:
        verbose_name = verbose_name_plural = "律师函"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"], condition=~models.Q(number=""), name="lawyer_letter_number_unique"
            )
        ]

    def __str__(self):
        return self.number or f"{self.house} 律师函（{self.get_status_display()}）"

    def save(self, *args, **kwargs):
        """Printed, the letter is frozen: only reprints and the sending are written."""
        fields = kwargs.get("update_fields")
        if self.pk and not (fields and set(fields) <= self.SENDING_FIELDS):
            printed = LawyerLetter.objects.filter(pk=self.pk, printed_at__isnull=False).exists()
            if printed:
                raise FrozenLetter(f"{self} 已打印，内容不能修改。")
        super().save(*args, **kwargs)


class ServicePriceList(models.Model):
    """《便民服务项目及价格表》 of one year [001 L552–556]: the community's manager
    drafts it in January on the 保本微利 principle; a company admin approves it;
    approved, it is printed for posting and subscriptions use it."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=PriceListStatus.choices, default=PriceListStatus.DRAFT)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField("拟定时间")
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "便民服务项目及价格表"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="service_price_list_year_unique")]

    def __str__(self):
        return f"{self.community} {self.year}年便民服务项目及价格表"


class ConvenienceService(models.Model):
    """One line of the price table: free or paid, price, cycle, deposit or
    prepayment, and what it costs the office a month (for break-even)."""

    price_list = models.ForeignKey(ServicePriceList, on_delete=models.CASCADE, related_name="services")
    name = models.CharField("服务项目", max_length=40)
    is_free = models.BooleanField("免费", default=False)
    price = models.DecimalField("价格（元）", max_digits=10, decimal_places=2, default=Decimal("0.00"))
    cycle = models.CharField("收费周期", max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY)
    deposit = models.DecimalField("押金（元）", max_digits=10, decimal_places=2, default=Decimal("0.00"))
    prepayment = models.DecimalField("预交费用（元）", max_digits=10, decimal_places=2, default=Decimal("0.00"))
    monthly_cost = models.DecimalField("每月成本（元）", max_digits=10, decimal_places=2, default=Decimal("0.00"))
    note = models.CharField("说明", max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "便民服务项目"
        ordering = ["price_list", "pk"]
        constraints = [models.UniqueConstraint(fields=["price_list", "name"], name="convenience_service_unique")]

    def __str__(self):
        return self.name


class Subscription(models.Model):
    """《委托服务单》 [001 L560]: an owner asks for a long-term service and signs
    the form; a monthly service is billed on the statements; stopping records
    the reason [001 L580]."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey("residents.House", on_delete=models.PROTECT, related_name="service_subscriptions")
    service = models.ForeignKey(ConvenienceService, on_delete=models.PROTECT, related_name="subscriptions")
    owner_name = models.CharField("业主姓名", max_length=50)
    phone = models.CharField("电话", max_length=20)
    owner_signed = models.BooleanField("业主已签字确认", default=False)
    started_on = models.DateField("开始日期")
    stopped_on = models.DateField("停止日期", null=True, blank=True)
    stop_reason = models.CharField("停止原因", max_length=200, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    stopped_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "委托服务单"
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["community", "stopped_on"], name="subscription_active")]

    def __str__(self):
        return f"{self.house} {self.service}"
