"""The visit record (《业户访问记录》/《业主意见反馈单》, SPEC §2.2)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from core.uploads import stored_name
from residents.models import House
from visits.choices import Channel, OpinionCategory, Satisfaction, Signature, VisitStatus, VisitType


class Visit(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="visits", verbose_name="房屋")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits", verbose_name="访问人"
    )
    companions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="accompanied_visits", verbose_name="同行人员"
    )
    started_at = models.DateTimeField("访问时间", db_index=True)
    channel = models.CharField("方式", max_length=10, choices=Channel.choices)
    visit_type = models.CharField("类型", max_length=20, choices=VisitType.choices, default=VisitType.ROUTINE)
    people_met = models.CharField("接待人", max_length=100, blank=True)
    reply = models.TextField("答复情况", blank=True)
    satisfaction = models.CharField("满意度", max_length=15, choices=Satisfaction.choices, blank=True)
    signature = models.CharField("业主签字", max_length=10, choices=Signature.choices, default=Signature.NOT_ASKED)
    window_reason = models.CharField("非规定时段原因", max_length=200, blank=True)
    contains_complaint = models.BooleanField("含投诉", default=False)
    checklist = models.JSONField("空置房巡视项目", default=dict, blank=True)
    repair_ratings = models.JSONField("维修回访评价", default=dict, blank=True)
    owner_notified = models.CharField("已告知业主（方式/时间）", max_length=100, blank=True)
    status = models.CharField("状态", max_length=10, choices=VisitStatus.choices, default=VisitStatus.SUBMITTED)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    due_at = models.DateTimeField("应提交时间")
    is_late = models.BooleanField("逾期提交", default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.CharField("审核意见", max_length=200, blank=True)
    return_visit = models.OneToOneField(
        "visits.ReturnVisit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name="回访任务",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="复核人",
    )
    confirmed_at = models.DateTimeField("复核时间", null=True, blank=True)
    plan_item = models.ForeignKey(
        "visits.PlanItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    client_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "业户访问记录"
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "status"]),
            models.Index(fields=["house", "started_at"]),
            # A butler's visit list: its count and first page from the index alone.
            models.Index(fields=["community", "created_by", "started_at"]),
            # The today page's "recorded today" (submitted since midnight, whenever the visit was).
            models.Index(fields=["created_by", "submitted_at"]),
            # Houses visited in the sampling cycle (coverage.cycle_visited_ids), read from the index alone.
            models.Index(fields=["community", "started_at", "house", "visit_type", "return_visit"]),
        ]

    def __str__(self):
        return f"{self.house} {self.get_channel_display()} {self.started_at:%Y-%m-%d}"

    @property
    def repair_rating_rows(self):
        """(aspect, satisfaction) labels of a repair return visit's ratings [003 L508]."""
        from visits.services import REPAIR_ASPECTS

        labels = dict(Satisfaction.choices)
        return [(label, labels.get(self.repair_ratings[key], "")) for key, label in REPAIR_ASPECTS.items()
                if key in self.repair_ratings]  # fmt: skip

    @property
    def needs_second_signature(self):
        """SPEC §2.2 [001]: a phone return visit counts only after a second staff member confirms."""
        return self.return_visit_id is not None and self.channel == Channel.PHONE

    @property
    def counts(self):
        return not self.needs_second_signature or self.confirmed_at is not None


class Opinion(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="opinions")
    category = models.CharField("意见类别", max_length=20, choices=OpinionCategory.choices)
    content = models.TextField("意见内容")

    class Meta:
        verbose_name = verbose_name_plural = "业主意见"

    def __str__(self):
        return f"{self.get_category_display()}：{self.content[:20]}"


def photo_path(instance, filename):
    return stored_name("visits", instance.visit.community_id, instance.content_type)


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "访问照片"

    def __str__(self):
        return f"{self.visit} 照片"


class VisitDraft(models.Model):
    """A half-typed record, synced from the phone's localStorage when it is online."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    house = models.ForeignKey(House, on_delete=models.CASCADE, related_name="+")
    payload = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "house"], name="visit_draft_unique")]

    def __str__(self):
        return f"{self.user} · {self.house} 草稿"
