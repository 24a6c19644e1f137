"""Repair reports and set-up: statistics (page and Excel), the month's 维修记录表
and binding list, finance's 《报修(服务)汇总表》, the settings, and the
特约服务收费标准."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.choices import Role
from core.feedback import flash_error
from core.permissions import RoleRequiredMixin
from repairs import forms, rules, selectors, services, statistics
from repairs.choices import PriceListStatus, Status
from repairs.models import Charge, PriceList, PublicArea, RepairCategory, RepairSettings
from residents.exports import sheets_response
from residents.masking import mask_mobile


def month_from(request):
    """The `?month=YYYY-MM` asked for, else the current reporting month."""
    raw = request.GET.get("month", "")
    try:
        return dt.datetime.strptime(raw, "%Y-%m").date().replace(day=1)
    except ValueError:
        settings_row = RepairSettings.current(request.community)
        return services.report_month_of(timezone.now(), settings_row.report_tail_days)


def month_links(month):
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return {"month": month, "previous": previous, "following": following}


class StatisticsView(RoleRequiredMixin, View):
    allowed_roles = rules.REVIEWERS

    def get(self, request):
        month = month_from(request)
        figures = statistics.month_figures(request.community, month)
        chart = {
            "categories": [r["label"] for r in figures["by_category"]],
            "dispatch": [float(r["dispatch_rate"] or 0) for r in figures["by_category"]],
            "arrival": [float(r["arrival_rate"] or 0) for r in figures["by_category"]],
            "completion": [float(r["completion_rate"] or 0) for r in figures["by_category"]],
            "ratings": [r["label"] for r in figures["ratings"]],
            "rating_counts": [r["count"] for r in figures["ratings"]],
        }
        context = {"f": figures, "chart": chart, **month_links(month)}
        return render(request, "repairs/statistics.html", context)


def _rate(value):
    return f"{value}%" if value is not None else "—"


class ExportView(RoleRequiredMixin, View):
    allowed_roles = rules.REVIEWERS

    def get(self, request):
        month = month_from(request)
        figures = statistics.month_figures(request.community, month)
        headers = ["分组", "件数", "派工按时率", "到场按时率", "完工按时率", "返修"]
        sheets = []
        for key, title in (
            ("by_category", "按类别"),
            ("by_building", "按楼栋"),
            ("by_technician", "按维修人"),
            ("by_source", "按来源"),
        ):
            rows = [
                [
                    r["label"],
                    r["total"],
                    _rate(r["dispatch_rate"]),
                    _rate(r["arrival_rate"]),
                    _rate(r["completion_rate"]),
                    r["repeats"],
                ]
                for r in figures[key]
            ]
            sheets.append((title, headers, rows))
        sheets.append(("维修记录表", RECORD_HEADERS, record_rows(selectors.month_orders(request.community, month))))
        return sheets_response(sheets, f"报修统计-{month:%Y-%m}")


RECORD_HEADERS = ["序号", "时间", "住户", "姓名", "电话", "维修内容", "维修单号", "接受人", "记录人", "维修人", "备注"]


STATUS_LABELS = dict(Status.choices)


def _person(row, prefix):
    return row[f"{prefix}__name"] or row[f"{prefix}__username"] or ""


def record_rows(orders):
    """The 维修记录表 [001 L498–514] from `selectors.month_orders` rows; the phone masked."""
    rows = []
    for n, order in enumerate(orders, start=1):
        phone = mask_mobile(order["reporter__mobile"] or order["contact"] or "")
        place = order["house__number"] or order["public_area__name"] or ""
        place = " ".join(part for part in (place, order["location"]) if part)
        note = STATUS_LABELS.get(order["status"], order["status"])
        if order["void_reason"] or order["return_reason"]:
            note += f"：{order['void_reason'] or order['return_reason']}"
        rows.append(
            [
                n,
                timezone.localtime(order["received_at"]).strftime("%Y-%m-%d %H:%M"),
                place,
                order["reporter_name"],
                phone,
                order["description"],
                order["number"],
                _person(order, "received_by"),
                _person(order, "owner"),
                _person(order, "technician"),
                note,
            ]
        )
    return rows


class RecordsView(RoleRequiredMixin, View):
    """维修记录表 and, with ?binding=1, the month's binding list (every number in
    order with its state [001 L170])."""

    allowed_roles = (Role.BUTLER, Role.SUPERVISOR, Role.MANAGER, Role.FRONT_DESK, Role.FINANCE)

    def get(self, request):
        month = month_from(request)
        orders = list(selectors.month_orders(request.community, month))
        for order in orders:
            order["status_label"] = STATUS_LABELS.get(order["status"], order["status"])
        context = {
            "rows": record_rows(orders),
            "headers": RECORD_HEADERS,
            "orders": orders,
            "binding": request.GET.get("binding") == "1",
            **month_links(month),
        }
        return render(request, "repairs/records.html", context)


class ChargesView(RoleRequiredMixin, View):
    """Finance's 《报修(服务)汇总表》 [001 L432]: every signed charge of the month."""

    allowed_roles = rules.CHARGE_READERS

    def get(self, request):
        month = month_from(request)
        charges = (
            Charge.objects.for_user(request.user)
            .in_community(request.community)
            .filter(report_month=month)
            .select_related("order__technician", "order__category", "house")
            .order_by("signed_at", "pk")
        )
        total = charges.aggregate(total=Sum("amount"))["total"] or 0
        return render(request, "repairs/charges.html", {"charges": charges, "total": total, **month_links(month)})


class SettingsView(RoleRequiredMixin, View):
    """The manager's settings, categories and public areas."""

    allowed_roles = (Role.MANAGER,)

    def _context(self, request, form=None, category_form=None, area_form=None):
        community = request.community
        services.categories_for(community)
        return {
            "form": form or forms.SettingsForm(instance=RepairSettings.current(community), prefix="settings"),
            "categories": RepairCategory.objects.filter(community=community),
            "areas": PublicArea.objects.filter(community=community),
            "category_form": category_form or forms.CategoryForm(prefix="category"),
            "area_form": area_form or forms.PublicAreaForm(prefix="area"),
        }

    def get(self, request):
        return render(request, "repairs/settings.html", self._context(request))

    def post(self, request):
        community = request.community
        which = request.POST.get("which")
        if which == "category":
            name = request.POST.get("category-name", "").strip()
            instance = RepairCategory.objects.filter(community=community, name=name).first()
            form = forms.CategoryForm(request.POST, prefix="category", instance=instance)
            if form.is_valid():
                row = form.save(commit=False)
                row.community = community
                row._history_user = request.user
                row.save()
                messages.success(request, f"已保存类别“{row.name}”。")
                return redirect("repairs:settings")
            return render(request, "repairs/settings.html", self._context(request, category_form=form), status=400)
        if which == "area":
            form = forms.PublicAreaForm(request.POST, prefix="area")
            if form.is_valid():
                if PublicArea.objects.filter(community=community, name=form.cleaned_data["name"]).exists():
                    form.add_error("name", "已有同名公共区域。")
                else:
                    row = form.save(commit=False)
                    row.community = community
                    row._history_user = request.user
                    row.save()
                    messages.success(request, f"已添加公共区域“{row.name}”。")
                    return redirect("repairs:settings")
            return render(request, "repairs/settings.html", self._context(request, area_form=form), status=400)
        settings_row, _ = RepairSettings.objects.get_or_create(community=community)
        form = forms.SettingsForm(request.POST, instance=settings_row, prefix="settings")
        if form.is_valid():
            row = form.save(commit=False)
            row._history_user = request.user
            row.save()
            messages.success(request, "报修设置已保存，新受理的工单按新时限计时。")
            return redirect("repairs:settings")
        return render(request, "repairs/settings.html", self._context(request, form=form), status=400)


class PriceListsView(RoleRequiredMixin, View):
    """特约服务收费标准: everyone on the staff reads the lists in force; a
    supervisor or manager drafts a new one (a manager approves it)."""

    allowed_roles = rules.RECEIVERS

    def get(self, request):
        lists = PriceList.objects.for_user(request.user).in_community(request.community).prefetch_related("items")
        editor = request.user.has_role(request.community, *rules.REVIEWERS)
        if not editor:
            lists = lists.filter(status=PriceListStatus.APPROVED)
        form = forms.PriceListForm(initial={"valid_from": timezone.localdate().replace(day=1)}) if editor else None
        today = timezone.localdate()
        return render(request, "repairs/prices.html", {"lists": lists, "form": form, "editor": editor, "today": today})

    def post(self, request):
        if not request.user.has_role(request.community, *rules.REVIEWERS):
            raise PermissionDenied("只有客服主管或经理可以新建收费标准。")
        form = forms.PriceListForm(request.POST)
        if form.is_valid():
            row = form.save(commit=False)
            row.community, row.drafted_by, row._history_user = request.community, request.user, request.user
            row.save()
            messages.success(request, "已新建收费标准草稿，请添加收费项目后报经理批准。")
            return redirect("repairs:price_list", row.pk)
        lists = PriceList.objects.in_community(request.community)
        return render(request, "repairs/prices.html", {"lists": lists, "form": form, "editor": True}, status=400)


class PriceListView(RoleRequiredMixin, View):
    allowed_roles = rules.RECEIVERS

    def _list(self, request, pk):
        return get_object_or_404(PriceList.objects.for_user(request.user).in_community(request.community), pk=pk)

    def get(self, request, pk):
        price_list = self._list(request, pk)
        editor = request.user.has_role(request.community, *rules.REVIEWERS)
        if price_list.status == PriceListStatus.DRAFT and not editor:
            raise Http404
        context = {
            "price_list": price_list,
            "items": price_list.items.all(),
            "item_form": forms.PriceItemForm(prefix="item") if editor and price_list.status == "draft" else None,
            "may_approve": request.user.has_role(request.community, Role.MANAGER) and price_list.status == "draft",
            "print": request.GET.get("print") == "1",
        }
        return render(request, "repairs/price_list.html", context)

    def post(self, request, pk):
        if not request.user.has_role(request.community, *rules.REVIEWERS):
            raise PermissionDenied("只有客服主管或经理可以编辑收费标准。")
        price_list = self._list(request, pk)
        if request.POST.get("which") == "approve":
            try:
                services.approve_price_list(price_list, actor=request.user)
            except ValidationError as error:
                flash_error(request, error)
            else:
                messages.success(request, "收费标准已批准，报价按此执行。")
            return redirect("repairs:price_list", price_list.pk)
        if price_list.status != PriceListStatus.DRAFT:
            messages.error(request, "已批准的收费标准不能修改；如需调整请新建一份。")
            return redirect("repairs:price_list", price_list.pk)
        form = forms.PriceItemForm(request.POST, prefix="item")
        if form.is_valid():
            item = form.save(commit=False)
            item.price_list = price_list
            item._history_user = request.user
            item.save()
            messages.success(request, f"已添加“{item.name}”。")
            return redirect("repairs:price_list", price_list.pk)
        context = {"price_list": price_list, "items": price_list.items.all(), "item_form": form, "may_approve": False}
        return render(request, "repairs/price_list.html", context, status=400)
