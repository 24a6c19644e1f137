"""Work orders (《维修(服务)任务单》, SPEC §5, [001 L170, L420–514]).

Numbered per community and year without gaps; never edited, never deleted (a
void keeps its number). Whoever takes the order owns it until it is closed (首问
[001 L174]). Three clocks run on it — dispatch, arrival, completion — stopped by
pauses; their `*_due_at` columns and `next_escalation_at` are written only by
`repairs.clocks.refresh`, so the beat job finds due orders with one indexed query.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet, Department
from core.uploads import stored_name
from repairs.choices import (
    OPEN_STATUSES,
    WORKING_STATUSES,
    Action,
    DispatchMode,
    PauseReason,
    Rating,
    Signature,
    Source,
    Status,
    Urgency,
)
from repairs.models.setup import PriceItem, PublicArea, RepairCategory
from residents.models import House, Person

USER = settings.AUTH_USER_MODEL


class WorkOrderQuerySet(CommunityScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def working(self):
        return self.filter(status__in=WORKING_STATUSES)


class WorkOrder(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("维修单号", max_length=30)
    source = models.CharField("来源", max_length=15, choices=Source.choices)
    category = models.ForeignKey(
        RepairCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="类别"
    )
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    conditions = models.JSONField("紧急/急修情形", default=list, blank=True)
    house = models.ForeignKey(
        House, on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders", verbose_name="房屋"
    )
    public_area = models.ForeignKey(
        PublicArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="公共区域"
    )
    location = models.CharField("具体位置", max_length=100, blank=True)
    reporter = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="报修人（档案）"
    )
    reporter_name = models.CharField("报修人", max_length=50, blank=True)
    contact = models.CharField("联系电话", max_length=30, blank=True)
    description = models.TextField("维修内容")
    appointment_at = models.DateTimeField("约定上门时间", null=True, blank=True)
    received_at = models.DateTimeField("受理时间")
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="接受人")
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="owned_work_orders", verbose_name="首问责任人"
    )
    report_month = models.DateField("统计月份", help_text="每月最后2天受理的计入下月 [001]。")
    status = models.CharField("状态", max_length=15, choices=Status.choices, default=Status.RECEIVED)
    dispatch_mode = models.CharField("派工方式", max_length=15, choices=DispatchMode.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任部门"
    )
    technician = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders", verbose_name="维修人"
    )
    dispatched_at = models.DateTimeField("派工时间", null=True, blank=True)
    dispatched_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    accepted_at = models.DateTimeField("接单时间", null=True, blank=True)
    arrived_at = models.DateTimeField("到场时间", null=True, blank=True)
    entry_agreed = models.BooleanField("已说明维修内容并经业主同意入户", default=False)
    started_at = models.DateTimeField("开工时间", null=True, blank=True)
    done_at = models.DateTimeField("完工时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("验收时间", null=True, blank=True)
    return_visited_at = models.DateTimeField("回访时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    result = models.TextField("维修结果", blank=True)
    signature = models.CharField("业主签字", max_length=10, choices=Signature.choices, blank=True)
    signature_file = models.FileField(upload_to="repairs/signatures/%Y/%m/", max_length=200, blank=True)
    rating = models.CharField("业主评价", max_length=15, choices=Rating.choices, blank=True)
    rating_note = models.CharField("评价意见", max_length=200, blank=True)
    return_satisfaction = models.CharField("回访满意度", max_length=15, blank=True)
    return_ratings = models.JSONField("回访评价（态度、质量、礼节）", default=dict, blank=True)
    # The quote: lines from the price list, agreed by the owner before work.
    quote_round = models.PositiveSmallIntegerField("报价次数", default=0)
    quote_total = models.DecimalField("报价金额", max_digits=10, decimal_places=2, null=True, blank=True)
    agreed_total = models.DecimalField("业主确认金额", max_digits=10, decimal_places=2, null=True, blank=True)
    agreed_at = models.DateTimeField("确认报价时间", null=True, blank=True)
    final_amount = models.DecimalField("收费金额", max_digits=10, decimal_places=2, null=True, blank=True)
    # On time or not, judged when the clock stopped (pauses excluded).
    dispatched_late = models.BooleanField("派工超时", null=True)
    arrived_late = models.BooleanField("到场超时", null=True)
    completed_late = models.BooleanField("完工超时", null=True)
    rework_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reworks", verbose_name="返工原单"
    )
    is_repeat = models.BooleanField("返修", default=False, help_text="同户同类别在设定天数内再次报修。")
    follow_up = models.OneToOneField(
        "visits.FollowUp", on_delete=models.PROTECT, null=True, blank=True, related_name="work_order"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, null=True, blank=True, related_name="work_orders"
    )
    paperwork_pending = models.BooleanField("待补办手续", default=False)
    reviewed_at = models.DateTimeField("主管审阅时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    owner_notified_at = models.DateTimeField("通知业主时间", null=True, blank=True)
    return_reason = models.CharField("退单原因", max_length=200, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    # Clocks (kept by repairs.clocks.refresh only).
    dispatch_allowance = models.DurationField("派工时限")
    arrival_allowance = models.DurationField("到场时限")
    completion_allowance = models.DurationField("完工时限")
    dispatch_due_at = models.DateTimeField("派工期限", null=True, blank=True, db_index=True)
    arrival_due_at = models.DateTimeField("到场期限", null=True, blank=True, db_index=True)
    completion_due_at = models.DateTimeField("完工期限", null=True, blank=True, db_index=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    clock_version = models.PositiveIntegerField(default=0)
    is_paused = models.BooleanField("暂停中", default=False)
    intake_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkOrderQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["signature_file"])

    class Meta:
        verbose_name = verbose_name_plural = "维修工单"
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="work_order_number_unique")]
        indexes = [
            models.Index(fields=["community", "-received_at"], name="work_order_recent"),
            models.Index(fields=["community", "status", "-received_at"], name="work_order_status_recent"),
            models.Index(fields=["technician", "status"], name="work_order_technician_status"),
            models.Index(fields=["technician", "done_at"], name="work_order_technician_done"),
            models.Index(fields=["house", "category", "-received_at"], name="work_order_house_category"),
            models.Index(fields=["community", "report_month"], name="work_order_report_month"),
            models.Index(
                fields=["community", "received_at"],
                condition=models.Q(reviewed_at__isnull=True),
                name="work_order_unreviewed",
            ),
            models.Index(
                fields=["community", "department", "received_at"],
                condition=models.Q(status="received", technician__isnull=True),
                name="work_order_pool",
            ),
        ]

    def __str__(self):
        return f"维修单 {self.number}"

    def get_absolute_url(self):
        return reverse("repairs:detail", args=[self.pk])

    @property
    def place(self):
        """Where the work is: the house number, or the public area (and spot)."""
        if self.house_id:
            return self.house.number + (f" {self.location}" if self.location else "")
        area = self.public_area.name if self.public_area_id else ""
        return " ".join(part for part in (area, self.location) if part)

    @property
    def condition_labels(self):
        from repairs.choices import Condition

        labels = dict(Condition.choices)
        return [labels.get(key, key) for key in self.conditions]

    @property
    def is_public(self):
        return self.house_id is None

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_working(self):
        return self.status in WORKING_STATUSES


class WorkOrderPause(models.Model):
    """Waiting on the owner or on materials, with a reason: every clock stands still."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("暂停原因", max_length=10, choices=PauseReason.choices)
    note = models.CharField("说明", max_length=200)
    started_at = models.DateTimeField("暂停时间")
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField("恢复时间", null=True, blank=True)
    ended_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "暂停记录"
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(ended_at__isnull=True), name="work_order_one_open_pause"
            )
        ]

    def __str__(self):
        return f"{self.order} {self.get_reason_display()}"


class WorkOrderEvent(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField("动作", max_length=25, choices=Action.choices)
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=15, choices=Status.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.order} {self.get_action_display()}"


def photo_path(instance, filename):
    return stored_name("repairs", instance.order.community_id, instance.content_type)


class WorkOrderPhoto(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(WorkOrderEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "工单照片"

    def __str__(self):
        return f"{self.order} 照片"


class QuoteLine(models.Model):
    """A quote line, snapshotted from the price list (a later price change does
    not alter what the owner agreed to)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="quote_lines")
    round = models.PositiveSmallIntegerField("报价次数")
    price_item = models.ForeignKey(PriceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField("项目", max_length=60)
    unit = models.CharField("单位", max_length=10)
    unit_price = models.DecimalField("单价", max_digits=10, decimal_places=2)
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)
    amount = models.DecimalField("金额", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "报价明细"
        ordering = ["round", "pk"]

    def __str__(self):
        return f"{self.name} × {self.quantity}"


class PurchaseRequest(models.Model):
    """购物单 [001 L478]: the 工程部 head reports a materials delay within 3 days."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="purchases")
    filed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="填报人")
    filed_at = models.DateTimeField("填报时间")
    note = models.CharField("说明", max_length=200, blank=True)
    estimate_total = models.DecimalField("预估金额", max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "购物单"
        ordering = ["filed_at", "pk"]

    def __str__(self):
        return f"{self.order.number} 购物单"


class PurchaseItem(models.Model):
    request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("材料", max_length=60)
    quantity = models.DecimalField("数量", max_digits=10, decimal_places=2)
    unit = models.CharField("单位", max_length=10, blank=True)
    estimate = models.DecimalField("预估金额", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "购物单明细"
        ordering = ["pk"]

    def __str__(self):
        return self.name


class Charge(models.Model):
    """A signed charge: one per order, on finance's 《报修(服务)汇总表》 [001 L432].
    Technicians never collect money; the fees work bills it."""

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="charge")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="repair_charges")
    amount = models.DecimalField("金额", max_digits=10, decimal_places=2)
    signed_at = models.DateTimeField("业主签字时间")
    report_month = models.DateField("统计月份")
    billed_at = models.DateTimeField("入账时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "维修收费"
        ordering = ["signed_at", "pk"]
        indexes = [models.Index(fields=["community", "report_month"], name="repair_charge_month")]

    def __str__(self):
        return f"{self.order.number} ¥{self.amount}"
