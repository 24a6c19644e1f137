"""律师函 (request, the manager's decision, print — frozen at the first —, sending)
and the 催缴通知书 of a house in arrears."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.choices import Role
from core.feedback import flash_error
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from fees import letters
from fees.choices import LetterStatus, SendVia
from fees.models import LawyerLetter
from fees.views.billing import READERS, _house

PENDING_FIRST = Case(
    When(status=LetterStatus.REQUESTED, then=Value(0)),
    When(status=LetterStatus.APPROVED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _letters(request):
    qs = LawyerLetter.objects.for_user(request.user).in_community(request.community).select_related("house")
    if not request.user.has_role(request.community, *letters.REQUESTERS):
        qs = qs.filter(house__butler=request.user)  # a butler: the zone's letters
    return qs


class LetterListView(RoleRequiredMixin, View):
    allowed_roles = READERS

    def get(self, request):
        rows = _letters(request).select_related("requested_by").order_by(PENDING_FIRST, "-requested_at", "-pk")
        return render(request, "fees/letters.html", paginate(request, rows, 50))


class LetterRequestView(RoleRequiredMixin, View):
    """A house's arrears with each line's late fee as of today, and 申请律师函."""

    allowed_roles = READERS

    def get(self, request, pk):
        house = _house(request, pk)
        rows = letters.arrears(house, timezone.localdate())
        principal, fee, total = letters.totals(rows)
        context = {"house": house, "rows": rows, "principal": principal, "fee": fee, "total": total}
        return render(request, "fees/letter_request.html", context)

    def post(self, request, pk):
        house = _house(request, pk)
        try:
            letter = letters.request_letter(house, actor=request.user)
        except ValidationError as error:
            flash_error(request, error)
            return redirect("fees:letter_request", house.pk)
        messages.success(request, "已提交律师函申请，等待项目经理审批。")
        return redirect("fees:letter", letter.pk)


class LetterView(RoleRequiredMixin, View):
    """One letter; the manager approves or rejects, supervisors/finance/manager
    print it (frozen at the first print) and record its sending."""

    allowed_roles = READERS

    def get(self, request, pk):
        letter = get_object_or_404(_letters(request), pk=pk)
        rows = (
            letter.lines
            if letter.printed_at
            else [r.as_json() for r in letters.arrears(letter.house, timezone.localdate())]
        )
        context = {
            "letter": letter,
            "rows": rows,
            "send_choices": SendVia.choices,
            "is_manager": request.user.has_role(request.community, Role.MANAGER),
            "can_print": request.user.has_role(request.community, *letters.PRINTERS),
        }
        return render(request, "fees/letter.html", context)

    def post(self, request, pk):
        letter = get_object_or_404(_letters(request), pk=pk)
        action, post = request.POST.get("which"), request.POST
        try:
            if action == "approve":
                letters.approve_letter(letter, actor=request.user, note=post.get("note", ""))
                messages.success(request, "律师函已批准并编号。")
            elif action == "reject":
                letters.reject_letter(letter, actor=request.user, note=post.get("note", ""))
                messages.success(request, "已驳回律师函申请。")
            elif action == "print":
                letter = letters.print_letter(letter, actor=request.user)
                return render(request, "fees/letter_print.html", {"letter": letter})
            elif action == "send":
                letters.record_sending(
                    letter, actor=request.user, via=post.get("via", ""), tracking=post.get("tracking", "")
                )
                messages.success(request, "已登记律师函发出。")
            else:
                raise ValidationError("未知操作。")
        except PermissionDenied:
            raise
        except ValidationError as error:
            flash_error(request, error)
        return redirect("fees:letter", letter.pk)


class NoticeView(RoleRequiredMixin, View):
    """催缴通知书: any house in arrears, as of today; printed, not kept."""

    allowed_roles = READERS

    def get(self, request, pk):
        house = _house(request, pk)
        today = timezone.localdate()
        rows = letters.arrears(house, today)
        principal = sum((row.principal for row in rows), letters.ZERO)
        context = {"house": house, "rows": rows, "principal": principal, "today": today,
                   "addressee": letters.addressee(house)}  # fmt: skip
        return render(request, "fees/notice_print.html", context)
