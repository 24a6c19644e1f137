"""Fee pages: the month's statements (the butler checks, finance issues), a
statement, taking a payment for a house, the receipt and its void."""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.choices import Role
from core.feedback import add_errors, flash_error
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from fees import adjustments, forms, payments, services, statements
from fees.choices import MONTHLY_BASES, AdjustmentStatus, Delivery
from fees.models import Adjustment, BillLine, FeeSettings, Rate, Receipt, SettlementCertificate, Statement
from residents.models import House

READERS = (Role.FINANCE, Role.BUTLER, Role.SUPERVISOR, Role.MANAGER)


def _month(request):
    try:
        return dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return statements.statement_month(FeeSettings.current(request.community), timezone.localdate())


def _statements(request):
    qs = Statement.objects.for_user(request.user).in_community(request.community).select_related("house")
    if not request.user.has_role(request.community, Role.FINANCE, Role.SUPERVISOR, Role.MANAGER):
        qs = qs.filter(house__butler=request.user)  # a butler: the zone's statements
    return qs


class StatementListView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request):
        month = _month(request)
        rows = _statements(request).filter(month=month).order_by("house__number")
        context = paginate(request, rows, 100, querystring=f"month={month:%Y-%m}")
        context |= {
            "month": month,
            "previous": (month - dt.timedelta(days=1)).replace(day=1),
            "following": statements.next_month(month),
            "is_finance": request.user.has_role(request.community, Role.FINANCE),
            "checked": rows.filter(status="checked").count(),
            "deliveries": Delivery.choices,
        }
        return render(request, "fees/statements.html", context)

    def post(self, request):
        """Finance issues the month's checked statements; a butler checks the zone's
        drafts and records the delivery of the ticked issued ones."""
        month = _month(request)
        which = request.POST.get("which")
        if which == "issue":
            count = statements.issue_statements(request.community, month, actor=request.user)
            messages.success(request, f"已发出 {count} 张对账单。")
        elif which == "deliver":
            chosen = [pk for pk in request.POST.getlist("statements") if pk.isdigit()]
            try:
                count = statements.record_deliveries(
                    request.community, chosen, actor=request.user, delivery=request.POST.get("delivery", "")
                )
            except ValidationError as error:
                flash_error(request, error)
            else:
                messages.success(request, f"已登记 {count} 张对账单的发放。")
        else:
            count = statements.check_statements(request.community, month, actor=request.user)
            messages.success(request, f"已核对 {count} 张对账单。")
        return redirect(f"{request.path}?month={month:%Y-%m}")


class StatementDetailView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request, pk):
        statement = get_object_or_404(_statements(request), pk=pk)
        lines = statement.lines.select_related("item").order_by("due_date", "item__priority", "pk")
        earlier = BillLine.objects.filter(house=statement.house, open_amount__gt=0).exclude(statement=statement)
        context = {
            "statement": statement,
            "lines": lines,
            "earlier": earlier.order_by("due_date"),
            "deliveries": Delivery.choices,
        }
        return render(request, "fees/statement.html", context)

    def post(self, request, pk):
        """The butler records the delivery of an issued statement."""
        statement = get_object_or_404(_statements(request), pk=pk)
        try:
            statements.record_delivery(statement, actor=request.user, delivery=request.POST.get("delivery", ""))
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, "已登记对账单发放。")
        return redirect("fees:statement", statement.pk)


def _house(request, pk):
    houses = House.objects.for_user(request.user).filter(community=request.community)
    return get_object_or_404(houses, pk=pk)


class PaymentView(RoleRequiredMixin, View):
    """收款 for one house: its open lines, amount, method. Technicians never get here."""

    allowed_roles = payments.CASHIERS

    def _render(self, request, house, form, status=200):
        context = {"house": house, "form": form, "prepaid": payments.unallocated(house)}
        return render(request, "fees/payment.html", context, status=status)

    def _open(self, house):
        return list(
            BillLine.objects.filter(house=house, open_amount__gt=0)
            .select_related("item")
            .order_by("due_date", "item__priority", "pk")
        )

    def get(self, request, pk):
        house = _house(request, pk)
        lines = self._open(house)
        owed = sum((line.open_amount for line in lines), 0)
        form = forms.PaymentForm(open_lines=lines, initial={"intake_key": uuid.uuid4(), "amount": owed or None})
        return self._render(request, house, form)

    def post(self, request, pk):
        house = _house(request, pk)
        form = forms.PaymentForm(request.POST, open_lines=self._open(house))
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment = payments.record_payment(
                    house=house,
                    actor=request.user,
                    amount=data["amount"],
                    method=data["method"],
                    payer=data["payer"],
                    reference=data["reference"],
                    lines=form.chosen_lines(),
                    intake_key=data["intake_key"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                note = "（该收款已登记过，未重复登记）" if payment.duplicate else ""
                messages.success(request, f"已收款 ¥{payment.amount}，收据 {payment.receipt.number}{note}。")
                return redirect("fees:receipt", payment.receipt.pk)
        return self._render(request, house, form, status=400)


def _receipt(request, pk):
    receipts = Receipt.objects.for_user(request.user).in_community(request.community)
    return get_object_or_404(receipts.select_related("payment__house", "payment__received_by"), pk=pk)


class ReceiptView(RoleRequiredMixin, View):
    """The receipt; printing it counts, and every print after the first says 补打."""

    allowed_roles = payments.CASHIERS

    def get(self, request, pk):
        receipt = _receipt(request, pk)
        allocations = receipt.payment.allocations.select_related("line")
        context = {"receipt": receipt, "allocations": allocations, "void_form": forms.ReasonForm(prefix="void")}
        return render(request, "fees/receipt.html", context)

    def post(self, request, pk):
        receipt = _receipt(request, pk)
        if request.POST.get("which") == "print":
            receipt = payments.print_receipt(receipt, actor=request.user)
            allocations = receipt.payment.allocations.select_related("line")
            return render(request, "fees/receipt_print.html", {"receipt": receipt, "allocations": allocations})
        if not request.user.has_role(request.community, Role.FINANCE):
            raise PermissionDenied("只有财务可以作废收据。")
        form = forms.ReasonForm(request.POST, prefix="void")
        if form.is_valid():
            try:
                payments.void_receipt(receipt, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                flash_error(request, error)
            else:
                messages.success(request, f"收据 {receipt.number} 已作废，冲抵已退回。")
            return redirect("fees:receipt", receipt.pk)
        allocations = receipt.payment.allocations.select_related("line")
        context = {"receipt": receipt, "allocations": allocations, "void_form": form}
        return render(request, "fees/receipt.html", context, status=400)


class SettlementView(RoleRequiredMixin, View):
    """结清证明: issued when nothing is owed, else refused with what is owed."""

    allowed_roles = (Role.FINANCE, Role.MANAGER)

    def get(self, request, pk):
        house = _house(request, pk)
        certificates = SettlementCertificate.objects.filter(house=house).order_by("-issued_at")
        return render(request, "fees/settlement.html", {"house": house, "certificates": certificates})

    def post(self, request, pk):
        house = _house(request, pk)
        try:
            certificate = payments.issue_settlement(house, actor=request.user)
        except payments.StillOwed as owed:
            context = {"house": house, "owed": owed.lines, "message": owed.messages[0]}
            return render(request, "fees/settlement.html", context, status=400)
        return render(request, "fees/settlement_print.html", {"certificate": certificate, "house": house})


def _adjustments(request):
    qs = Adjustment.objects.for_user(request.user).in_community(request.community)
    if not request.user.has_role(request.community, *adjustments.REQUESTERS):
        qs = qs.filter(house__butler=request.user)  # a butler: the zone's
    return qs.select_related("house", "corrects", "requested_by", "decided_by")


class AdjustmentRequestView(RoleRequiredMixin, View):
    """申请调整 of one line: an issued statement never changes (issue 10 §3)."""

    allowed_roles = READERS

    def _line(self, request, pk):
        lines = BillLine.objects.for_user(request.user).in_community(request.community).select_related("house")
        if not request.user.has_role(request.community, *adjustments.REQUESTERS):
            lines = lines.filter(house__butler=request.user)
        return get_object_or_404(lines, pk=pk)

    def get(self, request, pk):
        line = self._line(request, pk)
        return render(request, "fees/adjustment_form.html", {"line": line, "form": forms.AdjustmentForm()})

    def post(self, request, pk):
        line = self._line(request, pk)
        form = forms.AdjustmentForm(request.POST)
        if form.is_valid():
            try:
                adjustments.request_adjustment(
                    line, actor=request.user, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "已提交调整申请，等待项目经理审批；批准后列入下期对账单。")
                return redirect("fees:adjustments")
        return render(request, "fees/adjustment_form.html", {"line": line, "form": form}, status=400)


class AdjustmentListView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request):
        pending_first = Case(When(status=AdjustmentStatus.PENDING, then=Value(0)), default=Value(1))
        rows = _adjustments(request).order_by(pending_first, "-requested_at", "-pk")
        context = paginate(request, rows, 50)
        context["is_manager"] = request.user.has_role(request.community, Role.MANAGER)
        return render(request, "fees/adjustments.html", context)


class AdjustmentDecisionView(RoleRequiredMixin, View):
    """The manager approves or rejects (with a reason) one adjustment."""

    allowed_roles = (Role.MANAGER,)

    def post(self, request, pk):
        adjustment = get_object_or_404(_adjustments(request), pk=pk)
        try:
            if request.POST.get("which") == "approve":
                adjustments.approve_adjustment(adjustment, actor=request.user, note=request.POST.get("note", ""))
                messages.success(request, f"已批准 {adjustment.house.number} 的调整 ¥{adjustment.amount}。")
            else:
                adjustments.reject_adjustment(adjustment, actor=request.user, note=request.POST.get("note", ""))
                messages.success(request, f"已驳回 {adjustment.house.number} 的调整申请。")
        except ValidationError as error:
            flash_error(request, error)
        return redirect("fees:adjustments")


class RateView(RoleRequiredMixin, View):
    """收费标准: each item's rate periods; the manager or finance adds a new period
    from a month's 1st (the one before it ends the day before; never overlapping)."""

    allowed_roles = READERS

    def _render(self, request, form, status=200):
        items = services.items_for(request.community)
        rates = (
            Rate.objects.filter(item__in=items)
            .select_related("item", "created_by")
            .order_by("item__priority", "house_type", "-valid_from")
        )
        context = {
            "rates": rates,
            "form": form,
            "can_set": request.user.has_role(request.community, Role.MANAGER, Role.FINANCE),
        }
        return render(request, "fees/rates.html", context, status=status)

    def _items(self, request):
        return [item for item in services.items_for(request.community) if item.basis in MONTHLY_BASES]

    def get(self, request):
        return self._render(request, forms.RateForm(items=self._items(request)))

    def post(self, request):
        if not request.user.has_role(request.community, Role.MANAGER, Role.FINANCE):
            raise PermissionDenied("只有项目经理或财务可以设定收费标准。")
        form = forms.RateForm(request.POST, items=self._items(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_rate(
                    form.items[data["item"]], actor=request.user, unit_price=data["unit_price"],
                    valid_from=data["valid_from"], house_type=data["house_type"],
                )  # fmt: skip
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, f"已设定 {form.items[data['item']].name} 自 {data['valid_from']:%Y年%m月} 起的收费标准。"
                )
                return redirect("fees:rates")
        return self._render(request, form, status=400)
