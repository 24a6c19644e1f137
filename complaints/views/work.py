"""Complaint pages: the list, intake, the detail page with its actions, the
supervisor's daily review, the printable form."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from complaints import forms, rules, selectors, services
from complaints.choices import Category, Channel, Kind, Step
from complaints.models import Complaint, ComplaintPhoto, ReceptionSession
from core import handoffs
from core.actions import ActionSpec, RecordActionView
from core.feedback import add_errors, flash_error
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from residents.choices import Relation
from residents.masking import mask_mobile
from residents.models import Residency
from residents.selectors import house_suggestions

PAGE_SIZE = 30
REVIEW_BADGE_CAP = 99  # the badge shows “99+” beyond; counting further only costs time


class ReceiverMixin(RoleRequiredMixin):
    allowed_roles = rules.RECEIVERS


def _complaint(request, pk):
    complaint = get_object_or_404(
        Complaint.objects.for_user(request.user).select_related(
            "community",
            "house",
            "owner",
            "handler",
            "department__head",
            "received_by",
            "reception",
            "answer_entry",
            "follow_up",
            "reviewed_by",
            "manager_signed_by",
        ),
        pk=pk,
    )
    if not rules.may_read(request.user, complaint):
        raise Http404
    return complaint


class ComplaintListView(ReceiverMixin, View):
    def get(self, request):
        community = request.community
        show = request.GET.get("show") or ("open" if request.user.has_role(community, *rules.READERS) else "mine")
        params = {k: request.GET.get(k, "") for k in ("q", "category", "kind", "channel")}
        qs = selectors.complaint_list(request.user, community, show=show, **params)
        querystring = urlencode({k: v for k, v in {"show": show, **params}.items() if v})
        page = paginate(request, qs, PAGE_SIZE, querystring=querystring)
        page["page_obj"].object_list = selectors.with_clocks(page["page_obj"].object_list, community)
        context = {
            **page,
            "complaints": page["page_obj"].object_list,
            "show": show,
            "show_choices": selectors.SHOW_CHOICES,
            "params": params,
            "categories": Category.choices,
            "kinds": Kind.choices,
            "channels": Channel.choices,
            "is_reviewer": rules.is_reviewer(request.user, community),
            "review_count": selectors.review_queue(community)[: REVIEW_BADGE_CAP + 1].count()
            if rules.is_reviewer(request.user, community)
            else 0,
            "review_badge_cap": REVIEW_BADGE_CAP,
        }
        return render(request, "complaints/list.html", context)


# A visit opinion's category ([002], 11 of them) as the complaint category it becomes.
FOLLOW_UP_CATEGORY = {
    "order": Category.ORDER,
    "cleaning": Category.CLEANING,
    "greening": Category.GREENING,
    "repair": Category.MAINTENANCE,
    "facilities": Category.FACILITIES,
    "staff": Category.ATTITUDE,
    "other": Category.OTHER,
}


class IntakeView(ReceiverMixin, View):
    """受理登记. `?follow_up=<pk>` turns a visit follow-up into a complaint;
    `?reception=<pk>` registers at a manager's reception day."""

    def _sources(self, request):
        from visits.models import FollowUp

        follow_up = reception = None
        pk = request.GET.get("follow_up") or request.POST.get("follow_up")
        if pk:
            follow_up = get_object_or_404(
                FollowUp.objects.for_user(request.user).in_community(request.community), pk=pk
            )
        pk = request.GET.get("reception") or request.POST.get("reception")
        if pk:
            reception = get_object_or_404(
                ReceptionSession.objects.for_user(request.user).in_community(request.community), pk=pk
            )
        return follow_up, reception

    def _initial(self, request, follow_up, reception):
        key = {"intake_key": uuid.uuid4()}
        if follow_up is None:
            initial = {"channel": Channel.RECEPTION_DAY, **key} if reception else key
            if request.GET.get("house"):
                initial["house_number"] = request.GET["house"][:40]
            return initial
        holder = follow_up.house.residencies.filter(end_date__isnull=True).select_related("person").first()
        return {
            **key,
            "category": FOLLOW_UP_CATEGORY.get(follow_up.category, ""),
            "channel": Channel.VISIT,
            "house_number": follow_up.house.number,
            "description": follow_up.description,
            "reporter_name": holder.person.name if holder else "",
        }

    def _render(self, request, form, follow_up, reception, status=200):
        context = {"form": form, "follow_up": follow_up, "reception": reception}
        return render(request, "complaints/intake.html", context, status=status)

    def get(self, request):
        follow_up, reception = self._sources(request)
        form = forms.IntakeForm(
            community=request.community, reception=reception, initial=self._initial(request, follow_up, reception)
        )
        return self._render(request, form, follow_up, reception)

    def post(self, request):
        follow_up, reception = self._sources(request)
        form = forms.IntakeForm(request.POST, request.FILES, community=request.community, reception=reception)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = services.receive_complaint(
                    community=request.community,
                    actor=request.user,
                    kind=data["kind"],
                    channel=data["channel"],
                    category=data["category"],
                    urgency=data["urgency"],
                    house=data.get("house"),
                    location=data["location"],
                    reporter_name=data["reporter_name"],
                    contact=data["contact"],
                    description=data["description"],
                    is_household_incident=data["is_household_incident"],
                    is_municipal=data["is_municipal"],
                    received_at=data["received_at"],
                    photos=data["photos"] or [],
                    follow_up=follow_up,
                    reception=reception,
                    handler=data.get("handler"),
                    answer_entry=data["answer_entry"],
                    counter_callback=data["counter_callback"],
                    intake_key=data["intake_key"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                if complaint.duplicate:
                    messages.info(request, f"该登记已提交过，编号 {complaint.number}，未重复受理。")
                    return redirect("complaints:detail", complaint.pk)
                if data["answer_now"].strip():
                    try:
                        complaint = services.resolve(
                            complaint, actor=request.user, result="当场答复完毕", reply=data["answer_now"]
                        )
                        if not services.owes_return_visit(complaint) and not complaint.reception_id:
                            complaint = services.close(complaint, actor=request.user, note="当场答复")
                    except ValidationError as error:
                        messages.warning(request, f"已受理，编号 {complaint.number}；当场答复未能办结：")
                        flash_error(request, error)
                        return redirect("complaints:detail", complaint.pk)
                messages.success(request, f"已受理，编号 {complaint.number}。您是该事项的首问责任人。")
                if reception is not None:
                    return redirect("complaints:reception_detail", reception.pk)
                return redirect("complaints:detail", complaint.pk)
        return self._render(request, form, follow_up, reception, status=400)


class HouseSuggestView(ReceiverMixin, View):
    """Type-ahead of house numbers; with ?residents=<number>, the names of the
    household's current residents (names only: numbers stay in the archive)."""

    def get(self, request):
        number = request.GET.get("residents", "").strip()
        if number:
            rows = Residency.objects.filter(
                house__community=request.community, house__number=number, end_date__isnull=True
            ).values_list("person__name", "relation")
            order = list(Relation.values)
            labels = dict(Relation.choices)
            rows = sorted(rows, key=lambda row: order.index(row[1]) if row[1] in order else len(order))
            return JsonResponse({"residents": [{"name": name, "relation": labels.get(rel, "")} for name, rel in rows]})
        return JsonResponse({"houses": house_suggestions(request.community, request.GET.get("q", ""))})


ACTIONS = {
    "dispatch": ActionSpec(
        "派单",
        forms.DispatchForm,
        lambda c, u, d: services.dispatch(c, actor=u, department=d["department"], handler=d["handler"], note=d["note"]),
        "已派单。",
        needs_community=True,
    ),
    "start": ActionSpec("开始处理", None, lambda c, u, d: services.start_work(c, actor=u), "已开始处理。"),
    "answer": ActionSpec(
        "答复业主",
        forms.AnswerForm,
        lambda c, u, d: services.answer(c, actor=u, reply=d["reply"], promised_at=d["promised_at"]),
        "已答复，答复计时停止。",
    ),
    "resolve": ActionSpec(
        "办结",
        forms.ResolveForm,
        lambda c, u, d: services.resolve(
            c, actor=u, result=d["result"], reply=d["reply"], signature=d["signature"], photos=d["photos"] or []
        ),
        "已办结。",
    ),
    "return_visit": ActionSpec(
        "记录回访",
        forms.ReturnVisitForm,
        lambda c, u, d: services.record_return_visit(
            c, actor=u, satisfaction=d["satisfaction"], reason=d["dissatisfaction_reason"]
        ),
        "已记录回访。",
    ),
    "close": ActionSpec("关闭", None, lambda c, u, d: services.close(c, actor=u), "已关闭。"),
    "pause": ActionSpec(
        "挂起", forms.ReasonForm, lambda c, u, d: services.pause(c, actor=u, reason=d["reason"]), "已挂起，计时暂停。"
    ),
    "resume": ActionSpec("恢复计时", None, lambda c, u, d: services.resume(c, actor=u), "已恢复计时。"),
    "reassign": ActionSpec(
        "变更首问责任人",
        forms.ReassignForm,
        lambda c, u, d: services.reassign_owner(c, actor=u, owner=d["owner"], reason=d["reason"]),
        "已变更首问责任人。",
        needs_community=True,
    ),
    "major": ActionSpec("认定重大投诉", None, lambda c, u, d: services.mark_major(c, actor=u), "已认定为重大投诉。"),
    "validity": ActionSpec(
        "有效性认定",
        forms.ValidityForm,
        lambda c, u, d: services.set_validity(c, actor=u, validity=d["validity"], reason=d["validity_reason"]),
        "已认定。",
    ),
    "review": ActionSpec(
        "审阅", None, lambda c, u, d: services.mark_reviewed([c], actor=u, community=c.community), "已审阅。"
    ),
    "void": ActionSpec(
        "作废", forms.ReasonForm, lambda c, u, d: services.void(c, actor=u, reason=d["reason"]), "已作废。"
    ),
    "decide": ActionSpec(
        "经理决定",
        forms.DecisionForm,
        lambda c, u, d: services.decide_suggestion(
            c, actor=u, decision=d["decision"], measures=d["measures"], publish=d["publish"]
        ),
        "已记录经理决定。",
    ),
    "sign_off": ActionSpec("经理签字", None, lambda c, u, d: services.sign_off(c, actor=u), "经理已签字。"),
    "note": ActionSpec(
        "处理记录",
        forms.NoteForm,
        lambda c, u, d: services.add_note(c, actor=u, note=d["note"], photos=d["photos"] or []),
        "已添加处理记录。",
    ),
}
FORM_ORDER = [
    "review",
    "dispatch",
    "start",
    "answer",
    "resolve",
    "return_visit",
    "close",
    "decide",
    "sign_off",
    "pause",
    "resume",
    "note",
    "validity",
    "major",
    "reassign",
    "void",
]


def _form(name, complaint, data=None, files=None):
    spec = ACTIONS[name]
    if spec.form is None:
        return None
    kwargs = {"community": complaint.community} if spec.needs_community else {}
    if name == "dispatch" and data is None:
        kwargs["initial"] = {"department": complaint.department_id, "handler": complaint.handler_id}
    return spec.form(data, files, prefix=name, **kwargs)


def detail_context(request, complaint, *, bound=None, revealed=None):
    from complaints import clocks
    from core.ladder import timeline as ladder_timeline

    allowed = rules.actions_for(request.user, complaint)
    panels = []
    for name in FORM_ORDER:
        if name in allowed and name != "contact":
            form = bound[1] if bound and bound[0] == name else _form(name, complaint)
            panels.append({"name": name, "label": ACTIONS[name].label, "form": form})
    events = list(complaint.events.select_related("actor").prefetch_related("photos"))
    policy = clocks.Policy(complaint.community)
    complaint.clock = clocks.display(complaint, policy, timezone.now())

    return {
        "complaint": complaint,
        "actions": panels,
        "allowed": allowed,
        "timeline": ladder_timeline(events, complaint, dict(Step.choices)),
        "intake_photos": [p for p in complaint.photos.all() if p.event_id is None or p.event.action == "received"],
        "pauses": list(complaint.pauses.select_related("started_by", "ended_by")),
        "masked_contact": mask_mobile(complaint.contact) if complaint.contact else "",
        "revealed_contact": revealed,
        "return_visits": _return_visits(complaint),
        "active_form": bound[0] if bound else "",
        "handoffs": handoffs.links("complaint"),
    }


def _return_visits(complaint):
    from django.contrib.contenttypes.models import ContentType

    from visits.models import ReturnVisit

    return list(
        ReturnVisit.objects.filter(
            source_type=ContentType.objects.get_for_model(Complaint), source_id=str(complaint.pk)
        ).select_related("assignee")
    )


class ComplaintDetailView(ReceiverMixin, View):
    def get(self, request, pk):
        complaint = _complaint(request, pk)
        return render(request, "complaints/detail.html", detail_context(request, complaint))


class ComplaintActionView(ReceiverMixin, RecordActionView):
    actions = ACTIONS
    detail_url_name = "complaints:detail"
    denied_message = "您无权对该投诉执行此操作。"

    def get_record(self, request, pk):
        return _complaint(request, pk)

    def may(self, user, complaint):
        return rules.may(user, complaint, self.action)

    def make_form(self, complaint, data, files):
        return _form(self.action, complaint, data, files)

    def render_again(self, request, complaint, form):
        context = detail_context(request, complaint, bound=(self.action, form))
        return render(request, "complaints/detail.html", context, status=400)


class ContactView(ReceiverMixin, View):
    """Shows the reporter's number to those working the matter; each look is logged."""

    def post(self, request, pk):
        complaint = _complaint(request, pk)
        if not rules.may(request.user, complaint, "contact"):
            raise PermissionDenied("只有处理该投诉的人员可以查看联系电话。")
        number = services.reveal_contact(complaint, actor=request.user)
        return render(request, "complaints/detail.html", detail_context(request, complaint, revealed=number))


class PhotoView(ReceiverMixin, View):
    def get(self, request, pk):
        photo = get_object_or_404(ComplaintPhoto.objects.select_related("complaint"), pk=pk)
        if photo.complaint.community_id not in request.user.visible_community_ids():
            raise Http404
        _complaint(request, photo.complaint_id)
        try:
            handle = photo.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type=photo.content_type)


class ReviewView(RoleRequiredMixin, View):
    """The supervisor's daily review of new complaints and consultations [001]."""

    allowed_roles = rules.REVIEWERS

    def get(self, request):
        queue = selectors.with_clocks(selectors.review_queue(request.community)[:200], request.community)
        return render(request, "complaints/review.html", {"complaints": queue})

    def post(self, request):
        ids = [int(pk) for pk in request.POST.getlist("complaint") if pk.isdigit()]
        chosen = list(selectors.review_queue(request.community).filter(pk__in=ids))
        if not chosen:
            messages.error(request, "请勾选要审阅的事项。")
            return redirect("complaints:review")
        count = services.mark_reviewed(chosen, actor=request.user, community=request.community)
        messages.success(request, f"已审阅 {count} 件。")
        return redirect("complaints:review")


class PrintView(ReceiverMixin, View):
    """The printable 投诉处理单, or for a reception-day registration the
    项目经理接待日信息登记表 [004 附件4]."""

    def get(self, request, pk):
        complaint = _complaint(request, pk)
        context = {
            "complaint": complaint,
            "events": complaint.events.select_related("actor").exclude(action="contact_viewed"),
            "masked_contact": mask_mobile(complaint.contact),
            **sheet_boxes(),
        }
        return render(request, "complaints/print.html", context)


def sheet_boxes():
    """The tick boxes of the reception-day form [004 附件4]."""
    from visits.choices import Satisfaction

    kinds = [(Kind.COMPLAINT, "投诉"), (Kind.CONSULTATION, "咨询"), (Kind.SUGGESTION, "建议"), (Kind.OTHER, "其他")]
    return {"kind_boxes": kinds, "satisfaction_boxes": Satisfaction.choices}
