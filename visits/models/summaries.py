"""The monthly visit summary (《月度客户访问工作总结》) and 《工作联系函》 (SPEC §2.4 [002]).

The figures are a snapshot (`figures`, JSON) computed from the month's records:
the supervisor writes the narrative around them but cannot edit them; a logged
"recompute" refreshes them before submission. Every step is an event row, so the
supervisor and the manager read the same history.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import Community, CommunityScopedQuerySet
from visits.choices import LetterStatus, ProblemDecision, SummaryAction, SummaryStatus


def _staff(label):
    """An optional reference to the staff member who took a step."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=label
    )


class MonthlySummary(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="小区")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    status = models.CharField("状态", max_length=10, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT)
    figures = models.JSONField("统计数据", default=dict)
    computed_at = models.DateTimeField("数据计算时间")
    analysis = models.TextField("访问情况分析", blank=True)
    measures = models.TextField("改进措施", blank=True)
    next_month_plan = models.TextField("下月工作计划", blank=True)
    # Each submission is a round; reminders of a round are keyed by it, so a
    # returned summary is reminded afresh when it is due again.
    round = models.PositiveSmallIntegerField("提交轮次", default=0)
    submit_due_at = models.DateTimeField("应提交时间")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = _staff("提交人")
    approval_due_at = models.DateTimeField("应审批时间", null=True, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decided_by = _staff("审批人")
    decision_comment = models.TextField("审批意见", blank=True)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "月度客户访问工作总结"
        ordering = ["-year", "-month", "community"]
        constraints = [models.UniqueConstraint(fields=["community", "year", "month"], name="monthly_summary_unique")]

    def __str__(self):
        return f"{self.community} {self.year}年{self.month}月客户访问工作总结"

    @property
    def period(self):
        return f"{self.year}年{self.month}月"

    @property
    def month_param(self):
        return f"{self.year}-{self.month:02d}"


class SummaryProblem(models.Model):
    """A problem the supervisor raises; the manager records a decision on each."""

    summary = models.ForeignKey(MonthlySummary, on_delete=models.CASCADE, related_name="problems")
    description = models.TextField("发现的问题")
    decision = models.CharField("处理决定", max_length=10, choices=ProblemDecision.choices, blank=True)
    decision_note = models.TextField("处理措施", blank=True)
    decided_by = _staff("决定人")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "总结中发现的问题"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.description[:30]


class SummaryEvent(models.Model):
    summary = models.ForeignKey(MonthlySummary, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=12, choices=SummaryAction.choices)
    actor = _staff("操作人")
    at = models.DateTimeField("时间")
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "总结处理记录"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class WorkLetter(models.Model):
    """《工作联系函》: a matter beyond the manager's authority, sent to the company
    and tracked until the company replies [002]."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+", verbose_name="小区")
    number = models.CharField("编号", max_length=40, unique=True)
    problem = models.OneToOneField(
        SummaryProblem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter",
        verbose_name="来源问题",
    )
    subject = models.CharField("主题", max_length=100)
    content = models.TextField("事由及情况说明")
    requested_action = models.TextField("请求事项（处理建议）")
    status = models.CharField("状态", max_length=10, choices=LetterStatus.choices, default=LetterStatus.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="发函人"
    )
    sent_at = models.DateTimeField("发函时间")
    reply_due_at = models.DateTimeField("应回复时间")
    reply = models.TextField("公司回复", blank=True)
    replied_by = _staff("回复人")
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    closed_by = _staff("办结人")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    close_note = models.TextField("办结说明", blank=True)

    objects = CommunityScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "工作联系函"
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["status", "reply_due_at"])]

    def __str__(self):
        return f"{self.number} {self.subject}"
