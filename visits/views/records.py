"""The butler's day, logging a visit (phone first, drafts survive a reload), the
visit record page (printable) and the visit list with Excel export."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import ListView

from core.choices import Role
from core.permissions import RoleRequiredMixin
from residents.exports import workbook_response
from residents.models import House
from visits import roles, selectors, services
from visits.choices import Channel, ReturnVisitStatus, Trigger, VisitType
from visits.forms import VisitForm
from visits.models import ReturnVisit, Visit, VisitDraft, VisitPhoto

TRIGGER_TYPES = {
    Trigger.MOVE_IN: VisitType.MOVE_IN,
    Trigger.MOVE_IN_3M: VisitType.MOVE_IN_3M,
    Trigger.COMPLAINT_CLOSED: VisitType.COMPLAINT_RETURN,
    Trigger.HOUSEHOLD_INCIDENT: VisitType.COMPLAINT_RETURN,
    Trigger.COUNTER_QUESTION: VisitType.OTHER,
    Trigger.COMMISSION_DONE: VisitType.COMMISSION_RETURN,
    Trigger.SPECIAL_SERVICE_NEW: VisitType.COMMISSION_RETURN,
}


class VisitorMixin(RoleRequiredMixin):
    allowed_roles = roles.VISITORS


class TodayView(VisitorMixin, View):
    def get(self, request):
        context = selectors.today(request.user, request.community)
        context["saved_house"] = request.GET.get("saved", "")
        return render(request, "visits/today.html", context)


def _scoped_return_visit(request, value, house):
    if not value or not str(value).isdigit():
        return None
    return (
        ReturnVisit.objects.for_user(request.user).filter(pk=value, house=house, status=ReturnVisitStatus.DUE).first()
    )


class LogVisitView(VisitorMixin, View):
    """《业户访问记录》 on a phone: household, channel and time pre-filled."""

    def _house(self, request):
        value = request.GET.get("house", "")
        if value.isdigit():
            return get_object_or_404(House.objects.for_user(request.user), pk=value)
        return None

    def _context(self, request, form, house, return_visit):
        draft = None
        if house is not None:
            draft = VisitDraft.objects.filter(user=request.user, house=house).values_list("payload", flat=True).first()
        return {
            "form": form,
            "house": house,
            "return_visit": return_visit,
            "server_draft": draft or {},
            "draft_key": f"visit-draft:{request.user.pk}:{house.pk if house else 'new'}",
        }

    def get(self, request):
        house = self._house(request)
        return_visit = _scoped_return_visit(request, request.GET.get("return_visit"), house) if house else None
        initial = {"started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "channel": Channel.DOOR}
        if house is not None:
            initial["house_number"] = house.number
        if house is not None and house.occupancy == "vacant":
            initial["visit_type"] = VisitType.VACANT_INSPECTION
        if return_visit is not None:
            initial["visit_type"] = TRIGGER_TYPES.get(return_visit.trigger, VisitType.REPAIR_RETURN)
        form = VisitForm(initial=initial, community=request.community)
        return render(request, "visits/log.html", self._context(request, form, house, return_visit))

    def post(self, request):
        form = VisitForm(request.POST, request.FILES, community=request.community)
        house = None
        if form.is_valid():
            data = form.cleaned_data
            house = data["house"]
            return_visit = _scoped_return_visit(request, request.POST.get("return_visit"), house)
            follow_ups = []
            if data["follow_up"]:
                category = data["opinions"][0][0] if data["opinions"] else ""
                follow_ups.append(
                    {"description": data["follow_up"], "due_at": data["follow_up_due"], "category": category}
                )
            try:
                visit = services.log_visit(
                    house=house,
                    actor=request.user,
                    started_at=data["started_at"],
                    channel=data["channel"],
                    visit_type=data["visit_type"],
                    opinions=data["opinions"],
                    follow_ups=follow_ups,
                    people_met=data["people_met"],
                    reply=data["reply"],
                    satisfaction=data["satisfaction"],
                    signature=data["signature"],
                    window_reason=data["window_reason"],
                    contains_complaint=data["contains_complaint"],
                    checklist=data["checklist"],
                    repair_ratings=data["repair_ratings"],
                    owner_notified=data["owner_notified"],
                    return_visit=return_visit,
                    photos=request.FILES.getlist("photos"),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                note = "（电话回访需另一位同事复核后计入）" if visit.needs_second_signature else ""
                messages.success(request, f"已保存 {house.number} 的访问记录{note}。")
                return redirect(f"{reverse('visits:today')}?saved={house.pk}")
        else:
            house = form.cleaned_data.get("house")
        return_visit = _scoped_return_visit(request, request.POST.get("return_visit"), house) if house else None
        return render(request, "visits/log.html", self._context(request, form, house, return_visit), status=400)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DraftSaveView(VisitorMixin, View):
    """The phone posts its localStorage copy here when it is online."""

    def post(self, request):
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"ok": False, "error": "格式错误"}, status=400)
        house_id = str(body.get("house", ""))
        if not house_id.isdigit():
            return JsonResponse({"ok": False, "error": "缺少房屋"}, status=400)
        house = get_object_or_404(House.objects.for_user(request.user), pk=house_id)
        payload = {k: str(v)[:2000] for k, v in dict(body.get("fields", {})).items() if k != "csrfmiddlewaretoken"}
        services.save_draft(user=request.user, house=house, payload=payload)
        return JsonResponse({"ok": True, "saved_at": timezone.localtime().strftime("%H:%M:%S")})


class VisitDetailView(VisitorMixin, View):
    """One visit as 《业户访问记录》 — prints on one A4 page."""

    allowed_roles = (*roles.VISITORS,)

    def get(self, request, pk):
        visit = get_object_or_404(selectors.visit_rows(Visit.objects.for_user(request.user)), pk=pk)
        context = {"visit": visit, "follow_ups": visit.follow_ups.select_related("owner"), "photos": visit.photos.all()}
        return render(request, "visits/visit_detail.html", context)


class PhotoView(VisitorMixin, View):
    def get(self, request, pk):
        photo = get_object_or_404(
            VisitPhoto.objects.filter(visit__community__in=request.user.visible_community_ids()), pk=pk
        )
        try:
            handle = photo.file.open("rb")
        except FileNotFoundError:
            raise Http404("文件不存在") from None
        response = FileResponse(handle, content_type=photo.content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class VisitListView(VisitorMixin, ListView):
    template_name = "visits/visit_list.html"
    context_object_name = "visits"
    paginate_by = 25

    def get_queryset(self):
        qs = Visit.objects.filter(community=self.request.community)
        params = self.request.GET
        butler_only = self.request.roles == {Role.BUTLER}
        if params.get("mine", "1" if butler_only else "0") == "1":
            qs = qs.filter(created_by=self.request.user)
        for field in ("channel", "visit_type", "status"):
            if params.get(field):
                qs = qs.filter(**{field: params[field]})
        if params.get("late") == "1":
            qs = qs.filter(is_late=True)
        if params.get("house"):
            qs = qs.filter(house__number__startswith=params["house"].strip())
        return selectors.visit_rows(qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            mine=self.request.GET.get("mine", "1" if self.request.roles == {Role.BUTLER} else "0"),
            filters=self.request.GET,
            querystring=params.urlencode(),
            channels=Channel.choices,
            visit_types=VisitType.choices,
        )
        return context


class VisitExportView(VisitListView):
    def get(self, request, *args, **kwargs):
        headers = [
            "访问时间",
            "房号",
            "方式",
            "类型",
            "访问人",
            "接待人",
            "意见",
            "答复",
            "满意度",
            "签字",
            "状态",
            "逾期",
        ]
        rows = (
            [
                timezone.localtime(v.started_at).strftime("%Y-%m-%d %H:%M"),
                v.house.number,
                v.get_channel_display(),
                v.get_visit_type_display(),
                v.created_by.display_name,
                v.people_met,
                "；".join(f"{o.get_category_display()}：{o.content}" for o in v.opinions.all()),
                v.reply,
                v.get_satisfaction_display() if v.satisfaction else "",
                v.get_signature_display(),
                v.get_status_display(),
                "是" if v.is_late else "",
            ]
            for v in self.get_queryset().iterator(chunk_size=1000)
        )
        return workbook_response("访问记录", headers, rows, "visits")
