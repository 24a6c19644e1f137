"""Who saw whose numbers, and who asked to (SPEC §1 confidentiality, [001] 档案保密)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from residents.choices import AccessRequestStatus
from residents.models.people import Person


class RevealLog(models.Model):
    """One reveal of one person's numbers: who, when, which person, why."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="查看人"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reveals", verbose_name="住户")
    purpose = models.CharField("用途", max_length=200)
    basis = models.CharField("依据", max_length=50)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "号码查看记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.actor} → {self.person} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"


class AccessRequestQuerySet(CommunityScopedQuerySet):
    def granting(self, user, person, now=None):
        """Approved, unexpired requests that let `user` reveal `person`."""
        now = now or timezone.now()
        return self.filter(requester=user, person=person, status=AccessRequestStatus.APPROVED, expires_at__gt=now)


class AccessRequest(models.Model):
    """查看申请: staff without an immediate right ask a supervisor or manager."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests", verbose_name="申请人"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_requests", verbose_name="住户")
    reason = models.CharField("申请理由", max_length=200)
    status = models.CharField(
        "状态", max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    objects = AccessRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "号码查看申请"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "status"]), models.Index(fields=["requester", "person"])]

    def __str__(self):
        return f"{self.requester} 申请查看 {self.person}"

    def is_in_force(self, now=None):
        now = now or timezone.now()
        return self.status == AccessRequestStatus.APPROVED and self.expires_at is not None and self.expires_at > now
