"""The front desk's visitor register (来访登记, SPEC §3 [000][001]).

A walk-in registration is a *visitor entry* — never a "visit", which is the
butler's. Personal data is kept no longer than needed: at exit the ID number
leaves the register (and its history) and only its masked form and a keyed hash
stay, so repeat visitors and the watchlist still match; after the community's
retention period a daily job anonymises the entry's personal fields.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from residents.choices import IdType
from residents.models import House
from visits.choices import Consent, EntryStatus, IncidentKind, OverrideMethod, PassStatus, VisitorPurpose

ANONYMISED = "（已匿名）"


class FrontDeskSettings(models.Model):
    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="+")
    consent_required = models.BooleanField(
        "封闭式管理：来访须电话征得业主同意", default=False, help_text="开启后，登记时须记录同意人或业主拒绝。"
    )
    overstay_hours = models.PositiveSmallIntegerField("在内超过（小时）提示", default=4)
    night_cutoff = models.TimeField("夜间截止时间", default=dt.time(23, 0))
    retention_days = models.PositiveSmallIntegerField("来访人员信息保留天数", default=30)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "前台来访设置"

    def __str__(self):
        return f"{self.community} 前台来访设置"

    @classmethod
    def for_community(cls, community):
        found = cls.objects.filter(community=community).first()
        if found is None:
            found, _ = cls.objects.get_or_create(community=community)
        return found


class VisitorEntryQuerySet(CommunityScopedQuerySet):
    def inside(self):
        return self.filter(status=EntryStatus.INSIDE)


class VisitorEntry(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="小区")
    house = models.ForeignKey(
        House, on_delete=models.PROTECT, null=True, blank=True, related_name="visitor_entries", verbose_name="到访房屋"
    )
    name = models.CharField("访客姓名", max_length=50)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField("证件号码", max_length=30, blank=True, help_text="离开时删除，仅保留掩码与散列")
    id_masked = models.CharField("证件号码（掩码）", max_length=30, blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    mobile = models.CharField("手机号", max_length=11, blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True)
    plate = models.CharField("车牌号", max_length=10, blank=True)
    head_count = models.PositiveSmallIntegerField("人数", default=1)
    purpose = models.CharField("来访事由", max_length=15, choices=VisitorPurpose.choices)
    items = models.CharField("携带物品", max_length=200, blank=True)
    entered_at = models.DateTimeField("进入时间", db_index=True)
    exited_at = models.DateTimeField("离开时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.INSIDE)
    consent = models.CharField("业主意见", max_length=10, choices=Consent.choices, default=Consent.NOT_ASKED)
    consent_by = models.CharField("同意/拒绝人", max_length=50, blank=True)
    consent_at = models.DateTimeField("征询时间", null=True, blank=True)
    restriction = models.ForeignKey(
        "visits.VisitorRestriction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="命中的限制来访",
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="放行主管",
    )
    override_method = models.CharField("放行方式", max_length=10, choices=OverrideMethod.choices, blank=True)
    override_reason = models.CharField("放行理由", max_length=200, blank=True)
    override_at = models.DateTimeField("放行时间", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    exit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记离开",
    )
    anonymised_at = models.DateTimeField("匿名化时间", null=True, blank=True)

    objects = VisitorEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "来访登记"
        ordering = ["-entered_at", "-pk"]
        indexes = [
            models.Index(fields=["community", "status", "entered_at"]),
            models.Index(fields=["community", "entered_at"]),
            # The retention job's batch: only entries still holding personal data.
            models.Index(
                fields=["community", "entered_at"],
                condition=Q(anonymised_at__isnull=True),
                name="visitor_entry_not_anonymised",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.entered_at:%m-%d %H:%M}"

    @property
    def masked_mobile(self):
        from residents.masking import mask_mobile

        return mask_mobile(self.mobile)


class VisitorRestrictionQuerySet(CommunityScopedQuerySet):
    def active(self, today):
        return self.filter(lifted_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gte=today))


class VisitorRestriction(models.Model):
    """限制来访 [000]: matched by the keyed hash of an ID number or a mobile; the
    clear values are not stored here."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="小区")
    name = models.CharField("姓名", max_length=50)
    id_masked = models.CharField("证件号码（掩码）", max_length=30, blank=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    mobile_masked = models.CharField("手机号（掩码）", max_length=11, blank=True)
    mobile_hash = models.CharField(max_length=64, blank=True, db_index=True)
    reason = models.CharField("限制原因", max_length=200)
    until = models.DateField("限制至", null=True, blank=True, help_text="留空为长期")
    incident = models.ForeignKey(
        "visits.VisitorIncident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="来源事件",
    )
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    lifted_at = models.DateTimeField("解除时间", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="解除人",
    )

    objects = VisitorRestrictionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "限制来访名单"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name}（{self.reason}）"


class VisitorIncident(models.Model):
    """Uncivil behaviour or damage by a visitor, recorded against the entry [000]."""

    entry = models.ForeignKey(VisitorEntry, on_delete=models.PROTECT, related_name="incidents", verbose_name="来访登记")
    kind = models.CharField("类别", max_length=10, choices=IncidentKind.choices)
    description = models.TextField("经过")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "来访违规事件"
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.recorded_at:%Y-%m-%d}"


class TemporaryPass(models.Model):
    """临时出入证 [001]: requested by an owner for guests staying several days.
    The QR code holds a signed token (`visits.passes.token_for`), not an id; the
    gate computes validity when it checks (`status` only serves the lists)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="小区")
    number = models.CharField("编号", max_length=40, unique=True)
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="temporary_passes", verbose_name="房屋")
    requested_by = models.ForeignKey(
        "residents.Person", on_delete=models.PROTECT, related_name="+", verbose_name="申请业主"
    )
    guest_name = models.CharField("持证人", max_length=50)
    guest_count = models.PositiveSmallIntegerField("人数", default=1)
    guest_mobile = models.CharField("持证人手机", max_length=11, blank=True)
    note = models.CharField("事由/备注", max_length=200, blank=True)
    valid_from = models.DateField("生效日期")
    valid_to = models.DateField("截止日期")
    status = models.CharField("状态", max_length=10, choices=PassStatus.choices, default=PassStatus.ACTIVE)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("签发时间", auto_now_add=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField("作废原因", max_length=200, blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "临时出入证"
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["community", "status", "valid_to"])]

    def __str__(self):
        return f"{self.number} {self.guest_name}"


class ItemPermit(models.Model):
    """大件物品放行条 [001]: the applicant is verified against the archive (the
    owner, or a helper authorised to take items out); the guard marks it used once."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="小区")
    number = models.CharField("编号", max_length=40, unique=True)
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="item_permits", verbose_name="房屋")
    applicant = models.ForeignKey("residents.Person", on_delete=models.PROTECT, related_name="+", verbose_name="申请人")
    applicant_relation = models.CharField("申请人身份", max_length=10)
    items = models.TextField("物品清单")
    gate = models.CharField("放行出口", max_length=50)
    valid_on = models.DateField("放行日期")
    carrier = models.CharField("搬运人/车辆", max_length=100, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("开具时间", auto_now_add=True)
    used_at = models.DateTimeField("放行时间", null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="放行人",
    )

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "大件物品放行条"
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return f"{self.number} {self.house}"
