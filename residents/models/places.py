"""Community → Building → (unit) → House, butler zones and long absences (SPEC §1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from residents.choices import OCCUPIED_STATES, HouseType, Occupancy


class Building(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="buildings", verbose_name="小区")
    number = models.CharField("楼栋号", max_length=20, help_text="如 3，房号前缀即由此而来")
    name = models.CharField("楼栋名称", max_length=50, blank=True, help_text="如 3号楼；留空则显示为“3栋”")
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "楼栋"
        ordering = ["community", "number"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="building_number_unique")]

    def __str__(self):
        return self.name or f"{self.number}栋"


class HouseQuerySet(CommunityScopedQuerySet):
    def occupied(self):
        return self.filter(occupancy__in=OCCUPIED_STATES)

    def in_zone_of(self, butler):
        return self.filter(butler=butler)


class House(models.Model):
    """A house (房屋). `butler` is the zone's butler, kept right by `assign_zone`."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="houses", verbose_name="小区")
    building = models.ForeignKey(Building, on_delete=models.PROTECT, related_name="houses", verbose_name="楼栋")
    unit = models.CharField("单元", max_length=10, blank=True)
    floor = models.SmallIntegerField("楼层")
    room = models.CharField("室号", max_length=10)
    number = models.CharField("房号", max_length=40, help_text="如 3-2-1501（楼栋-单元-房间）")
    floor_area = models.DecimalField("建筑面积(m²)", max_digits=8, decimal_places=2, null=True, blank=True)
    house_type = models.CharField("房屋类型", max_length=20, choices=HouseType.choices, default=HouseType.RESIDENCE)
    occupancy = models.CharField("入住状态", max_length=20, choices=Occupancy.choices, default=Occupancy.NOT_DELIVERED)
    handover_date = models.DateField("交房日期", null=True, blank=True)
    move_in_date = models.DateField("入住日期", null=True, blank=True)
    move_out_date = models.DateField("迁出日期", null=True, blank=True)
    butler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="zone_houses",
        verbose_name="责任管家",
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = HouseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "房屋"
        # Building creation order, then unit/floor/room: served by the index below
        # without joining community or building (a list page at 50k houses).
        ordering = ["building_id", "unit", "floor", "room"]
        constraints = [models.UniqueConstraint(fields=["community", "number"], name="house_number_unique")]
        indexes = [
            models.Index(fields=["community", "butler"]),
            models.Index(fields=["community", "occupancy"]),
            models.Index(fields=["community", "building", "unit", "floor", "room"], name="house_list_order"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_occupied(self):
        return self.occupancy in OCCUPIED_STATES

    def current_absence(self, today=None):
        """The long absence in force today, if any (SPEC §1 外出报备); computed when read."""
        today = today or timezone.localdate()
        return self.absences.filter(from_date__lte=today, to_date__gte=today, cleared_at__isnull=True).first()


class ZoneAssignment(models.Model):
    """One butler's responsibility for a building or a single house, from/to.

    Ended rows stay: they are the zone's history (SPEC §1: reassigning keeps history).
    """

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="zone_assignments")
    butler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="zone_assignments", verbose_name="管家"
    )
    building = models.ForeignKey(Building, on_delete=models.PROTECT, null=True, blank=True, verbose_name="楼栋")
    house = models.ForeignKey(House, on_delete=models.PROTECT, null=True, blank=True, verbose_name="房屋")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="分配人"
    )
    started_at = models.DateTimeField("开始", default=timezone.now)
    ended_at = models.DateTimeField("结束", null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "管家片区分配"
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=False, house__isnull=True) | Q(building__isnull=True, house__isnull=False),
                name="zone_assignment_building_xor_house",
            ),
            models.UniqueConstraint(
                fields=["building"], condition=Q(ended_at__isnull=True), name="zone_one_open_per_building"
            ),
            models.UniqueConstraint(
                fields=["house"], condition=Q(ended_at__isnull=True), name="zone_one_open_per_house"
            ),
        ]

    def __str__(self):
        return f"{self.butler} · {self.building or self.house}"


class Absence(models.Model):
    """外出报备: an owner's long absence; the house is on the guards' patrol list."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="absences")
    house = models.ForeignKey(House, on_delete=models.PROTECT, related_name="absences", verbose_name="房屋")
    from_date = models.DateField("外出日期")
    to_date = models.DateField("预计返回日期")
    contact = models.CharField("外出期间联系方式", max_length=100, blank=True)
    note = models.CharField("备注（如水电气已关闭）", max_length=200, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    cleared_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "外出报备"
        ordering = ["to_date"]
        indexes = [models.Index(fields=["community", "cleared_at", "to_date"])]
        constraints = [models.CheckConstraint(condition=Q(to_date__gte=models.F("from_date")), name="absence_dates")]

    def __str__(self):
        return f"{self.house} {self.from_date}–{self.to_date}"
