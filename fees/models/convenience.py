"""便民服务 [001 L546–588]: the yearly price table, its services and the
owners' subscriptions (《委托服务单》) (issue 10 §12)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from fees.choices import Cycle, PriceListStatus

USER = settings.AUTH_USER_MODEL


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
