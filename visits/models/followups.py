"""Follow-ups: what was promised to an owner, with an owner and a due time.

The hand-off point for other apps: a follow-up can be "turned into" a complaint
or a work order; `converted_to` links forward and the new record links back
through `source` on its side (SPEC §2.2)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from residents.models import House
from visits.choices import FollowUpStatus, OpinionCategory


class FollowUpQuerySet(CommunityScopedQuerySet):
    def open(self):
        return self.filter(status=FollowUpStatus.OPEN)


class FollowUp(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="房屋")
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name="来源访问",
    )
    category = models.CharField("类别", max_length=20, choices=OpinionCategory.choices, blank=True)
    description = models.TextField("跟进事项")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups", verbose_name="负责人"
    )
    due_at = models.DateTimeField("答复期限", db_index=True)
    status = models.CharField("状态", max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    resolution = models.TextField("处理结果", blank=True)
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)
    converted_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    converted_id = models.CharField(max_length=64, blank=True)
    converted_to = GenericForeignKey("converted_type", "converted_id")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "跟进事项"
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["status", "due_at"]), models.Index(fields=["owner", "status"])]

    def __str__(self):
        return self.description[:30]
