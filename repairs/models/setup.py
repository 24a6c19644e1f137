"""What a community sets up for repairs: its settings, categories, public areas
and the manager-approved 特约服务收费标准 ([001 L200], [003 L451])."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.choices import DepartmentKind
from core.models import Community, CommunityScopedQuerySet
from repairs.choices import DispatchMode, PriceListStatus, ReturnKind

USER = settings.AUTH_USER_MODEL


class RepairSettings(models.Model):
    """Per-community time limits and rules. Defaults: [001 L110] dispatch within 5
    minutes; [001 L484–490] 紧急 at once (15 min); 急修 30 min and a 2-day 回单
    (the seeds say 立即 / leave the days blank, so these are editable defaults)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="repair_settings")
    dispatch_mode = models.CharField("默认派工方式", max_length=15, choices=DispatchMode.choices, default="assign")
    dispatch_minutes = models.PositiveSmallIntegerField("派工时限（分钟）", default=5)
    grab_alert_minutes = models.PositiveSmallIntegerField("抢单无人接报派工人（分钟）", default=3)
    emergency_arrival_minutes = models.PositiveSmallIntegerField("紧急到场时限（分钟）", default=15)
    urgent_arrival_minutes = models.PositiveSmallIntegerField("急修到场时限（分钟）", default=30)
    normal_arrival_hours = models.PositiveSmallIntegerField(
        "一般到场时限（小时）", default=24, help_text="未约定上门时间时使用；约定了时间则以约定时间为准。"
    )
    emergency_completion_hours = models.PositiveSmallIntegerField("紧急完工时限（小时）", default=24)
    urgent_completion_hours = models.PositiveSmallIntegerField("急修完工时限（小时）", default=24)
    normal_completion_hours = models.PositiveSmallIntegerField("一般回单时限（小时）", default=48)
    warn_percent = models.PositiveSmallIntegerField("预警点（已用时限 %）", default=75)
    manager_after_hours = models.PositiveSmallIntegerField("超时后报经理（小时）", default=24)
    materials_days = models.PositiveSmallIntegerField("缺料须报购物单（受理后天数）", default=3)
    report_tail_days = models.PositiveSmallIntegerField(
        "月末计入下月的天数", default=2, help_text="[001]：每月末最后2天发生的维修单，属下个月范畴。"
    )
    repeat_days = models.PositiveSmallIntegerField("返修认定（同户同类别天数内）", default=30)
    safety_return_hours = models.PositiveSmallIntegerField("安全设施维修回访（小时）", default=72)
    plumbing_return_hours = models.PositiveSmallIntegerField("管道疏通/水件维修回访（小时）", default=72)
    rework_notice_hours = models.PositiveSmallIntegerField("回访发现问题书面通知维修人（小时）", default=24)
    round_robin_last = models.JSONField(default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["round_robin_last"])

    class Meta:
        verbose_name = verbose_name_plural = "报修设置"

    def __str__(self):
        return f"{self.community} 报修设置"

    @classmethod
    def current(cls, community):
        """For reading: the saved row, or the defaults (unsaved)."""
        return cls.objects.filter(community=community).first() or cls(community=community)


DEFAULT_CATEGORIES = [
    # name, department kind, return-visit kind
    ("水", DepartmentKind.ENGINEERING, ReturnKind.PLUMBING),
    ("电", DepartmentKind.ENGINEERING, ReturnKind.SAFETY),
    ("门窗", DepartmentKind.ENGINEERING, ReturnKind.OTHER),
    ("管道疏通", DepartmentKind.ENGINEERING, ReturnKind.PLUMBING),
    ("渗漏水", DepartmentKind.ENGINEERING, ReturnKind.LEAK),
    ("结构", DepartmentKind.ENGINEERING, ReturnKind.SAFETY),
    ("电梯", DepartmentKind.ENGINEERING, ReturnKind.SAFETY),
    ("公共设施", DepartmentKind.ENGINEERING, ReturnKind.OTHER),
    ("家电", DepartmentKind.ENGINEERING, ReturnKind.OTHER),
    ("其他", DepartmentKind.ENGINEERING, ReturnKind.OTHER),
]


class RepairCategory(models.Model):
    """A repair category of one community: its department, return visit and dispatch mode."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    name = models.CharField("类别", max_length=20)
    department_kind = models.CharField(
        "责任部门", max_length=15, choices=DepartmentKind.choices, default=DepartmentKind.ENGINEERING
    )
    return_kind = models.CharField("回访类型", max_length=10, choices=ReturnKind.choices, default=ReturnKind.OTHER)
    dispatch_mode = models.CharField(
        "派工方式", max_length=15, choices=DispatchMode.choices, blank=True, help_text="留空：按小区默认派工方式。"
    )
    is_active = models.BooleanField("启用", default=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "报修类别"
        ordering = ["sort", "pk"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="repair_category_unique")]

    def __str__(self):
        return self.name


class PublicArea(models.Model):
    """A public place of one community that can need repair (大堂, 地库, 泵房 …)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    name = models.CharField("公共区域", max_length=60)
    is_active = models.BooleanField("启用", default=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "公共区域"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="public_area_unique")]

    def __str__(self):
        return self.name


class PriceList(models.Model):
    """特约服务收费标准: drafted, approved by the manager, valid for a period.
    Only an approved list whose period covers the day may price a quote."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=60, default="特约服务收费标准")
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("失效日期", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=PriceListStatus.choices, default=PriceListStatus.DRAFT)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "特约服务收费标准"
        ordering = ["-valid_from", "-pk"]

    def __str__(self):
        return f"{self.title}（{self.valid_from} 起）"

    def covers(self, day):
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class PriceItem(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    group = models.CharField("分类", max_length=20, blank=True)
    name = models.CharField("项目", max_length=60)
    unit = models.CharField("单位", max_length=10)
    unit_price = models.DecimalField("单价（元）", max_digits=10, decimal_places=2)
    note = models.CharField("说明", max_length=100, blank=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "收费项目"
        ordering = ["sort", "pk"]

    def __str__(self):
        return f"{self.name} {self.unit_price}元/{self.unit}"
