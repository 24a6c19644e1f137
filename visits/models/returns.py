"""Return visits (回访) raised by the engine (SPEC §2.3)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import Community, CommunityScopedQuerySet
from residents.models import House
from visits.choices import ReturnVisitStatus, Trigger


class ReturnVisitQuerySet(CommunityScopedQuerySet):
    def pending(self):
        return self.filter(status=ReturnVisitStatus.DUE)


class ReturnVisit(models.Model):
    """One return visit owed to a household. `key` is unique: the engine raising
    the same trigger twice (a job run twice, two workers) creates it once."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="return_visits", verbose_name="房屋")
    trigger = models.CharField("触发事由", max_length=30, choices=Trigger.choices)
    key = models.CharField(max_length=120, unique=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    note = models.CharField("说明", max_length=200, blank=True)
    occurred_at = models.DateTimeField("事由发生时间")
    due_at = models.DateTimeField("回访期限", null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="负责人",
    )
    joint = models.BooleanField("需联合回访", default=False, help_text="重大投诉：经理、大管家、部门主管与管家共同回访")
    by_manager = models.BooleanField("需经理回访", default=False)
    status = models.CharField("状态", max_length=10, choices=ReturnVisitStatus.choices, default=ReturnVisitStatus.DUE)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReturnVisitQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "回访任务"
        ordering = ["due_at", "pk"]
        indexes = [models.Index(fields=["community", "status", "due_at"]), models.Index(fields=["assignee", "status"])]

    def __str__(self):
        return f"{self.house} {self.get_trigger_display()}"
