"""Complaints, questions and suggestions (SPEC §4, [004] 接待来信来访来电投诉制度).

One record per matter, numbered per community and year without gaps. The first
person who receives it owns it until it is closed (首问责任制); a department's
handler may do the work. Two deadline clocks run on it (answer, resolution),
stopped by pauses; their `*_due_at` columns and `next_escalation_at` are written
only by `complaints.clocks.refresh`, so jobs find due matters with one indexed
query.
"""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from complaints.choices import (
    OPEN_STATUSES,
    Action,
    Category,
    Channel,
    ClockMode,
    Decision,
    EntryStatus,
    Kind,
    Status,
    Urgency,
    Validity,
)
from core.models import Community, CommunityScopedQuerySet, Department
from core.uploads import stored_name
from residents.models import House
from visits.choices import Satisfaction, Signature

USER = settings.AUTH_USER_MODEL


class ComplaintSettings(models.Model):
    """Per-community deadlines and targets; defaults from SPEC §4 and [004]."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="complaint_settings")
    clock_mode = models.CharField("计时方式", max_length=10, choices=ClockMode.choices, default=ClockMode.CALENDAR)
    urgent_answer_hours = models.PositiveSmallIntegerField("紧急事项答复时限（小时）", default=24)
    normal_answer_hours = models.PositiveSmallIntegerField("一般事项答复时限（小时）", default=48)
    resolution_hours = models.PositiveSmallIntegerField(
        "默认办结时限（小时）", default=72, help_text="答复时未承诺完成日期时使用；各类别可另设。"
    )
    warn_percent = models.PositiveSmallIntegerField("预警点（已用时限 %）", default=75)
    manager_hours = models.PositiveSmallIntegerField("未解决报经理（小时，不含挂起）", default=48)
    valid_rate_target = models.DecimalField(
        "有效投诉率目标（%）", max_digits=5, decimal_places=2, default=1, help_text="有效投诉数 ÷ 户数，按年计。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "投诉处理设置"

    def __str__(self):
        return f"{self.community} 投诉处理设置"

    @classmethod
    def for_community(cls, community):
        settings_row, _ = cls.objects.get_or_create(community=community)
        return settings_row

    @classmethod
    def current(cls, community):
        """The community's settings for reading: the defaults (unsaved) until someone saves them."""
        return cls.objects.filter(community=community).first() or cls(community=community)


class CategoryRule(models.Model):
    """A category's own deadlines in one community (blank: the community's default)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    urgent_answer_hours = models.PositiveSmallIntegerField("紧急答复时限（小时）", null=True, blank=True)
    normal_answer_hours = models.PositiveSmallIntegerField("一般答复时限（小时）", null=True, blank=True)
    resolution_hours = models.PositiveSmallIntegerField("默认办结时限（小时）", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "类别时限"
        constraints = [models.UniqueConstraint(fields=["community", "category"], name="category_rule_unique")]

    def __str__(self):
        return f"{self.community} {self.get_category_display()}"


class ReceptionSession(models.Model):
    """项目经理接待日 [004 篇3]: one session; its registrations are complaints."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    date = models.DateField("接待日期")
    manager = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="接待经理")
    place = models.CharField("地点", max_length=100, blank=True)
    attendees = models.CharField("参加人员", max_length=300, blank=True)
    summary = models.TextField("接待小结", blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "经理接待日"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.date} 经理接待日"


class AnswerEntry(models.Model):
    """答客问题汇编 [001]: a question with the one approved answer. Editing an
    approved entry drafts a new version; the manager's approval retires the old."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveSmallIntegerField("版本", default=1)
    category = models.CharField("类别", max_length=20, choices=Category.choices, default=Category.OTHER)
    question = models.CharField("问题", max_length=200)
    answer = models.TextField("统一答复口径")
    keywords = models.CharField("关键词", max_length=200, blank=True, help_text="空格分隔，柜台检索用")
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="起草人")
    drafted_at = models.DateTimeField("起草时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="批准人"
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "答客问题汇编"
        ordering = ["category", "question", "-version"]
        constraints = [models.UniqueConstraint(fields=["lineage", "version"], name="answer_entry_version_unique")]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return f"{self.question}（第 {self.version} 版）"


class ComplaintQuerySet(CommunityScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Complaint(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    number = models.CharField("编号", max_length=30)
    kind = models.CharField("类型", max_length=15, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField("渠道", max_length=15, choices=Channel.choices)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    urgency = models.CharField("紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    house = models.ForeignKey(
        House, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints", verbose_name="房屋"
    )
    reporter_name = models.CharField("反映人", max_length=50)
    contact = models.CharField("联系电话", max_length=30, blank=True)
    location = models.CharField("地点", max_length=100, blank=True, help_text="公共区域时填写，如 3栋大堂、北门")
    description = models.TextField("问题描述")
    is_household_incident = models.BooleanField("家中事故", default=False)
    is_municipal = models.BooleanField("市政原因（水电气路讯）", default=False)
    is_major = models.BooleanField("重大投诉", default=False)
    received_at = models.DateTimeField("受理时间")
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="受理人")
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="owned_complaints", verbose_name="首问责任人"
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="责任部门"
    )
    handler = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="handled_complaints", verbose_name="处理人"
    )
    status = models.CharField("状态", max_length=15, choices=Status.choices, default=Status.ACCEPTED)
    round = models.PositiveSmallIntegerField("处理轮次", default=1)
    # The supervisor's daily review [001].
    reviewed_at = models.DateTimeField("主管审阅时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, blank=True, default="")
    validity_reason = models.CharField("认定理由", max_length=200, blank=True)
    # The answer: a settled solution and a clear answer to the reporter.
    reply = models.TextField("答复业主", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_late = models.BooleanField("答复超时", default=False)
    promised_at = models.DateTimeField("承诺完成时间", null=True, blank=True)
    result = models.TextField("处理结果", blank=True)
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)
    resolved_late = models.BooleanField("办结超时", default=False)
    signature = models.CharField("反映人签字", max_length=10, choices=Signature.choices, blank=True)
    satisfaction = models.CharField("满意度", max_length=15, choices=Satisfaction.choices, blank=True)
    dissatisfaction_reason = models.CharField("不满意原因", max_length=200, blank=True)
    return_visited_at = models.DateTimeField("回访时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    # A suggestion's decision by the manager; measures are published [004].
    decision = models.CharField("经理决定", max_length=10, choices=Decision.choices, blank=True, default="")
    measures = models.TextField("采取措施", blank=True)
    publish_measures = models.BooleanField("公示措施", default=False)
    # Reception day: the manager designates the handler and signs the result.
    reception = models.ForeignKey(
        ReceptionSession, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    manager_signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    manager_signed_at = models.DateTimeField("经理签字时间", null=True, blank=True)
    answer_entry = models.ForeignKey(
        AnswerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="引用答复口径"
    )
    follow_up = models.OneToOneField(
        "visits.FollowUp", on_delete=models.PROTECT, null=True, blank=True, related_name="complaint"
    )
    # Clocks (kept by complaints.clocks.refresh only).
    resolution_started_at = models.DateTimeField("办结计时起点")
    answer_allowance = models.DurationField("答复时限")
    resolution_allowance = models.DurationField("办结时限")
    answer_due_at = models.DateTimeField("答复期限", null=True, blank=True, db_index=True)
    resolution_due_at = models.DateTimeField("办结期限", null=True, blank=True, db_index=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True, db_index=True)
    clock_version = models.PositiveIntegerField(default=0)
    # The intake form's one-time key: a double tap or a retried POST registers once.
    intake_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    is_paused = models.BooleanField("挂起中", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ComplaintQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "投诉"
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="complaint_number_unique")]
        indexes = [
            models.Index(fields=["community", "-received_at"], name="complaint_recent"),
            models.Index(fields=["community", "status", "-received_at"], name="complaint_status_recent"),
            models.Index(fields=["owner", "status"], name="complaint_owner_status"),
            models.Index(fields=["handler", "status"], name="complaint_handler_status"),
            models.Index(fields=["house", "status"], name="complaint_house_status"),
            models.Index(fields=["community", "category", "-received_at"], name="complaint_category_recent"),
            # The supervisor's daily review queue and its badge on the list.
            models.Index(
                fields=["community", "received_at"],
                condition=models.Q(reviewed_at__isnull=True),
                name="complaint_unreviewed",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("complaints:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def place(self):
        return self.house.number if self.house_id else self.location


class ComplaintPause(models.Model):
    """挂起: the matter truly waits on the reporter; every clock stands still."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField("挂起时间")
    reason = models.CharField("挂起原因", max_length=200)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField("恢复时间", null=True, blank=True)
    ended_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "挂起记录"
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=models.Q(ended_at__isnull=True), name="complaint_one_open_pause"
            )
        ]

    def __str__(self):
        return f"{self.complaint} 挂起 {self.reason}"


class ComplaintEvent(models.Model):
    """The timeline: who did what, when, with a note (and photos)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField("动作", max_length=25, choices=Action.choices)
    note = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=15, choices=Status.choices, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "处理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.complaint} {self.get_action_display()}"


def photo_path(instance, filename):
    return stored_name("complaints", instance.complaint.community_id, instance.content_type)


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    event = models.ForeignKey(ComplaintEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "投诉照片"

    def __str__(self):
        return f"{self.complaint} 照片"
