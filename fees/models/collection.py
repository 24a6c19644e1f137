"""Collection: rounds and their call lists, the 《物管费催收记录表》 and the
lawyer's letter (issue 10 §6, §7, §9)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from fees.choices import CallChannel, LetterStatus, Reason, RoundKind, SendVia

USER = settings.AUTH_USER_MODEL


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
