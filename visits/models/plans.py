"""Annual and monthly visit plans per staff member (SPEC §2.1)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from residents.models import House
from visits.choices import Channel, PlanKind, PlanStatus


class VisitPlan(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_plans", verbose_name="计划人"
    )
    kind = models.CharField("类型", max_length=10, choices=PlanKind.choices, default=PlanKind.MONTHLY)
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    note = models.TextField("说明", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.CharField("审批意见", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "走访计划"
        ordering = ["-year", "-month", "owner"]
        constraints = [
            models.UniqueConstraint(fields=["community", "owner", "kind", "year", "month"], name="visit_plan_unique"),
        ]

    def __str__(self):
        period = f"{self.year}年{self.month}月" if self.month else f"{self.year}年"
        return f"{self.owner} {period}{self.get_kind_display()}"


class PlanItem(models.Model):
    plan = models.ForeignKey(VisitPlan, on_delete=models.CASCADE, related_name="items")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="+", verbose_name="房屋")
    intended_date = models.DateField("计划日期", null=True, blank=True)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices, default=Channel.DOOR)
    purpose = models.CharField("目的", max_length=100, blank=True)
    window_reason = models.CharField("非规定时段原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "计划户"
        constraints = [models.UniqueConstraint(fields=["plan", "house"], name="plan_item_unique")]

    def __str__(self):
        return f"{self.plan} · {self.house}"
