"""Work-order pages: the list, intake, the detail page with its actions, the
technician's phone list, the supervisor's daily review, the printed forms."""

import re
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.actions import ActionSpec, RecordActionView
from core.feedback import add_errors, flash_error
from core.ladder import timeline as ladder_timeline
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from repairs import clocks, forms, rules, selectors, services
from repairs.choices import OPEN_STATUSES, WORKING_STATUSES, Source, Status, Step, Urgency
from repairs.models import WorkOrderPhoto
from residents.masking import mask_mobile
from residents.selectors import house_suggestions

PAGE_SIZE = 30
HOUSE_NUMBER = re.compile(r"\d+-[\d-]*")  # 3-2-1501, 3-2-
SHOW_CHOICES = [
    ("open", "未结束"),
    ("mine", "我的"),
    ("undispatched", "待派工"),
    ("overdue", "已超时"),
    ("paused", "暂停中"),
    ("visit", "待回访"),
    ("paperwork", "待补手续"),
    ("all", "全部"),
]


class ReceiverMixin(RoleRequiredMixin):
    allowed_roles = rules.RECEIVERS


def filtered(user, community, *, show, q="", category="", urgency="", source="", now=None):
    now = now or timezone.now()
    qs = selectors.visible_orders(user, community).select_related(*selectors.LIST_RELATED)
    if show == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif show == "mine":
        qs = qs.filter(Q(owner=user) | Q(technician=user), status__in=OPEN_STATUSES)
    elif show == "undispatched":
        qs = qs.filter(status=Status.RECEIVED)
    elif show == "overdue":
        qs = qs.filter(
            Q(dispatch_due_at__lt=now) | Q(arrival_due_at__lt=now) | Q(completion_due_at__lt=now),
            status__in=WORKING_STATUSES,
        )
    elif show == "paused":
        qs = qs.filter(is_paused=True, status__in=OPEN_STATUSES)
    elif show == "visit":
        qs = qs.filter(status__in=(Status.DONE, Status.CONFIRMED), house__isnull=False)
    elif show == "paperwork":
        qs = qs.filter(paperwork_pending=True).exclude(status=Status.VOID)
    q = q.strip()
    if q.upper().startswith("WX-"):
        qs = qs.filter(number=q.upper())  # on the unique index
    elif HOUSE_NUMBER.fullmatch(q):
        qs = qs.filter(house__number__startswith=q)  # on the house index, no scan of descriptions
    elif q:
        qs = qs.filter(Q(reporter_name=q) | Q(description__contains=q) | Q(location__contains=q))
    if category.isdigit():
        qs = qs.filter(category_id=int(category))
    if urgency:
        qs = qs.filter(urgency=urgency)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by("-received_at", "-pk")


class OrderListView(ReceiverMixin, View):
    def get(self, request):
        community = request.community
        reader = request.user.has_role(community, *rules.READERS)
        show = request.GET.get("show") or ("open" if reader else "mine")
        params = {k: request.GET.get(k, "") for k in ("q", "category", "urgency", "source")}
        qs = filtered(request.user, community, show=show, **params)
        querystring = urlencode({k: v for k, v in {"show": show, **params}.items() if v})
        page = paginate(request, qs, PAGE_SIZE, querystring=querystring)
        page["page_obj"].object_list = selectors.with_clocks(page["page_obj"].object_list)
        is_reviewer = rules.is_reviewer(request.user, community)
        context = {
            **page,
            "orders": page["page_obj"].object_list,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "params": params,
            "categories": services.categories_for(community),
            "urgencies": Urgency.choices,
            "sources": Source.choices,
            "is_reviewer": is_reviewer,
            "review_count": selectors.review_queue(community)[:100].count() if is_reviewer else 0,
        }
        return render(request, "repairs/list.html", context)


class IntakeView(ReceiverMixin, View):
    """报修登记. `?follow_up=<pk>` converts a visit follow-up (a vacant-house one
    becomes source 空置房巡视); `?complaint=<pk>` turns a complaint into an order."""

    def _sources(self, request):
        from complaints.models import Complaint
        from visits.models import FollowUp

        follow_up = complaint = None
        pk = request.GET.get("follow_up") or request.POST.get("follow_up")
        if pk:
            follow_up = get_object_or_404(
                FollowUp.objects.for_user(request.user).in_community(request.community).select_related("visit"),
                pk=pk,
            )
        pk = request.GET.get("complaint") or request.POST.get("complaint")
        if pk:
            complaint = get_object_or_404(
                Complaint.objects.for_user(request.user).in_community(request.community), pk=pk
            )
        return follow_up, complaint

    def _initial(self, request, follow_up, complaint):
        initial = {"intake_key": uuid.uuid4()}
        if request.GET.get("house"):
            initial["house_number"] = request.GET["house"][:40]
        if follow_up is not None:
            vacant = follow_up.visit_id and follow_up.visit.visit_type == "vacant_inspection"
            initial.update(
                source=Source.VACANT if vacant else Source.VISIT,
                house_number=follow_up.house.number,
                description=follow_up.description,
            )
        if complaint is not None:
            initial.update(
                source=Source.COMPLAINT,
                house_number=complaint.house.number if complaint.house_id else "",
                location=complaint.location,
                reporter_name=complaint.reporter_name,
                description=complaint.description,
            )
        return initial

    def _render(self, request, form, follow_up, complaint, status=200):
        context = {"form": form, "follow_up": follow_up, "complaint": complaint}
        return render(request, "repairs/intake.html", context, status=status)

    def get(self, request):
        follow_up, complaint = self._sources(request)
        form = forms.IntakeForm(community=request.community, initial=self._initial(request, follow_up, complaint))
        return self._render(request, form, follow_up, complaint)

    def post(self, request):
        follow_up, complaint = self._sources(request)
        form = forms.IntakeForm(request.POST, request.FILES, community=request.community)
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = services.receive_order(
                    community=request.community,
                    actor=request.user,
                    source=data["source"],
                    quick=data["quick"],
                    conditions=data["conditions"],
                    category=data["category"],
                    house=data.get("house"),
                    public_area=data["public_area"],
                    location=data["location"],
                    reporter=data["reporter_person"],
                    reporter_name=data["reporter_name"],
                    contact=data["contact"],
                    description=data["description"],
                    appointment_at=data["appointment_at"],
                    received_at=data["received_at"],
                    photos=data["photos"] or [],
                    follow_up=follow_up,
                    complaint=complaint,
                    intake_key=data["intake_key"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if order.duplicate:
                    messages.info(request, f"该报修已提交过，单号 {order.number}，未重复受理。")
                else:
                    messages.success(
                        request,
                        f"已受理，单号 {order.number}（{order.get_urgency_display()}）。您是该工单的首问责任人。",
                    )
                return redirect("repairs:detail", order.pk)
        return self._render(request, form, follow_up, complaint, status=400)


class HouseSuggestView(ReceiverMixin, View):
    """Type-ahead of house numbers; ?residents=<number>: the household's current
    residents as (id, name) for the reporter select (names only)."""

    def get(self, request):
        from residents.models import Residency

        number = request.GET.get("residents", "").strip()
        if number:
            rows = Residency.objects.filter(
                house__community=request.community, house__number=number, end_date__isnull=True
            ).values_list("person_id", "person__name")
            return JsonResponse({"residents": [{"id": pk, "name": name} for pk, name in dict(rows).items()]})
        return JsonResponse({"houses": house_suggestions(request.community, request.GET.get("q", ""))})


ACTIONS = {
    "claim": ActionSpec("抢单", None, lambda o, u, d: services.claim(o, actor=u), "抢单成功，工单归您处理。"),
    "dispatch": ActionSpec(
        "派工",
        forms.DispatchForm,
        lambda o, u, d: services.dispatch(o, actor=u, technician=d["technician"], note=d["note"]),
        "已派工。",
        needs_community=True,
    ),
    "accept": ActionSpec("接单", None, lambda o, u, d: services.accept(o, actor=u), "已接单。"),
    "arrive": ActionSpec(
        "到场",
        forms.ArriveForm,
        lambda o, u, d: services.arrive(o, actor=u, entry_agreed=d["entry_agreed"]),
        "已登记到场时间。",
    ),
    "agree": ActionSpec(
        "业主同意报价", None, lambda o, u, d: services.agree_quote(o, actor=u), "业主已同意，开始维修。"
    ),
    "quote": ActionSpec(
        "报价",
        forms.QuoteForm,
        lambda o, u, d: services.quote(o, actor=u, lines=d["lines"]),
        "已报价，请业主确认。",
        needs_community=True,
    ),
    "decline": ActionSpec(
        "业主不同意报价",
        forms.ReasonForm,
        lambda o, u, d: services.decline_quote(o, actor=u, reason=d["reason"]),
        "已记录业主不同意报价。",
    ),
    "start": ActionSpec("开始维修（不收费）", None, lambda o, u, d: services.start(o, actor=u), "已开始维修。"),
    "pause": ActionSpec(
        "暂停计时",
        forms.PauseForm,
        lambda o, u, d: services.pause(o, actor=u, reason=d["reason"], note=d["note"]),
        "已暂停，计时停止。",
    ),
    "resume": ActionSpec("恢复计时", None, lambda o, u, d: services.resume(o, actor=u), "已恢复计时。"),
    "done": ActionSpec(
        "完工",
        forms.DoneForm,
        lambda o, u, d: services.complete(
            o,
            actor=u,
            result=d["result"],
            final_amount=d["final_amount"],
            photos=d["photos"] or [],
            signature=d["signature"],
            signature_png=d["signature_data"],
            rating=d["rating"],
            rating_note=d["rating_note"],
        ),
        "已完工。",
    ),
    "confirm": ActionSpec(
        "业主验收",
        forms.ConfirmForm,
        lambda o, u, d: services.confirm(
            o,
            actor=u,
            signature=d["signature"],
            signature_png=d["signature_data"],
            rating=d["rating"],
            rating_note=d["rating_note"],
        ),
        "已记录业主验收。",
    ),
    "purchase": ActionSpec(
        "购物单",
        forms.PurchaseForm,
        lambda o, u, d: services.file_purchase(o, actor=u, items=d["items"], note=d["note"]),
        "已填写购物单，工单待料暂停。",
    ),
    "notify": ActionSpec(
        "通知业主",
        forms.NotifyForm,
        lambda o, u, d: services.notify_owner(o, actor=u, note=d["note"]),
        "已记录通知业主。",
    ),
    "paperwork": ActionSpec(
        "补办手续",
        forms.PaperworkForm,
        lambda o, u, d: services.complete_paperwork(
            o,
            actor=u,
            category=d["category"],
            description=d["description"],
            reporter_name=d["reporter_name"],
            contact=d["contact"],
        ),
        "手续已补办。",
        needs_community=True,
    ),
    "close": ActionSpec("关闭", None, lambda o, u, d: services.close(o, actor=u), "已关闭。"),
    "return": ActionSpec(
        "退单",
        forms.ReasonForm,
        lambda o, u, d: services.return_order(o, actor=u, reason=d["reason"]),
        "已退单，已通知首问责任人向业主说明。",
    ),
    "void": ActionSpec(
        "作废", forms.ReasonForm, lambda o, u, d: services.void(o, actor=u, reason=d["reason"]), "已作废（单号保留）。"
    ),
    "review": ActionSpec(
        "审阅", None, lambda o, u, d: services.mark_reviewed([o], actor=u, community=o.community), "已审阅。"
    ),
    "note": ActionSpec(
        "处理记录",
        forms.NoteForm,
        lambda o, u, d: services.add_note(o, actor=u, note=d["note"], photos=d["photos"] or []),
        "已添加处理记录。",
    ),
}


# The form shown open on arrival: the next step of the work (a requote stays closed).
PRIMARY = ["dispatch", "arrive", "done", "confirm", "quote", "paperwork"]


def _form(name, order, data=None, files=None):
    spec = ACTIONS[name]
    if spec.form is None:
        return None
    kwargs = {"community": order.community} if spec.needs_community else {}
    if name == "dispatch" and data is None and order.technician_id:
        kwargs["initial"] = {"technician": order.technician_id}
    if name == "paperwork" and data is None:
        kwargs["initial"] = {"description": order.description, "reporter_name": order.reporter_name}
    if name == "done" and data is None and order.agreed_total is not None:
        kwargs["initial"] = {"final_amount": order.agreed_total}
    return spec.form(data, files, prefix=name, **kwargs)


def detail_context(request, order, *, bound=None, revealed=None):
    allowed = rules.actions_for(request.user, order)
    primary = next((name for name in PRIMARY if name in allowed), "")
    if primary == "quote" and order.status != "on_site":
        primary = ""
    panels = []
    for name in ACTIONS:
        if name in allowed:
            form = bound[1] if bound and bound[0] == name else _form(name, order)
            panels.append({"name": name, "label": ACTIONS[name].label, "form": form})
    events = list(order.events.select_related("actor").prefetch_related("photos"))
    order.clock = clocks.display(order, timezone.now())
    quote_lines = [line for line in order.quote_lines.all() if line.round == order.quote_round]
    contact = ""
    if order.reporter_id:
        contact = order.reporter.masked_mobile
    elif order.contact:
        contact = mask_mobile(order.contact)
    return {
        "order": order,
        "actions": panels,
        "allowed": allowed,
        "timeline": ladder_timeline(events, order, dict(Step.choices)),
        "pauses": list(order.pauses.select_related("started_by", "ended_by")),
        "quote_lines": quote_lines,
        "purchases": list(order.purchases.prefetch_related("items").select_related("filed_by")),
        "charge": getattr(order, "charge", None) if order.final_amount else None,
        "masked_contact": contact,
        "revealed_contact": revealed,
        "return_visits": _return_visits(order),
        "reworks": list(order.reworks.all()),
        "active_form": bound[0] if bound else primary,
        "is_technician": rules.is_technician_of(request.user, order),
    }


def _return_visits(order):
    from django.contrib.contenttypes.models import ContentType

    from repairs.models import WorkOrder
    from visits.models import ReturnVisit

    return list(
        ReturnVisit.objects.filter(
            source_type=ContentType.objects.get_for_model(WorkOrder), source_id=str(order.pk)
        ).select_related("assignee")
    )


class OrderDetailView(ReceiverMixin, View):
    def get(self, request, pk):
        order = selectors.order_for(request, pk)
        return render(request, "repairs/detail.html", detail_context(request, order))


class OrderActionView(ReceiverMixin, RecordActionView):
    actions = ACTIONS
    detail_url_name = "repairs:detail"
    denied_message = "您无权对该工单执行此操作。"

    def get_record(self, request, pk):
        return selectors.order_for(request, pk)

    def may(self, user, order):
        return rules.may(user, order, self.action)

    def make_form(self, order, data, files):
        return _form(self.action, order, data, files)

    def render_again(self, request, order, form):
        context = detail_context(request, order, bound=(self.action, form))
        return render(request, "repairs/detail.html", context, status=400)


class ContactView(ReceiverMixin, View):
    """The reporter's number for those working the order; each look is logged."""

    def post(self, request, pk):
        order = selectors.order_for(request, pk)
        if "contact" not in rules.actions_for(request.user, order):
            raise PermissionDenied("只有处理该工单的人员可以查看电话。")
        try:
            number = services.reveal_contact(order, actor=request.user)
        except ValidationError as error:
            flash_error(request, error)
            return redirect("repairs:detail", order.pk)
        return render(request, "repairs/detail.html", detail_context(request, order, revealed=number))


class PhotoView(ReceiverMixin, View):
    def get(self, request, pk):
        photo = get_object_or_404(WorkOrderPhoto.objects.select_related("order"), pk=pk)
        selectors.order_for(request, photo.order_id)
        try:
            handle = photo.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type=photo.content_type)


class SignatureView(ReceiverMixin, View):
    def get(self, request, pk):
        order = selectors.order_for(request, pk)
        if not order.signature_file:
            raise Http404
        try:
            handle = order.signature_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type="image/png")


class MineView(RoleRequiredMixin, View):
    """The technician's phone: today's own orders, finished today, the grab pool."""

    allowed_roles = rules.RECEIVERS

    def _membership(self, request):
        from core.models import Membership

        return Membership.objects.filter(
            user=request.user, community=request.community, role="technician", is_active=True
        ).first()

    def get(self, request):
        context = selectors.technician_today(request.user, request.community)
        return render(request, "repairs/mine.html", {**context, "membership": self._membership(request)})

    def post(self, request):
        """当班 / 下班 from the phone."""
        from core.services import set_on_shift

        membership = self._membership(request)
        if membership is None:
            raise PermissionDenied("只有维修人员有当班状态。")
        set_on_shift(membership, actor=request.user, on_shift=request.POST.get("on_shift") == "1")
        messages.success(
            request, "已当班，轮派工单会派给您。" if membership.on_shift else "已下班，轮派和抢单不再通知您。"
        )
        return redirect("repairs:mine")


class ReviewView(RoleRequiredMixin, View):
    """The supervisor's daily review of new work orders [001 L108]."""

    allowed_roles = rules.REVIEWERS

    def get(self, request):
        queue = selectors.with_clocks(selectors.review_queue(request.community)[:200])
        return render(request, "repairs/review.html", {"orders": queue})

    def post(self, request):
        ids = [int(pk) for pk in request.POST.getlist("order") if pk.isdigit()]
        chosen = list(selectors.review_queue(request.community).filter(pk__in=ids))
        if not chosen:
            messages.error(request, "请勾选要审阅的工单。")
            return redirect("repairs:review")
        count = services.mark_reviewed(chosen, actor=request.user, community=request.community)
        messages.success(request, f"已审阅 {count} 张工单。")
        return redirect("repairs:review")


COPIES = ["业主联", "财务联", "客服部联", "工程部联"]


class PrintView(ReceiverMixin, View):
    """The four-part 《维修(服务)任务单》 [001 L170]: one copy per part, the number on each."""

    def get(self, request, pk):
        order = selectors.order_for(request, pk)
        lines = [line for line in order.quote_lines.all() if line.round == order.quote_round]
        context = {
            "order": order,
            "copies": COPIES,
            "quote_lines": lines,
            "masked_contact": mask_mobile(order.contact) if order.contact else "",
        }
        return render(request, "repairs/print.html", context)
