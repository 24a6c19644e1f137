"""The monthly visit summary: list and month picker, the manager's review page,
the supervisor's editing, click-through lists behind every figure, print and
Excel, the company's side-by-side table, the coverage dashboard and 《工作联系函》."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.choices import Role
from core.feedback import add_errors, error_text, flash_error
from core.models import Community
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from residents.exports import sheets_response
from visits import figures, progress, roles, summaries
from visits.choices import EDITABLE_SUMMARY_STATES, LetterStatus, ProblemDecision, SummaryStatus
from visits.forms import (
    LetterCloseForm,
    LetterForm,
    LetterReplyForm,
    NarrativeForm,
    ProblemDecisionForm,
    SummaryDecisionForm,
)
from visits.models import MonthlySummary, SummaryProblem, WorkLetter
from visits.progress import Period

PAGE_SIZE = 50
SUMMARY_READERS = (Role.SUPERVISOR, Role.MANAGER)
LETTER_READERS = (Role.SUPERVISOR, Role.MANAGER)


def _only_own_figures(request, community):
    """A butler (without a reviewing role) sees only their own figures."""
    return not request.user.has_role(community, *SUMMARY_READERS)


class SummaryMixin(RoleRequiredMixin):
    allowed_roles = roles.VISITORS

    def get_summary(self, request, pk):
        return get_object_or_404(MonthlySummary.objects.for_user(request.user).select_related("community"), pk=pk)


class SummaryListView(SummaryMixin, View):
    """Every month's summary of the community; `?month=2026-10` opens that month."""

    def get(self, request):
        summaries_qs = MonthlySummary.objects.filter(community=request.community)
        period = Period.parse(request.GET.get("month", ""))
        if period is not None:
            found = summaries_qs.filter(year=period.year, month=period.month).first()
            if found is not None:
                return redirect("visits:summary_detail", pk=found.pk)
            messages.warning(request, f"{period.label}的总结尚未生成。")
        last_month = Period.of(timezone.localdate()).previous
        context = {
            "summaries": summaries_qs.select_related("submitted_by", "decided_by")[:36],
            "last_month": last_month,
            "can_generate": request.user.has_role(request.community, *summaries.EDITORS)
            and not summaries_qs.filter(year=last_month.year, month=last_month.month).exists(),
        }
        return render(request, "visits/summary_list.html", context)


class SummaryGenerateView(SummaryMixin, View):
    """The supervisor drafts a past month now instead of waiting for the job."""

    allowed_roles = summaries.EDITORS

    def post(self, request):
        period = Period.parse(request.POST.get("month", "")) or Period.of(timezone.localdate()).previous
        if period.first_day >= Period.of(timezone.localdate()).first_day:
            messages.error(request, "只能生成已结束月份的总结。")
            return redirect("visits:summary_list")
        summary, created = summaries.draft_summary(request.community, period, actor=request.user)
        if created:
            messages.success(request, f"已生成{period.label}总结草稿。")
        return redirect("visits:summary_detail", pk=summary.pk)


def _history(summary):
    return summary.events.select_related("actor").order_by("at", "pk")


def review_page(request, summary, *, typed=None, comment="", status=200):
    """The manager's review page. After a refused decision it is drawn again with
    what the manager typed (`typed`: {problem pk: fields and the error}; `comment`)."""
    community = summary.community
    period = Period(summary.year, summary.month)
    problems = list(summary.problems.select_related("decided_by", "letter"))
    for problem in problems:
        problem.typed = (typed or {}).get(problem.pk, {})
    context = {
        "summary": summary,
        "f": figures.present(summary.figures),
        "trend": summary.figures.get("trend") or figures.trend(community, period),
        "problems": problems,
        "events": _history(summary),
        "can_edit": summary.status in EDITABLE_SUMMARY_STATES and request.user.has_role(community, *summaries.EDITORS),
        "can_decide": summary.status == SummaryStatus.SUBMITTED
        and request.user.has_role(community, *summaries.APPROVERS),
        "decision_choices": ProblemDecision.choices,
        "undecided": sum(1 for p in problems if not p.decision),
        "comment": comment,
    }
    return render(request, "visits/summary_detail.html", context, status=status)


class SummaryDetailView(SummaryMixin, View):
    """The manager's review page (and everyone's reading page)."""

    def get(self, request, pk):
        summary = self.get_summary(request, pk)
        if _only_own_figures(request, summary.community):
            return self._own_figures(request, summary)
        return review_page(request, summary)

    def _own_figures(self, request, summary):
        data = figures.present(summary.figures)
        me = request.user.pk
        visits = next((r for r in data["staff_visits"] if r["id"] == me), None)
        context = {
            "summary": summary,
            "visits": visits,
            "coverage": next((r for r in data["coverage_staff"] if r["id"] == me), None),
            "by_channel": [
                (channel["label"], cell["n"])
                for channel, cell in zip(data["channels"], visits["cells"], strict=True)
                if cell["n"]
            ]
            if visits
            else [],
        }
        return render(request, "visits/summary_mine.html", context)


class SummaryEditView(SummaryMixin, View):
    """The supervisor's narrative; the figures are shown, never edited."""

    allowed_roles = summaries.EDITORS

    def _context(self, summary, form):
        return {"summary": summary, "form": form, "f": figures.present(summary.figures), "events": _history(summary)}

    def get(self, request, pk):
        summary = self.get_summary(request, pk)
        if summary.status not in EDITABLE_SUMMARY_STATES:
            messages.info(request, "总结已提交，不能修改。")
            return redirect("visits:summary_detail", pk=summary.pk)
        form = NarrativeForm(
            initial={
                "analysis": summary.analysis,
                "measures": summary.measures,
                "next_month_plan": summary.next_month_plan,
                "problems": "\n".join(p.description for p in summary.problems.all()),
            }
        )
        return render(request, "visits/summary_edit.html", self._context(summary, form))

    def post(self, request, pk):
        summary = self.get_summary(request, pk)
        form = NarrativeForm(request.POST)
        if not form.is_valid():
            return render(request, "visits/summary_edit.html", self._context(summary, form), status=400)
        try:
            summary = summaries.save_narrative(
                summary,
                actor=request.user,
                analysis=form.cleaned_data["analysis"],
                measures=form.cleaned_data["measures"],
                next_month_plan=form.cleaned_data["next_month_plan"],
                problems=form.problem_lines(),
            )
            if request.POST.get("action") == "submit":
                summaries.submit_summary(summary, actor=request.user)
                messages.success(request, "总结已提交经理审批。")
                return redirect("visits:summary_detail", pk=summary.pk)
        except (ValidationError, PermissionDenied) as error:
            # The typed narrative stays on the form; what was saved before is kept.
            add_errors(form, error)
            return render(request, "visits/summary_edit.html", self._context(summary, form), status=400)
        messages.success(request, "已保存。")
        return redirect("visits:summary_edit", pk=summary.pk)


class SummaryRecomputeView(SummaryMixin, View):
    allowed_roles = summaries.EDITORS

    def post(self, request, pk):
        summary = self.get_summary(request, pk)
        try:
            summary = summaries.recompute_summary(summary, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
        else:
            messages.success(request, f"数据已重新计算：{summary.events.last().comment}")
        return redirect(
            "visits:summary_edit" if summary.status in EDITABLE_SUMMARY_STATES else "visits:summary_detail",
            pk=summary.pk,
        )


class SummaryDecideView(SummaryMixin, View):
    allowed_roles = summaries.APPROVERS

    def post(self, request, pk):
        summary = self.get_summary(request, pk)
        form = SummaryDecisionForm(request.POST)
        comment = request.POST.get("comment", "")
        if not form.is_valid():
            messages.error(request, next(iter(form.errors.values()))[0])
            return review_page(request, summary, comment=comment, status=400)
        approve = form.cleaned_data["decision"] == "approve"
        try:
            summaries.decide_summary(summary, actor=request.user, approve=approve, comment=form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
            return review_page(request, summary, comment=comment, status=400)
        messages.success(request, "总结已批准。" if approve else "总结已退回客服主管修改。")
        return redirect("visits:summary_detail", pk=summary.pk)


class ProblemDecideView(SummaryMixin, View):
    allowed_roles = summaries.APPROVERS

    def post(self, request, pk, problem_pk):
        summary = self.get_summary(request, pk)
        problem = get_object_or_404(SummaryProblem, pk=problem_pk, summary=summary)
        form = ProblemDecisionForm(request.POST, prefix=f"p{problem.pk}")
        typed = {name: request.POST.get(f"p{problem.pk}-{name}", "") for name in form.fields}
        if not form.is_valid():
            typed["error"] = next(iter(form.errors.values()))[0]
            messages.error(request, f"问题“{problem.description[:20]}”：{typed['error']}")
            return review_page(request, summary, typed={problem.pk: typed}, status=400)
        data = form.cleaned_data
        letter = None
        if data["decision"] == ProblemDecision.ESCALATE:
            letter = {
                "subject": data["subject"],
                "content": f"{summary}中发现的问题：{problem.description}"
                + (f"\n经理意见：{data['note']}" if data["note"].strip() else ""),
                "requested_action": data["requested_action"],
            }
        try:
            summaries.decide_problem(
                problem, actor=request.user, decision=data["decision"], note=data["note"], letter=letter
            )
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
            typed["error"] = error_text(error)
            return review_page(request, summary, typed={problem.pk: typed}, status=400)
        messages.success(request, "已记录处理决定。" + ("已生成工作联系函报公司。" if letter else ""))
        return redirect("visits:summary_detail", pk=summary.pk)


class SummaryRecordsView(SummaryMixin, View):
    """The records behind one figure — the same queryset the figure counts."""

    def get(self, request, pk):
        summary = self.get_summary(request, pk)
        params = request.GET.copy()
        kind = params.get("kind", "")
        if _only_own_figures(request, summary.community):
            # A butler's click-through: their own visits and households only.
            if kind not in ("visits", "houses") or params.get("which") not in (None, "covered"):
                raise PermissionDenied("只能查看本人的数据。")
            params["created_by" if kind == "visits" else "staff"] = str(request.user.pk)
        found = figures.drilldown(summary.community, Period(summary.year, summary.month), kind, params)
        if found is None:
            raise Http404("没有这项数据。")
        title, rows_kind, qs = found
        qs = _rows(rows_kind, qs)
        params.pop("page", None)
        context = paginate(request, qs, PAGE_SIZE, querystring=params.urlencode())
        context.update(summary=summary, title=title, rows_kind=rows_kind, rows=context["page_obj"].object_list)
        return render(request, "visits/summary_records.html", context)


def _rows(kind, qs):
    if kind == "visits":
        return qs.select_related("house", "created_by").order_by("started_at", "pk")
    if kind == "opinions":
        return qs.select_related("visit__house", "visit__created_by").order_by("visit__started_at", "pk")
    if kind == "follow_ups":
        return qs.select_related("house", "owner").order_by("created_at", "pk")
    if kind == "return_visits":
        return qs.select_related("house", "assignee").order_by("due_at", "pk")
    return qs.select_related("building", "butler").order_by("number", "pk")


class SummaryPrintView(SummaryMixin, View):
    """The summary as the A4 document 《月度客户访问工作总结》."""

    allowed_roles = SUMMARY_READERS

    def get(self, request, pk):
        summary = self.get_summary(request, pk)
        context = {
            "summary": summary,
            "f": figures.present(summary.figures),
            "problems": summary.problems.select_related("letter"),
            "events": _history(summary),
        }
        return render(request, "visits/summary_print.html", context)


class SummaryExportView(SummaryMixin, View):
    allowed_roles = SUMMARY_READERS

    def get(self, request, pk):
        summary = self.get_summary(request, pk)
        f = figures.present(summary.figures)
        v, c = f["visits"], f["coverage"]
        overview = [
            ("访问记录", v["total"]),
            ("访问住户数", v["households"]),
            ("逾期提交记录", v["late"]),
            ("逾期率(%)", v["late_rate"]),
            ("含投诉记录", v["complaints"]),
            ("应访户数", c["required"]),
            ("已访户数（不含回访）", c["reached"]),
            ("覆盖率(%)", c["percent"]),
            ("业主意见", f["opinion_total"]),
            ("跟进事项新增", f["follow_ups"]["opened"]),
            ("跟进事项完成", f["follow_ups"]["closed"]),
            ("跟进事项逾期", f["follow_ups"]["overdue"]),
            ("月末未完成跟进", f["follow_ups"]["open_at_end"]),
            ("应回访", f["return_visits"]["due"]),
            ("已回访", f["return_visits"]["done"]),
            ("本轮未访问住户", f["never_visited"]["count"]),
        ]
        channel_labels = [ch["label"] for ch in f["channels"]]
        sheets = [
            ("概况", ["项目", "数值"], overview),
            (
                "人员覆盖",
                ["人员", "应访", "已访", "完成率(%)", "计划户数", "计划完成"],
                [
                    [r["name"], r["required"], r["done"], r["percent"], r["planned"], r["plan_done"]]
                    for r in f["coverage_staff"]
                ],
            ),
            (
                "访问分布",
                ["人员", "合计", "逾期", *channel_labels],
                [[r["name"], r["total"], r["late"], *[cell["n"] for cell in r["cells"]]] for r in f["staff_visits"]],
            ),
            ("访问类型", ["类型", "次数"], [[t["label"], t["n"]] for t in f["types"]]),
            ("满意度", ["满意度", "次数"], [[s["label"], s["n"]] for s in f["satisfaction"]]),
            (
                "业主意见",
                ["类别", "条数", "示例"],
                [[o["label"], o["n"], "；".join(e["content"] for e in o["examples"])] for o in f["opinions"]],
            ),
            ("跟进账龄", ["账龄", "月末未完成"], [[a["label"], a["n"]] for a in f["ageing"]]),
            (
                "总结正文",
                ["部分", "内容"],
                [
                    ["访问情况分析", summary.analysis],
                    *[
                        [
                            f"问题{i}",
                            f"{p.description}（处理决定：{p.get_decision_display() or '未决定'} {p.decision_note}）",
                        ]
                        for i, p in enumerate(summary.problems.all(), 1)
                    ],
                    ["改进措施", summary.measures],
                    ["下月工作计划", summary.next_month_plan],
                    ["状态", summary.get_status_display()],
                    ["审批意见", summary.decision_comment],
                ],
            ),
        ]
        return sheets_response(sheets, f"visit-summary-{summary.community.code}-{summary.month_param}")


class CompanyOverviewView(RoleRequiredMixin, View):
    """Company admins: every community's summary of a month side by side."""

    allowed_roles = ()  # company admins only (they pass every role check)

    def get(self, request):
        period = Period.parse(request.GET.get("month", "")) or Period.of(timezone.localdate()).previous
        communities = Community.objects.for_user(request.user).order_by("name")
        found = {
            s.community_id: s
            for s in MonthlySummary.objects.filter(community__in=communities, year=period.year, month=period.month)
        }
        rows = []
        for community in communities:
            summary = found.get(community.pk)
            rows.append({"community": community, "summary": summary, **_timeliness(summary)})
        return render(request, "visits/summary_company.html", {"rows": rows, "period": period})


def _timeliness(summary):
    """Was it submitted by its deadline, approved within 2 working days of the last submission?"""
    if summary is None:
        return {}
    first_due = summaries.submit_deadline(Period(summary.year, summary.month))
    submitted_on_time = summary.first_submitted_at is not None and summary.first_submitted_at <= first_due
    approved_on_time = (
        summary.status == SummaryStatus.APPROVED
        and summary.approval_due_at is not None
        and summary.decided_at <= summary.approval_due_at
    )
    return {"submitted_on_time": submitted_on_time, "approved_on_time": approved_on_time}


class CoverageDashboardView(RoleRequiredMixin, View):
    """During the month: each person's progress against plan and policy, and who is
    behind the pro-rata target (working days elapsed up to yesterday)."""

    allowed_roles = roles.VISITORS

    def get(self, request):
        today = timezone.localdate()
        period = Period.of(today)
        as_of = today - timezone.timedelta(days=1)
        rows, info = progress.staff_progress(request.community, period, as_of=as_of)
        if _only_own_figures(request, request.community):
            rows = [row for row in rows if row.user_id == request.user.pk]
        context = {
            "rows": rows,
            "info": info,
            "period": period,
            "as_of": as_of,
            "behind": [row for row in rows if row.behind],
            "full": info["mode"] == "full",
        }
        return render(request, "visits/coverage.html", context)


# --- 《工作联系函》 ----------------------------------------------------------------------


def _is_company_admin(user):
    return user.is_superuser or user.is_company_admin


class LetterListView(RoleRequiredMixin, View):
    allowed_roles = LETTER_READERS

    def get(self, request):
        letters = WorkLetter.objects.for_user(request.user).select_related("community", "sent_by")
        if not _is_company_admin(request.user):
            letters = letters.filter(community=request.community)
        status = request.GET.get("status", "")
        if status in LetterStatus.values:
            letters = letters.filter(status=status)
        context = paginate(request, letters, PAGE_SIZE, querystring=f"status={status}")
        context.update(
            letters=context["page_obj"].object_list,
            status=status,
            statuses=LetterStatus.choices,
            can_send=request.user.has_role(request.community, *summaries.APPROVERS),
            now=timezone.now(),
        )
        return render(request, "visits/letter_list.html", context)


class LetterCreateView(RoleRequiredMixin, View):
    allowed_roles = summaries.APPROVERS

    def get(self, request):
        return render(request, "visits/letter_form.html", {"form": LetterForm()})

    def post(self, request):
        form = LetterForm(request.POST)
        if form.is_valid():
            try:
                letter = summaries.send_letter(community=request.community, actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                add_errors(form, error)
            else:
                messages.success(request, f"工作联系函 {letter.number} 已报送公司。")
                return redirect("visits:letter_detail", pk=letter.pk)
        return render(request, "visits/letter_form.html", {"form": form}, status=400)


class LetterDetailView(RoleRequiredMixin, View):
    allowed_roles = LETTER_READERS

    def _letter(self, request, pk):
        return get_object_or_404(
            WorkLetter.objects.for_user(request.user).select_related(
                "community", "sent_by", "replied_by", "closed_by", "problem__summary"
            ),
            pk=pk,
        )

    def get(self, request, pk):
        letter = self._letter(request, pk)
        template = "visits/letter_print.html" if request.GET.get("print") == "1" else "visits/letter_detail.html"
        context = {
            "letter": letter,
            "reply_form": LetterReplyForm(),
            "close_form": LetterCloseForm(),
            "can_reply": letter.status == LetterStatus.SENT and _is_company_admin(request.user),
            "can_close": letter.status == LetterStatus.REPLIED
            and request.user.has_role(letter.community, *summaries.APPROVERS),
            "overdue": letter.status == LetterStatus.SENT and timezone.now() > letter.reply_due_at,
        }
        return render(request, template, context)

    def post(self, request, pk):
        letter = self._letter(request, pk)
        action = request.POST.get("action")
        try:
            if action == "reply":
                form = LetterReplyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("请填写回复内容。")
                summaries.reply_letter(letter, actor=request.user, reply=form.cleaned_data["reply"])
                messages.success(request, "已回复。")
            elif action == "close":
                form = LetterCloseForm(request.POST)
                form.is_valid()
                summaries.close_letter(letter, actor=request.user, note=form.cleaned_data.get("note", ""))
                messages.success(request, "联系函已办结。")
            else:
                raise ValidationError("未知操作。")
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
        return redirect("visits:letter_detail", pk=letter.pk)
