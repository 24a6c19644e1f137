"""A community's visit policy: coverage mode, sample bands, quotas, time windows
and return-visit delays — every number configurable, seeded with the rulebooks'
defaults (SPEC §2.1–§2.3)."""

import datetime as dt

from django.conf import settings
from django.db import models

from core.models import Community, CommunityScopedQuerySet
from visits.choices import CoverageMode


def default_sample_bands():
    """[002 4.3.1]: (up to N households in all, minimum % of occupied households)."""
    return [[300, 4], [500, 5], [800, 6], [None, 7]]


def default_phone_windows():
    """[000][002]: no calls before 09:00, 12:00–14:00, 17:30–19:00 or after 21:00."""
    return [["09:00", "12:00"], ["14:00", "17:30"], ["19:00", "21:00"]]


def default_phone_weekdays():
    """ISO weekdays (1 = Monday): no phone visits on Mondays [000]."""
    return [2, 3, 4, 5, 6, 7]


def default_return_delays():
    """Hours after the trigger by which the return visit is due (SPEC §2.3)."""
    return {
        "move_in": 24 * 30,
        "move_in_3m": 24 * 92,
        "complaint_closed": 24 * 3,
        "urgent_repair": 24,
        "urgent_repair_again": 24 * 7,
        "leak_repair": 24 * 3,
        "leak_repair_rain": 24,
        "other_repair": 24 * 3,
        "commission_done": 24 * 3,
        "special_service_new": 24 * 3,
        "household_incident": 24 * 3,
        "counter_question": 24,
    }


class VisitPolicy(models.Model):
    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="visit_policy")
    coverage_mode = models.CharField(
        "覆盖方式", max_length=10, choices=CoverageMode.choices, default=CoverageMode.SAMPLING
    )
    sample_bands = models.JSONField("抽样比例", default=default_sample_bands)
    manager_quota = models.PositiveSmallIntegerField("经理每月至少访问户数", default=5)
    supervisor_quota = models.PositiveSmallIntegerField("主管每月至少访问户数", default=5)
    phone_weekdays = models.JSONField("电话拜访日（1=周一）", default=default_phone_weekdays)
    phone_windows = models.JSONField("电话拜访时段", default=default_phone_windows)
    door_start = models.TimeField("上门拜访最早", default=dt.time(8, 0))
    door_end = models.TimeField("上门拜访最晚（不含）", default=dt.time(22, 0))
    record_due_days = models.PositiveSmallIntegerField("记录提交期限（访问后第N天结束）", default=1)
    return_delays = models.JSONField("回访时限（小时）", default=default_return_delays)
    move_in_sample_percent = models.PositiveSmallIntegerField("集中入住时入住拜访抽样比例%", default=60)
    mass_move_in_threshold = models.PositiveIntegerField("集中入住判定（同月入住户数）", default=50)
    cycle_started_at = models.DateTimeField(
        "本轮抽样开始", null=True, blank=True, help_text="全部入住户访问一遍前，不重复抽取同一户 [002]"
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "走访策略"

    def __str__(self):
        return f"{self.community} 走访策略"

    @classmethod
    def for_community(cls, community):
        policy, _ = cls.objects.get_or_create(community=community)
        return policy

    def return_delay(self, trigger):
        return dt.timedelta(hours=int({**default_return_delays(), **(self.return_delays or {})}[trigger]))


class RainyDay(models.Model):
    """A rainy day someone recorded: it makes the after-rain leak return visits due."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+")
    date = models.DateField("下雨日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "雨天记录"
        constraints = [models.UniqueConstraint(fields=["community", "date"], name="rainy_day_unique")]

    def __str__(self):
        return f"{self.community} {self.date}"
