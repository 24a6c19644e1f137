"""Review queue, second signatures, follow-ups, return visits, rainy days,
plans and the community's visit policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from core.choices import Role
from core.feedback import flash_error
from residents.models import House
from visits import coverage, duties, engine, followup_actions, progress, roles, selectors, services
from visits.choices import Channel, CoverageMode, FollowUpStatus, PlanStatus, ReturnVisitStatus
from visits.forms import (
    FollowUpCloseForm,
    PlanDecisionForm,
    PlanItemForm,
    PolicyForm,
    RainyDayForm,
    ReviewForm,
    SwapForm,
)
from visits.models import FollowUp, ReturnVisit, Visit, VisitPlan, VisitPolicy
from visits.views.records import VisitorMixin


class ReviewQueueView(VisitorMixin, View):
    """The supervisor's daily review of submitted records (SPEC §2.2 [001])."""

    allowed_roles = roles.REVIEWERS

    def get(self, request):
        late_only = request.GET.get("late") == "1"
        visits = list(selectors.review_queue(request.community, late_only=late_only)[:100])
        return render(request, "visits/review.html", {"visits": visits, "late_only": late_only})


class ReviewDecideView(VisitorMixin, View):
    allowed_roles = roles.REVIEWERS

    def post(self, request, pk):
        visit = get_object_or_404(Visit.objects.for_user(request.user), pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请选择审核结果。")
            return redirect("visits:review")
        try:
            services.review_visit(
                visit, actor=request.user, decision=form.cleaned_data["decision"], comment=form.cleaned_data["comment"]
            )
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
        else:
            verb = "已通过" if form.cleaned_data["decision"] == "approve" else "已退回"
            messages.success(request, f"{visit.house.number} 的访问记录{verb}。")
        return redirect("visits:review")


class ConfirmListView(VisitorMixin, View):
    """Phone return visits waiting for a second signature from someone else."""

    def get(self, request):
        visits = list(selectors.awaiting_confirmation(request.community, request.user)[:100])
        return render(request, "visits/confirm.html", {"visits": visits})


class ConfirmView(VisitorMixin, View):
    def post(self, request, pk):
        visit = get_object_or_404(Visit.objects.for_user(request.user), pk=pk)
        try:
            services.confirm_phone_return_visit(visit, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
        else:
            messages.success(request, f"已复核 {visit.house.number} 的电话回访。")
        return redirect("visits:confirm_list")


class FollowUpListView(VisitorMixin, ListView):
    template_name = "visits/follow_up_list.html"
    context_object_name = "follow_ups"
    paginate_by = 30

    def get_queryset(self):
        qs = FollowUp.objects.filter(community=self.request.community)
        self.show = self.request.GET.get("show", "mine")
        if self.show == "mine":
            qs = qs.filter(owner=self.request.user, status=FollowUpStatus.OPEN)
        elif self.show == "overdue":
            qs = qs.filter(status=FollowUpStatus.OPEN, due_at__lt=timezone.now())
        elif self.show == "open":
            qs = qs.filter(status=FollowUpStatus.OPEN)
        return qs.select_related("house", "owner", "visit").prefetch_related("converted_to")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            show=self.show, now=timezone.now(), querystring=f"show={self.show}", convert_links=followup_actions.links()
        )
        return context


class FollowUpCloseView(VisitorMixin, View):
    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp.objects.for_user(request.user), pk=pk)
        form = FollowUpCloseForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写处理结果。")
            return redirect("visits:follow_up_list")
        if follow_up.owner_id != request.user.pk and not request.user.has_role(follow_up.community, *roles.REVIEWERS):
            raise PermissionDenied("只有负责人或主管可以关闭跟进事项。")
        try:
            services.close_follow_up(follow_up, actor=request.user, resolution=form.cleaned_data["resolution"])
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, "跟进事项已完成。")
        return redirect("visits:follow_up_list")


class ReturnVisitListView(VisitorMixin, ListView):
    template_name = "visits/return_visit_list.html"
    context_object_name = "return_visits"
    paginate_by = 30

    def get_queryset(self):
        self.show = self.request.GET.get("show", "mine")
        qs = ReturnVisit.objects.filter(community=self.request.community)
        if self.show == "mine":
            qs = qs.filter(assignee=self.request.user, status=ReturnVisitStatus.DUE)
        elif self.show == "waiting":
            qs = qs.filter(status=ReturnVisitStatus.WAITING)
        elif self.show == "due":
            qs = qs.filter(status=ReturnVisitStatus.DUE)
        return qs.select_related("house", "assignee")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(show=self.show, now=timezone.now(), rain_form=RainyDayForm(), querystring=f"show={self.show}")
        return context


class RainyDayView(VisitorMixin, View):
    def post(self, request):
        form = RainyDayForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写下雨日期。")
        else:
            count = engine.record_rainy_day(
                community=request.community, date=form.cleaned_data["date"], actor=request.user
            )
            messages.success(request, f"已记录雨天，{count} 个渗漏维修的雨后回访已生成期限。")
        return redirect("visits:return_visit_list")


# --- plans -------------------------------------------------------------------


class PlanListView(VisitorMixin, View):
    def get(self, request):
        plans = VisitPlan.objects.filter(community=request.community).select_related("owner", "decided_by")
        if not request.user.has_role(request.community, *roles.REVIEWERS):
            plans = plans.filter(owner=request.user)
        today = timezone.localdate()
        quotas = coverage.monthly_quotas(request.community)
        policy = VisitPolicy.for_community(request.community)
        context = {
            "duties": duties.standing_duties(request.community),
            "plans": list(plans[:50]),
            "my_quota": quotas.get(request.user, 0),
            "policy": policy,
            "year": today.year,
            "month": today.month,
        }
        return render(request, "visits/plan_list.html", context)


class PlanProposeView(VisitorMixin, View):
    """The app proposes this month's households: the zone (full coverage) or a
    fresh sample (sampling); the person then swaps and submits."""

    def post(self, request):
        community = request.community
        today = timezone.localdate()
        policy = VisitPolicy.for_community(community)
        if request.POST.get("kind") == "annual":
            houses = coverage.propose_full(community, request.user)
            try:
                plan = services.create_annual_plan(
                    community=community, owner=request.user, year=today.year, houses=houses, actor=request.user
                )
            except ValidationError as error:
                flash_error(request, error)
                return redirect("visits:plan_list")
            messages.success(request, f"已生成{today.year}年度计划：{len(houses)} 户。")
            return redirect("visits:plan_detail", pk=plan.pk)
        if policy.coverage_mode == CoverageMode.FULL:
            houses = coverage.propose_full(community, request.user)
        else:
            size = coverage.monthly_quotas(community).get(request.user, 0)
            taken = VisitPlan.objects.filter(
                community=community, year=today.year, month=today.month, kind="monthly"
            ).exclude(owner=request.user)
            exclude = set(taken.values_list("items__house_id", flat=True)) - {None}
            pool = None
            if request.roles == {Role.BUTLER}:
                pool = House.objects.filter(community=community, butler=request.user).values("pk")
            houses, restarted = coverage.propose_sample(community, size, pool=pool, exclude=exclude)
            if restarted or policy.cycle_started_at is None:
                VisitPolicy.objects.filter(pk=policy.pk).update(cycle_started_at=timezone.now())
        try:
            plan = services.create_monthly_plan(
                community=community,
                owner=request.user,
                year=today.year,
                month=today.month,
                houses=houses,
                actor=request.user,
            )
        except ValidationError as error:
            flash_error(request, error)
            return redirect("visits:plan_list")
        messages.success(request, f"已生成本月计划：{len(houses)} 户。可调整后提交审批。")
        return redirect("visits:plan_detail", pk=plan.pk)


class PlanDetailView(VisitorMixin, View):
    def _plan(self, request, pk):
        plan = get_object_or_404(VisitPlan.objects.for_user(request.user).select_related("owner"), pk=pk)
        if plan.owner_id != request.user.pk and not request.user.has_role(plan.community, *roles.REVIEWERS):
            raise PermissionDenied("只能查看本人的计划。")
        return plan

    def get(self, request, pk):
        plan = self._plan(request, pk)
        items = list(progress.plan_items(plan).select_related("house").order_by("house__number"))
        context = {
            "plan": plan,
            "items": items,
            "done": sum(1 for i in items if i.done),
            "swap_form": SwapForm(),
            "channels": Channel.choices,
            "decision_form": PlanDecisionForm(),
            "can_decide": plan.status == PlanStatus.SUBMITTED
            and plan.owner_id != request.user.pk
            and request.user.has_role(plan.community, *roles.REVIEWERS),
            "can_edit": plan.owner_id == request.user.pk and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
        }
        return render(request, "visits/plan_detail.html", context)

    def post(self, request, pk):
        plan = self._plan(request, pk)
        action = request.POST.get("action")
        try:
            if action == "submit":
                services.submit_plan(plan, actor=request.user)
                messages.success(request, "计划已提交，待主管审批。")
            elif action == "swap":
                form = SwapForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("请填写换下和换上的房号。")
                houses = House.objects.filter(community=plan.community)
                remove = houses.filter(number=form.cleaned_data["remove"].strip()).first()
                add = houses.filter(number=form.cleaned_data["add"].strip()).first()
                if remove is None or add is None:
                    raise ValidationError("房号不存在。")
                services.swap_plan_house(plan, remove=remove, add=add, actor=request.user)
                messages.success(request, f"已将 {remove} 换为 {add}。")
            elif action == "item":
                form = PlanItemForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("计划日期或方式无效。")
                item = get_object_or_404(plan.items, pk=form.cleaned_data["item"])
                services.update_plan_item(
                    item,
                    actor=request.user,
                    intended_date=form.cleaned_data["intended_date"],
                    channel=form.cleaned_data["channel"],
                    purpose=form.cleaned_data["purpose"],
                    window_reason=form.cleaned_data["window_reason"],
                )
                messages.success(request, f"已更新 {item.house} 的计划。")
            elif action == "decide":
                form = PlanDecisionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("请选择审批结果。")
                approve = form.cleaned_data["decision"] == "approve"
                services.decide_plan(plan, actor=request.user, approve=approve, comment=form.cleaned_data["comment"])
                messages.success(request, "计划已批准。" if approve else "计划已退回。")
            else:
                raise ValidationError("未知操作。")
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
        return redirect("visits:plan_detail", pk=plan.pk)


class PolicyView(VisitorMixin, View):
    """The manager sets the community's coverage policy and windows."""

    allowed_roles = roles.POLICY_EDITORS

    def get(self, request):
        policy = VisitPolicy.for_community(request.community)
        return render(request, "visits/policy.html", {"form": PolicyForm(instance=policy), "policy": policy})

    def post(self, request):
        policy = VisitPolicy.for_community(request.community)
        form = PolicyForm(request.POST, instance=policy)
        if not form.is_valid():
            return render(request, "visits/policy.html", {"form": form, "policy": policy}, status=400)
        services.update_policy(policy, actor=request.user, **form.cleaned_data)
        messages.success(request, "走访策略已保存。")
        return redirect("visits:policy")
