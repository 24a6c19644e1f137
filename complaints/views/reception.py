"""项目经理接待日 [004 篇3]: sessions, their registrations (complaint intakes with
the manager's designated handler) and the printable registration forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from complaints import forms, rules, selectors, services
from complaints.models import ReceptionSession
from complaints.views.work import sheet_boxes
from core.feedback import add_errors
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from residents.masking import mask_mobile


class ReceptionMixin(RoleRequiredMixin):
    allowed_roles = rules.REVIEWERS


def _session(request, pk):
    return get_object_or_404(
        ReceptionSession.objects.for_user(request.user).select_related("manager"),
        pk=pk,
    )


class ReceptionListView(ReceptionMixin, View):
    def get(self, request):
        sessions = ReceptionSession.objects.filter(community=request.community).select_related("manager")
        return render(request, "complaints/reception_list.html", paginate(request, sessions, 30))


class ReceptionCreateView(ReceptionMixin, View):
    def get(self, request):
        form = forms.ReceptionForm(community=request.community, initial={"manager": request.user.pk})
        return render(request, "complaints/reception_form.html", {"form": form})

    def post(self, request):
        form = forms.ReceptionForm(request.POST, community=request.community)
        if form.is_valid():
            try:
                session = services.open_reception(community=request.community, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "已创建接待日，可逐一登记来访业主。")
                return redirect("complaints:reception_detail", session.pk)
        return render(request, "complaints/reception_form.html", {"form": form}, status=400)


class ReceptionDetailView(ReceptionMixin, View):
    def _render(self, request, session, form, status=200):
        registrations = selectors.with_clocks(
            session.complaints.select_related("house", "owner", "handler").order_by("received_at"), session.community
        )
        context = {"session": session, "registrations": registrations, "form": form}
        return render(request, "complaints/reception_detail.html", context, status=status)

    def get(self, request, pk):
        session = _session(request, pk)
        return self._render(request, session, forms.ReceptionSummaryForm(initial={"summary": session.summary}))

    def post(self, request, pk):
        session = _session(request, pk)
        form = forms.ReceptionSummaryForm(request.POST)
        if form.is_valid():
            services.summarise_reception(session, actor=request.user, summary=form.cleaned_data["summary"])
            messages.success(request, "已保存接待小结。")
            return redirect("complaints:reception_detail", session.pk)
        return self._render(request, session, form, status=400)


class ReceptionPrintView(ReceptionMixin, View):
    """Every registration of the session on its own 项目经理接待日信息登记表."""

    def get(self, request, pk):
        session = _session(request, pk)
        registrations = list(
            session.complaints.select_related("house", "handler", "manager_signed_by").order_by("received_at")
        )
        for complaint in registrations:
            complaint.masked_contact = mask_mobile(complaint.contact)
        context = {"session": session, "registrations": registrations, **sheet_boxes()}
        return render(request, "complaints/reception_print.html", context)
