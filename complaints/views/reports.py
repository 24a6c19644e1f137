"""Statistics (weekly, valid complaint rate, targets), recurring problems, the
published measures of adopted suggestions, and the community's deadline settings."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from complaints import forms, rules, selectors, services, statistics
from complaints.choices import Decision, Kind
from complaints.models import CategoryRule, Complaint, ComplaintSettings
from core.choices import Role
from core.permissions import RoleRequiredMixin
from residents.exports import sheets_response
from residents.masking import mask_mobile


class ReviewerMixin(RoleRequiredMixin):
    allowed_roles = rules.REVIEWERS


def _week(request):
    form = forms.WeekForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["week"]:
        day = form.cleaned_data["week"]
    return form, statistics.week_of(day)


def _figures(community, start, end):
    figures = statistics.period_figures(community, start, end)
    figures["valid_rate"] = statistics.valid_rate(community, start.year)
    figures["trend"] = statistics.weekly_trend(community, start)
    return figures


class StatisticsView(ReviewerMixin, View):
    def get(self, request):
        form, (start, end) = _week(request)
        figures = _figures(request.community, start, end)
        chart = {
            "category": [[r["label"], r["count"]] for r in figures["by_category"]],
            "channel": [[r["label"], r["count"]] for r in figures["by_channel"]],
            "satisfaction": [[r["label"], r["count"]] for r in figures["satisfaction"]],
            "trend": [[f"{t['week']:%m-%d}", t["total"], t["on_time"]] for t in figures["trend"]],
        }
        context = {
            "form": form,
            "f": figures,
            "chart": chart,
            "previous": start - dt.timedelta(days=7),
            "next": start + dt.timedelta(days=7),
        }
        return render(request, "complaints/statistics.html", context)


class ExportView(ReviewerMixin, View):
    """The week's statistics and its complaints as Excel (contact numbers masked)."""

    def get(self, request):
        _, (start, end) = _week(request)
        f = _figures(request.community, start, end)
        summary = [
            ("受理总数", f["total"]),
            ("其中投诉", f["complaints"]),
            ("答复及时率(%)", f["answer_on_time_rate"]),
            ("办结及时率(%)", f["resolution_on_time_rate"]),
            ("处理率(%)", f["handled_rate"]),
            ("回访率(%)", f["return_visit_rate"]),
            ("满意率(%)", f["satisfaction_rate"]),
            (f"{f['valid_rate']['year']}年有效投诉率(%)", f["valid_rate"]["rate"]),
            ("有效投诉率目标(%)", f["valid_rate"]["target"]),
        ]
        rows = (
            statistics.base(request.community, start, end)
            .select_related("house", "owner", "handler", "department")
            .order_by("received_at")
        )
        detail = [
            (
                c.number,
                timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M"),
                c.get_kind_display(),
                c.get_channel_display(),
                c.get_category_display(),
                c.get_urgency_display(),
                c.place,
                c.reporter_name,
                mask_mobile(c.contact),
                c.description,
                c.owner.display_name,
                c.department.name if c.department else "",
                c.handler.display_name if c.handler else "",
                c.get_status_display(),
                "是" if c.answered_late else "否",
                "是" if c.resolved_late else "否",
                c.get_satisfaction_display(),
                c.get_validity_display() if c.validity else "",
            )
            for c in rows
        ]
        sheets = [
            ("汇总", ["指标", "数值"], summary),
            ("按类别", ["类别", "件数"], [(r["label"], r["count"]) for r in f["by_category"]]),
            ("按渠道", ["渠道", "件数"], [(r["label"], r["count"]) for r in f["by_channel"]]),
            (
                "明细",
                [
                    "编号",
                    "受理时间",
                    "类型",
                    "渠道",
                    "类别",
                    "紧急程度",
                    "地点",
                    "反映人",
                    "联系电话",
                    "问题描述",
                    "首问责任人",
                    "责任部门",
                    "处理人",
                    "状态",
                    "答复超时",
                    "办结超时",
                    "满意度",
                    "有效性",
                ],
                detail,
            ),
        ]
        return sheets_response(sheets, f"投诉周统计_{start:%Y%m%d}.xlsx")


class RecurringView(ReviewerMixin, View):
    """Recurring problems [004 第9条], over a chosen number of days."""

    def get(self, request):
        try:
            days = max(7, min(366, int(request.GET.get("days", 90))))
        except ValueError:
            days = 90
        now = timezone.now()
        groups = selectors.recurring(request.community, since=now - dt.timedelta(days=days), until=now)
        return render(request, "complaints/recurring.html", {"groups": groups, "days": days})


class MeasuresView(RoleRequiredMixin, View):
    """Adopted suggestions and the measures taken, for the notice board [004]."""

    allowed_roles = rules.RECEIVERS

    def get(self, request):
        suggestions = (
            Complaint.objects.filter(
                community=request.community,
                kind=Kind.SUGGESTION,
                publish_measures=True,
                decision__in=[Decision.ADOPTED, Decision.PARTLY],
            )
            .select_related("house")
            .order_by("-received_at")[:100]
        )
        return render(request, "complaints/measures.html", {"suggestions": suggestions})


class SettingsView(RoleRequiredMixin, View):
    """Deadlines, warning point, clock mode and the valid-rate target; the manager's."""

    allowed_roles = (Role.MANAGER,)

    def _render(self, request, form, rule_form, status=200):
        rules_list = CategoryRule.objects.filter(community=request.community).order_by("category")
        return render(
            request,
            "complaints/settings.html",
            {"form": form, "rule_form": rule_form, "rules": rules_list},
            status=status,
        )

    def get(self, request):
        instance = ComplaintSettings.for_community(request.community)
        return self._render(request, forms.SettingsForm(instance=instance), forms.CategoryRuleForm(prefix="rule"))

    def post(self, request):
        instance = ComplaintSettings.for_community(request.community)
        if "rule-category" in request.POST:
            rule = CategoryRule.objects.filter(
                community=request.community, category=request.POST["rule-category"]
            ).first() or CategoryRule(community=request.community)
            rule_form = forms.CategoryRuleForm(request.POST, prefix="rule", instance=rule)
            if rule_form.is_valid():
                saved = rule_form.save(commit=False)
                saved._history_user = request.user
                saved.save()
                messages.success(request, f"已保存“{saved.get_category_display()}”的时限（新受理的事项起生效）。")
                return redirect("complaints:settings")
            return self._render(request, forms.SettingsForm(instance=instance), rule_form, status=400)
        form = forms.SettingsForm(request.POST, instance=instance)
        if form.is_valid():
            saved = form.save(commit=False)
            saved._history_user = request.user
            saved.save()
            refreshed = services.refresh_open_clocks(request.community)
            messages.success(
                request, f"已保存：时限对新受理的事项生效；计时方式和预警点已用于 {refreshed} 件未完成事项。"
            )
            return redirect("complaints:settings")
        return self._render(request, form, forms.CategoryRuleForm(prefix="rule"), status=400)
