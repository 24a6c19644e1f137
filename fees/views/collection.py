"""Collection pages (issue 10 §6–§7, [003 L526–537]): the butler's call list on
the phone, the rounds and their progress for supervisors, the 《物管费催收记录表》
form, and the cash hand-over to finance [001 L578]."""

from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, Count, ExpressionWrapper, OuterRef, Q, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views import View

from core.choices import Role
from core.feedback import add_errors
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from fees import collection, forms, payments
from fees.choices import Reason
from fees.models import BillLine, CollectionCall, CollectionRound, CollectionTask
from residents.models import House

ROUND_READERS = (Role.FINANCE, Role.SUPERVISOR, Role.MANAGER)
CALLERS = (Role.BUTLER, *ROUND_READERS)
REASONS = dict(Reason.choices)
PAGE_SIZE = 50


def percent(done, total):
    """Whole percent, half up (1 of 3 → 33); 0 for an empty list."""
    if not total:
        return 0
    return int((Decimal(done) * 100 / Decimal(total)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _sees_all(request):
    """Supervisors, managers and finance see every butler's list; a butler their own."""
    return request.user.has_role(request.community, *ROUND_READERS)


def _tasks(request):
    tasks = CollectionTask.objects.filter(round__community=request.community)
    return tasks if _sees_all(request) else tasks.filter(butler=request.user)


def _with_latest_call(tasks):
    """Each task with its house's latest call (date, reason, promise): subqueries on
    the call index, so the list is one query however long it is."""
    latest = CollectionCall.objects.filter(house=OuterRef("house_id")).order_by("-called_at", "-pk")
    return tasks.annotate(
        last_called_at=Subquery(latest.values("called_at")[:1]),
        last_reason=Subquery(latest.values("reason")[:1]),
        last_promised=Subquery(latest.values("promised_date")[:1]),
        is_done=ExpressionWrapper(Q(done_at__isnull=False), output_field=BooleanField()),
    )


class TaskListView(RoleRequiredMixin, View):
    """催缴任务: the open rounds' households, undone first. `?round=&butler=` is the
    click-through from a round's progress (a butler always sees only their own)."""

    allowed_roles = CALLERS

    def get(self, request):
        tasks, round_, butler = _tasks(request), None, None
        if request.GET.get("round", "").isdigit():
            rounds = CollectionRound.objects.filter(community=request.community)
            round_ = get_object_or_404(rounds, pk=request.GET["round"])
            tasks = tasks.filter(round=round_)
        else:
            today = timezone.localdate()
            tasks = tasks.filter(round__opened_on__lte=today, round__ends_on__gte=today)
        sees_all = _sees_all(request)
        wanted = request.GET.get("butler", "")
        if sees_all and wanted.isdigit():
            butler = get_user_model().objects.filter(pk=wanted, memberships__community=request.community).first()
            tasks = tasks.filter(butler_id=wanted)
        elif sees_all and wanted == "none":
            tasks = tasks.filter(butler__isnull=True)
        counts = tasks.aggregate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
        rows = _with_latest_call(tasks).select_related("house", "round", "butler")
        rows = rows.order_by("is_done", "round__ends_on", "house__number", "pk")
        querystring = urlencode({k: request.GET[k] for k in ("round", "butler") if request.GET.get(k)})
        page = paginate(request, rows, PAGE_SIZE, querystring=querystring)
        for task in page["page_obj"].object_list:
            task.last_reason_label = REASONS.get(task.last_reason or "", "")
        context = {
            **page,
            "tasks": page["page_obj"].object_list,
            "round": round_,
            "butler": butler,
            "unassigned": sees_all and wanted == "none",
            "sees_all": sees_all,
            "total": counts["total"],
            "done": counts["done"],
            "percent": percent(counts["done"], counts["total"]),
        }
        return render(request, "fees/round_tasks.html", context)


class RoundListView(RoleRequiredMixin, View):
    """催缴轮次: every round of the community with its progress."""

    allowed_roles = ROUND_READERS

    def get(self, request):
        rounds = CollectionRound.objects.filter(community=request.community).annotate(
            total=Count("tasks"), done=Count("tasks", filter=Q(tasks__done_at__isnull=False))
        )
        page = paginate(request, rounds.order_by("-opened_on", "-pk"), PAGE_SIZE)
        today = timezone.localdate()
        for round_ in page["page_obj"].object_list:
            round_.percent = percent(round_.done, round_.total)
            round_.is_open = round_.opened_on <= today <= round_.ends_on
        return render(request, "fees/round_list.html", {**page, "rounds": page["page_obj"].object_list})


class RoundProgressView(RoleRequiredMixin, View):
    """One round's progress per butler: households, done, percent, arrears."""

    allowed_roles = ROUND_READERS

    def get(self, request, pk):
        round_ = get_object_or_404(CollectionRound.objects.filter(community=request.community), pk=pk)
        per_butler = list(
            round_.tasks.values("butler_id")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)), arrears=Sum("arrears"))
            .order_by("butler_id")
        )
        names = get_user_model().objects.in_bulk([row["butler_id"] for row in per_butler if row["butler_id"]])
        for row in per_butler:
            person = names.get(row["butler_id"])
            row["name"] = person.display_name if person else "未分配管家"
            row["percent"] = percent(row["done"], row["total"])
            row["key"] = row["butler_id"] or "none"
        per_butler.sort(key=lambda row: (row["percent"], row["name"]))
        total = sum(row["total"] for row in per_butler)
        done = sum(row["done"] for row in per_butler)
        context = {
            "round": round_,
            "rows": per_butler,
            "total": total,
            "done": done,
            "percent": percent(done, total),
            "arrears": sum((row["arrears"] for row in per_butler), Decimal("0.00")),
        }
        return render(request, "fees/round_progress.html", context)


class CallView(RoleRequiredMixin, View):
    """登记催收 for a house (`?task=` from the call list). A butler reaches only
    their zone's houses and their own tasks; anything else is a 404."""

    allowed_roles = CALLERS

    def _house(self, request, pk):
        houses = House.objects.for_user(request.user).filter(community=request.community)
        if not _sees_all(request):
            houses = houses.filter(butler=request.user)
        return get_object_or_404(houses, pk=pk)

    def _task(self, request, house):
        pk = request.GET.get("task", "")
        if not pk:
            return None
        return get_object_or_404(_tasks(request).select_related("round"), pk=pk if pk.isdigit() else 0, house=house)

    def _render(self, request, house, task, form, status=200):
        context = {
            "house": house,
            "task": task,
            "form": form,
            "arrears": BillLine.objects.filter(house=house, open_amount__gt=0).aggregate(t=Sum("open_amount"))["t"],
            "calls": CollectionCall.objects.filter(house=house).select_related("butler", "complaint")[:20],
        }
        return render(request, "fees/call_form.html", context, status=status)

    def get(self, request, pk):
        house = self._house(request, pk)
        return self._render(request, house, self._task(request, house), forms.CollectionCallForm())

    def post(self, request, pk):
        house = self._house(request, pk)
        task = self._task(request, house)
        form = forms.CollectionCallForm(request.POST)
        if form.is_valid():
            try:
                call = collection.record_call(house=house, actor=request.user, task=task, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _saved_message(house, call))
                return redirect("fees:tasks") if task else redirect("fees:call", house.pk)
        return self._render(request, house, task, form, status=400)


def _saved_message(house, call):
    if call.complaint_id is None:
        return f"已登记 {house.number} 的催收记录。"
    return format_html(
        '已登记 {} 的催收记录，并已生成投诉 <a class="alert-link" id="call-complaint" href="{}">{}</a>'
        "（物业服务问题），请跟进至解决。",
        house.number,
        reverse("complaints:detail", args=[call.complaint_id]),
        call.complaint.number,
    )


class HandoverView(RoleRequiredMixin, View):
    """现金交接 [001 L578]: finance sees every collector's cash still to hand over
    and confirms what it received; any other cashier sees their own."""

    allowed_roles = payments.CASHIERS

    def get(self, request):
        is_finance = request.user.has_role(request.community, Role.FINANCE)
        pending = payments.to_hand_over(request.community, None if is_finance else request.user)
        pending = pending.select_related("house", "received_by", "receipt").order_by("received_by_id", "received_at")
        groups = {}
        for payment in pending:
            group = groups.setdefault(
                payment.received_by_id, {"collector": payment.received_by, "payments": [], "total": Decimal("0.00")}
            )
            group["payments"].append(payment)
            group["total"] += payment.amount
        context = {
            "groups": list(groups.values()),
            "is_finance": is_finance,
            "total": sum((group["total"] for group in groups.values()), Decimal("0.00")),
        }
        return render(request, "fees/handover.html", context)

    def post(self, request):
        """确认收到: finance only."""
        if not request.user.has_role(request.community, Role.FINANCE):
            raise PermissionDenied("只有财务可以确认现金交接。")
        ids = [value for value in request.POST.getlist("payments") if value.isdigit()]
        chosen = list(payments.to_hand_over(request.community).filter(pk__in=ids))
        if not chosen:
            messages.error(request, "请勾选已收到的现金。")
            return redirect("fees:handover")
        count = payments.confirm_handover(chosen, actor=request.user)
        total = sum((payment.amount for payment in chosen), Decimal("0.00"))
        if count == len(chosen):
            messages.success(request, f"已确认收到 {count} 笔现金，合计 ¥{total}。")
        else:
            messages.success(request, f"已确认收到 {count} 笔现金（其余已由他人确认）。")
        return redirect("fees:handover")
