"""The fee set-up of a community: its fee items, their rates (periods from a
month's 1st, never overlapping), the late-fee policy and the billing settings
(issue 10 §1, §3, §8). Unit prices carry 4 decimals, amounts 2 (`core.money`)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet, Company
from fees.choices import Basis, ItemKind
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
