"""Typed archive documents, stored under non-guessable names and served only
through a view that checks scope (SPEC §1)."""

import uuid

from django.conf import settings
from django.db import models

from core.models import Community, CommunityScopedQuerySet
from residents.choices import DocumentType
from residents.models.people import Person
from residents.models.places import House


def document_path(instance, filename):
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.content_type, "bin")
    return f"documents/{instance.community_id}/{uuid.uuid4().hex}.{extension}"


class Document(models.Model):
    """An upload. A new version points at the one it supersedes; nothing is overwritten."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="documents", verbose_name="房屋")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="documents", verbose_name="相关住户"
    )
    doc_type = models.CharField("资料类型", max_length=30, choices=DocumentType.choices)
    doc_date = models.DateField("资料日期")
    note = models.CharField("说明", max_length=200, blank=True)
    file = models.FileField("文件", upload_to=document_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField("大小(字节)")
    sha256 = models.CharField(max_length=64)
    supersedes = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by", verbose_name="替代版本"
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "档案资料"
        ordering = ["-doc_date", "-pk"]

    def __str__(self):
        return f"{self.get_doc_type_display()} {self.doc_date}"

    @property
    def is_current(self):
        return not hasattr(self, "superseded_by")
