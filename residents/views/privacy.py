from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import ListView

from core.feedback import flash_error
from residents import privacy, roles
from residents.choices import AccessRequestStatus
from residents.forms import AccessRequestForm, DecideAccessForm, RevealForm
from residents.models import AccessRequest, RevealLog
from residents.views.base import ArchiveMixin, scoped_person


class RevealView(ArchiveMixin, View):
    """Show one person's numbers once, logged. Nothing is kept in the session:
    the next page load is masked again."""

    def post(self, request, pk):
        person = scoped_person(request, pk)
        form = RevealForm(request.POST)
        template = "residents/_numbers.html"
        if not form.is_valid():
            return render(request, template, {"person": person, "error": "请选择查看号码的用途。"}, status=400)
        try:
            revealed = privacy.reveal_person(person, actor=request.user, purpose=form.cleaned_data["purpose"])
        except PermissionDenied:
            return render(
                request, template, {"person": person, "error": "您无权直接查看，请提交查看申请。"}, status=403
            )
        return render(request, template, {"person": person, "revealed": revealed})


class AccessRequestCreateView(ArchiveMixin, View):
    def post(self, request, pk):
        person = scoped_person(request, pk)
        form = AccessRequestForm(request.POST)
        if form.is_valid():
            privacy.request_access(person, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, "查看申请已提交，客服主管或项目经理审批后可查看。")
        else:
            messages.error(request, "请填写申请理由。")
        return redirect("residents:person_detail", pk=person.pk)


class AccessRequestListView(ArchiveMixin, ListView):
    allowed_roles = roles.ADMINS
    template_name = "residents/access_request_list.html"
    context_object_name = "requests"
    paginate_by = 30

    def get_queryset(self):
        return (
            AccessRequest.objects.filter(community=self.request.community)
            .select_related("requester", "person", "decided_by")
            .order_by("status", "-created_at")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending"] = AccessRequestStatus.PENDING
        return context


class AccessRequestDecideView(ArchiveMixin, View):
    allowed_roles = roles.ADMINS

    def post(self, request, pk):
        access = get_object_or_404(AccessRequest.objects.for_user(request.user).select_related("person"), pk=pk)
        form = DecideAccessForm(request.POST)
        if not form.is_valid():
            messages.error(request, "审批信息不完整。")
            return redirect("residents:access_request_list")
        approve = form.cleaned_data["decision"] == "approve"
        try:
            privacy.decide_access_request(
                access,
                actor=request.user,
                approve=approve,
                note=form.cleaned_data["note"],
                hours=form.cleaned_data["hours"],
            )
        except (ValidationError, PermissionDenied) as error:
            flash_error(request, error)
        else:
            messages.success(request, "已批准。" if approve else "已驳回。")
        return redirect("residents:access_request_list")


class RevealLogView(ArchiveMixin, ListView):
    """The manager sees every reveal: who, when, whose numbers, why."""

    allowed_roles = roles.REVEAL_LOG_READERS
    template_name = "residents/reveal_log.html"
    context_object_name = "logs"
    paginate_by = 50

    def get_queryset(self):
        return RevealLog.objects.filter(community=self.request.community).select_related("actor", "person")
