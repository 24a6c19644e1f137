"""Excel imports run as Celery tasks; their progress lives here so a page can show it."""

from django.conf import settings
from django.db import models

from core.models import Community, CommunityScopedQuerySet
from residents.choices import ImportStatus


class ImportJob(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="imports/", max_length=200)
    original_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "Excel 导入"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self):
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
