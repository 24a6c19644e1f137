"""The front desk: register a walk-in visitor (keyboard first), today's board with
one-click exit, the watchlist and its overrides, incidents, settings.

Butlers may read the board for their own zone's households."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views import View

from core.choices import Role
from core.feedback import add_errors, flash_error
from core.pagination import paginate
from core.permissions import RoleRequiredMixin
from residents.choices import Relation
from residents.exports import workbook_response
from residents.models import HelperRegistration, House
from residents.selectors import house_suggestions
from visits import passes, visitors
from visits.choices import EntryStatus, PassCheck, PassStatus
from visits.frontdesk_forms import (
    EntryRestrictionForm,
    ExportForm,
    FrontDeskSettingsForm,
    HelperForm,
    IncidentForm,
    PassForm,
    PermitForm,
    RestrictionForm,
    RevokeForm,
    VisitorEntryForm,
)
from visits.models import FrontDeskSettings, ItemPermit, TemporaryPass, VisitorEntry, VisitorRestriction

READERS = (*visitors.CLERKS, Role.BUTLER)
PAGE_SIZE = 50


def _zone_only(request):
    """A butler without a front-desk role reads only their own zone's visitors."""
    return not request.user.has_role(request.community, *visitors.CLERKS)


class FrontDeskMixin(RoleRequiredMixin):
    allowed_roles = visitors.CLERKS


class BoardView(FrontDeskMixin, View):
    """Today's board: who is inside now (overstays highlighted), who left today,
    refusals and entries waiting for a supervisor."""

    allowed_roles = READERS

    def get(self, request):
        community = request.community
        now = timezone.now()
        day_start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time()))
        entries = VisitorEntry.objects.filter(community=community).select_related("house", "registered_by")
        if _zone_only(request):
            entries = entries.filter(house__butler=request.user)
        inside = list(entries.filter(status=EntryStatus.INSIDE).order_by("entered_at")[:200])
        today = list(
            entries.filter(entered_at__gte=day_start).exclude(status=EntryStatus.INSIDE).order_by("-entered_at")[:100]
        )
        policy = FrontDeskSettings.for_community(community)
        flags = visitors.overstay_flags(inside, policy, now=now)
        for entry in inside:
            entry.flag = flags.get(entry.pk, "")
        context = {
            "inside": inside,
            "today": today,
            "policy": policy,
            "flagged": sum(1 for e in inside if e.flag),
            "people_inside": sum(e.head_count for e in inside),
            "can_register": not _zone_only(request),
            "now": now,
        }
        return render(request, "visits/frontdesk/board.html", context)


class RegisterView(FrontDeskMixin, View):
    def _context(self, request, form, restriction=None):
        return {
            "form": form,
            "policy": FrontDeskSettings.for_community(request.community),
            "restriction": restriction,
        }

    def get(self, request):
        form = VisitorEntryForm(initial={"entered_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
        return render(request, "visits/frontdesk/register.html", self._context(request, form))

    def post(self, request):
        form = VisitorEntryForm(request.POST)
        restriction = None
        if form.is_valid():
            data = form.cleaned_data
            house = None
            number = data["house_number"].strip()
            if number:
                house = House.objects.filter(community=request.community, number=number).first()
                if house is None:
                    form.add_error("house_number", f"本小区没有房号“{number}”。")
            if not form.errors:
                try:
                    entry = visitors.register_entry(
                        community=request.community,
                        actor=request.user,
                        name=data["name"],
                        id_type=data["id_type"],
                        id_number=data["id_number"],
                        mobile=data["mobile"],
                        plate=data["plate"],
                        head_count=data["head_count"],
                        house=house,
                        purpose=data["purpose"],
                        items=data["items"],
                        entered_at=data["entered_at"],
                        consent=data["consent"] or "not_asked",
                        consent_by=data["consent_by"],
                        override_username=data["override_username"],
                        override_password=data["override_password"],
                        override_reason=data["override_reason"],
                        ask_inbox_approval=data["ask_inbox_approval"],
                        request=request,
                    )
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    messages.success(request, _registered_message(entry))
                    return redirect("visits:frontdesk_register")
            restriction = visitors.active_restriction(
                request.community,
                id_type=data.get("id_type", ""),
                id_number=data.get("id_number", ""),
                mobile=data.get("mobile", ""),
            )
        return render(request, "visits/frontdesk/register.html", self._context(request, form, restriction), status=400)


def _registered_message(entry):
    if entry.status == EntryStatus.REFUSED:
        return f"已记录：业主（{entry.consent_by}）拒绝，{entry.name} 未准入。"
    if entry.status == EntryStatus.AWAITING_OVERRIDE:
        return f"已发送主管审批：{entry.name} 请在外等候。"
    house = entry.house.number if entry.house else "物业服务中心"
    return f"已登记：{entry.name} → {house}（{entry.get_purpose_display()}）。"


class LookupView(FrontDeskMixin, View):
    """A repeat visitor by ID or mobile, and whether they are on the watchlist."""

    def get(self, request):
        id_type = request.GET.get("id_type", "resident_id")
        id_number = request.GET.get("id_number", "").strip()
        mobile = request.GET.get("mobile", "").strip()
        found = visitors.find_repeat_visitor(request.community, id_type=id_type, id_number=id_number, mobile=mobile)
        restriction = visitors.active_restriction(
            request.community, id_type=id_type, id_number=id_number, mobile=mobile
        )
        data = {"found": None, "restricted": None}
        if found is not None and not found.anonymised_at:
            data["found"] = {
                "name": found.name,
                "mobile": found.mobile,
                "plate": found.plate,
                "house": found.house.number if found.house else "",
                "purpose": found.purpose,
                "last": timezone.localtime(found.entered_at).strftime("%Y-%m-%d"),
            }
        if restriction is not None:
            data["restricted"] = {"reason": restriction.reason, "until": str(restriction.until or "长期")}
        return JsonResponse(data)


class HouseSuggestView(FrontDeskMixin, View):
    """Type-ahead of house numbers; with ?consent=<number>, who may consent for that household."""

    def get(self, request):
        number = request.GET.get("consent", "").strip()
        if number:
            house = House.objects.filter(community=request.community, number=number).first()
            return JsonResponse({"consenters": visitors.consenters(house) if house else []})
        return JsonResponse({"houses": house_suggestions(request.community, request.GET.get("q", ""))})


def _entry(request, pk):
    entry = get_object_or_404(
        VisitorEntry.objects.for_user(request.user).select_related("house", "registered_by", "override_by"), pk=pk
    )
    if _zone_only(request) and (entry.house is None or entry.house.butler_id != request.user.pk):
        raise PermissionDenied("只能查看本人责任区的来访。")
    return entry


class ExitView(FrontDeskMixin, View):
    def post(self, request, pk):
        entry = _entry(request, pk)
        try:
            visitors.mark_exit(entry, actor=request.user)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, f"{entry.name} 已离开。")
        return redirect("visits:frontdesk_board")


class EntryDetailView(FrontDeskMixin, View):
    allowed_roles = READERS

    def get(self, request, pk):
        entry = _entry(request, pk)
        return render(request, "visits/frontdesk/entry.html", self._context(request, entry))

    def _context(self, request, entry, **forms):
        can_override = request.user.has_role(entry.community, *visitors.OVERRIDERS)
        return {
            "entry": entry,
            "incidents": entry.incidents.select_related("recorded_by"),
            "incident_form": forms.get("incident_form") or IncidentForm(),
            "restrict_form": forms.get("restrict_form") or EntryRestrictionForm(),
            "can_override": can_override and entry.status == EntryStatus.AWAITING_OVERRIDE,
            "can_restrict": can_override and bool(entry.id_hash or entry.mobile_hash),
            "can_record": not _zone_only(request),
        }

    def post(self, request, pk):
        entry = _entry(request, pk)
        if _zone_only(request):
            raise PermissionDenied("只能查看本人责任区的来访。")
        action = request.POST.get("action")
        try:
            if action in ("approve", "refuse"):
                visitors.approve_override(
                    entry, actor=request.user, approve=action == "approve", comment=request.POST.get("comment", "")
                )
                messages.success(request, "已放行。" if action == "approve" else "已拒绝进入。")
            elif action == "incident":
                form = IncidentForm(request.POST)
                if not form.is_valid():
                    return render(
                        request,
                        "visits/frontdesk/entry.html",
                        self._context(request, entry, incident_form=form),
                        status=400,
                    )
                visitors.record_incident(entry, actor=request.user, **form.cleaned_data)
                messages.success(request, "已记录违规事件。")
            elif action == "restrict":
                form = EntryRestrictionForm(request.POST)
                if not form.is_valid():
                    return render(
                        request,
                        "visits/frontdesk/entry.html",
                        self._context(request, entry, restrict_form=form),
                        status=400,
                    )
                visitors.restrict_visitor(
                    community=entry.community,
                    actor=request.user,
                    name=entry.name,
                    entry=entry,
                    incident=entry.incidents.first(),
                    **form.cleaned_data,
                )
                messages.success(request, "已加入限制来访名单。")
            else:
                raise ValidationError("未知操作。")
        except ValidationError as error:
            flash_error(request, error)
        return redirect("visits:frontdesk_entry", pk=entry.pk)


class WatchlistView(FrontDeskMixin, View):
    def _context(self, request, form):
        today = timezone.localdate()
        restrictions = VisitorRestriction.objects.filter(community=request.community).select_related(
            "restricted_by", "lifted_by"
        )
        return {
            "active": list(restrictions.active(today)[:200]),
            "past": list(restrictions.exclude(pk__in=restrictions.active(today)).order_by("-created_at")[:50]),
            "form": form,
            "can_edit": request.user.has_role(request.community, *visitors.OVERRIDERS),
        }

    def get(self, request):
        return render(request, "visits/frontdesk/watchlist.html", self._context(request, RestrictionForm()))

    def post(self, request):
        if not request.user.has_role(request.community, *visitors.OVERRIDERS):
            raise PermissionDenied("只有客服主管或经理可以限制来访。")
        form = RestrictionForm(request.POST)
        if form.is_valid():
            try:
                visitors.restrict_visitor(community=request.community, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "已加入限制来访名单。")
                return redirect("visits:frontdesk_watchlist")
        return render(request, "visits/frontdesk/watchlist.html", self._context(request, form), status=400)


class LiftRestrictionView(FrontDeskMixin, View):
    allowed_roles = visitors.OVERRIDERS

    def post(self, request, pk):
        restriction = get_object_or_404(VisitorRestriction.objects.for_user(request.user), pk=pk)
        visitors.lift_restriction(restriction, actor=request.user)
        messages.success(request, f"已解除对 {restriction.name} 的限制。")
        return redirect("visits:frontdesk_watchlist")


class SettingsView(FrontDeskMixin, View):
    allowed_roles = (Role.MANAGER,)

    def get(self, request):
        policy = FrontDeskSettings.for_community(request.community)
        return render(request, "visits/frontdesk/settings.html", {"form": FrontDeskSettingsForm(instance=policy)})

    def post(self, request):
        policy = FrontDeskSettings.for_community(request.community)
        form = FrontDeskSettingsForm(request.POST, instance=policy)
        if not form.is_valid():
            return render(request, "visits/frontdesk/settings.html", {"form": form}, status=400)
        visitors.update_settings(policy, actor=request.user, **form.cleaned_data)
        messages.success(request, "前台来访设置已保存。")
        return redirect("visits:frontdesk_settings")


# --- statistics and export -------------------------------------------------------------


class StatisticsView(FrontDeskMixin, View):
    """Visitors per day, purpose, hour and house (chart), and the Excel export form."""

    def get(self, request):
        stats = visitors.statistics(request.community)
        today = timezone.localdate()
        form = ExportForm(initial={"date_from": today.replace(day=1), "date_to": today})
        return render(request, "visits/frontdesk/statistics.html", {"stats": stats, "form": form})


class ExportView(FrontDeskMixin, View):
    def get(self, request):
        form = ExportForm(request.GET)
        if not form.is_valid():
            stats = visitors.statistics(request.community)
            return render(request, "visits/frontdesk/statistics.html", {"stats": stats, "form": form}, status=400)
        data = form.cleaned_data
        rows = visitors.export_rows(request.community, data["date_from"], data["date_to"])
        name = f"visitors-{request.community.code}-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
        return workbook_response("来访登记", visitors.EXPORT_HEADERS, rows, name)


# --- temporary passes ------------------------------------------------------------------


def _house_from_query(request):
    number = (request.GET.get("house") or request.POST.get("house") or "").strip()
    if not number:
        return None, ""
    house = House.objects.filter(community=request.community, number=number).first()
    return house, number


def _people(house, *relations):
    from residents.models import Person

    return Person.objects.filter(
        residencies__house=house, residencies__relation__in=relations, residencies__end_date__isnull=True
    ).distinct()


class PassListView(FrontDeskMixin, View):
    def get(self, request):
        status = request.GET.get("status", PassStatus.ACTIVE)
        passes = TemporaryPass.objects.filter(community=request.community).select_related("house")
        if status in PassStatus.values:
            passes = passes.filter(status=status)
        context = paginate(request, passes, PAGE_SIZE, querystring=f"status={status}")
        context.update(passes=context["page_obj"].object_list, status=status, statuses=PassStatus.choices)
        return render(request, "visits/frontdesk/pass_list.html", context)


class HouseBoundCreateView(FrontDeskMixin, View):
    """Two steps at the counter: type the house number (type-ahead), then the form
    whose people come from that household in the archive. Subclasses name the
    template, the form, who from the household may be chosen, and define
    `issue(request, house, data)` returning (success message, redirect)."""

    template = ""
    form_class = None
    relations = ()
    url_name = ""

    def initial(self):
        return {}

    def _form(self, house, *args):
        return self.form_class(*args, people=_people(house, *self.relations), initial=self.initial())

    def get(self, request):
        house, number = _house_from_query(request)
        if number and house is None:
            messages.error(request, f"本小区没有房号“{number}”。")
        form = self._form(house) if house else None
        return render(request, self.template, {"house": house, "number": number, "form": form})

    def post(self, request):
        house, number = _house_from_query(request)
        if house is None:
            messages.error(request, "请先输入房号。")
            return redirect(self.url_name)
        form = self._form(house, request.POST, request.FILES)
        if form.is_valid():
            try:
                message, target = self.issue(request, house, form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, message)
                return target
        return render(request, self.template, {"house": house, "number": number, "form": form}, status=400)


class PassCreateView(HouseBoundCreateView):
    template = "visits/frontdesk/pass_form.html"
    form_class = PassForm
    relations = (Relation.OWNER,)
    url_name = "visits:frontdesk_pass_create"

    def initial(self):
        today = timezone.localdate()
        return {"valid_from": today, "valid_to": today}

    def issue(self, request, house, data):
        temporary_pass = passes.issue_pass(house=house, actor=request.user, **data)
        return f"已签发临时出入证 {temporary_pass.number}。", redirect("visits:frontdesk_pass", pk=temporary_pass.pk)


class PassDetailView(FrontDeskMixin, View):
    """The printable pass with its QR code; revocation."""

    def get(self, request, pk):
        temporary_pass = get_object_or_404(
            TemporaryPass.objects.for_user(request.user).select_related("house", "requested_by", "issued_by"), pk=pk
        )
        context = {
            "pass": temporary_pass,
            # Safe: SVG drawn by segno from our own signed token, no user text in it.
            "qr": mark_safe(passes.qr_svg(temporary_pass)),
            "validity": passes.validity(temporary_pass),
            "validity_label": passes.validity(temporary_pass).label,
            "revoke_form": RevokeForm(),
        }
        return render(request, "visits/frontdesk/pass_detail.html", context)

    def post(self, request, pk):
        temporary_pass = get_object_or_404(TemporaryPass.objects.for_user(request.user), pk=pk)
        form = RevokeForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("请填写作废原因。")
            passes.revoke_pass(temporary_pass, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, "出入证已作废。")
        return redirect("visits:frontdesk_pass", pk=temporary_pass.pk)


class PassCheckView(FrontDeskMixin, View):
    """The gate scans the QR (a scanner types the token and Enter) and reads the answer."""

    def get(self, request):
        token = request.GET.get("t", "").strip()
        result = found = None
        if token:
            result, found = passes.check_token(token, community=request.community)
        context = {
            "token": token,
            "result": result,
            "result_label": PassCheck(result).label if result else "",
            "found": found,
        }
        return render(request, "visits/frontdesk/pass_check.html", context)


# --- large-item permits -----------------------------------------------------------------


class PermitListView(FrontDeskMixin, View):
    def get(self, request):
        permits = ItemPermit.objects.filter(community=request.community).select_related("house", "applicant")
        context = paginate(request, permits, PAGE_SIZE)
        context.update(permits=context["page_obj"].object_list, today=timezone.localdate())
        return render(request, "visits/frontdesk/permit_list.html", context)


class PermitCreateView(HouseBoundCreateView):
    template = "visits/frontdesk/permit_form.html"
    form_class = PermitForm
    relations = (Relation.OWNER, Relation.HELPER)
    url_name = "visits:frontdesk_permit_create"

    def initial(self):
        return {"valid_on": timezone.localdate()}

    def issue(self, request, house, data):
        permit = passes.issue_permit(house=house, actor=request.user, **data)
        return f"已开具放行条 {permit.number}。", redirect("visits:frontdesk_permit", pk=permit.pk)


class PermitDetailView(FrontDeskMixin, View):
    """The permit (?print=1: the A5/A4 printable slip); the guard marks it used."""

    def get(self, request, pk):
        permit = get_object_or_404(
            ItemPermit.objects.for_user(request.user).select_related("house", "applicant", "issued_by", "used_by"),
            pk=pk,
        )
        template = (
            "visits/frontdesk/permit_print.html"
            if request.GET.get("print") == "1"
            else "visits/frontdesk/permit_detail.html"
        )
        return render(request, template, {"permit": permit, "today": timezone.localdate()})

    def post(self, request, pk):
        permit = get_object_or_404(ItemPermit.objects.for_user(request.user), pk=pk)
        try:
            passes.mark_permit_used(permit, actor=request.user)
        except ValidationError as error:
            flash_error(request, error)
        else:
            messages.success(request, f"放行条 {permit.number} 已放行。")
        return redirect("visits:frontdesk_permit", pk=permit.pk)


# --- domestic helpers ---------------------------------------------------------------------


class HelperListView(FrontDeskMixin, View):
    def get(self, request):
        helpers = (
            HelperRegistration.objects.in_community(request.community)
            .select_related("residency__person", "residency__house", "registered_with")
            .order_by("-created_at")
        )
        show = request.GET.get("show", "active")
        if show == "active":
            helpers = helpers.filter(residency__end_date__isnull=True)
        context = paginate(request, helpers, PAGE_SIZE, querystring=f"show={show}")
        context.update(helpers=context["page_obj"].object_list, show=show)
        return render(request, "visits/frontdesk/helper_list.html", context)


class HelperCreateView(HouseBoundCreateView):
    template = "visits/frontdesk/helper_form.html"
    form_class = HelperForm
    relations = (Relation.OWNER,)
    url_name = "visits:frontdesk_helper_create"

    def issue(self, request, house, data):
        from residents import services as archive
        from residents.validators import normalize_id_number

        archive.register_helper(
            house=house,
            actor=request.user,
            owner=data["owner"],
            photo=data["photo"],
            id_checked=data["id_checked"],
            may_take_items=data["may_take_items"],
            may_admit_visitors=data["may_admit_visitors"],
            name=data["name"],
            id_type=data["id_type"],
            id_number=normalize_id_number(data["id_number"]),
            mobile=data["mobile"].strip(),
        )
        return f"已为 {house.number} 备案家政人员 {data['name']}。", redirect("visits:frontdesk_helpers")


class HelperPhotoView(FrontDeskMixin, View):
    def get(self, request, pk):
        registration = get_object_or_404(HelperRegistration.objects.for_user(request.user), pk=pk)
        return FileResponse(registration.photo.open("rb"), content_type=registration.photo_content_type)


class HelperPassView(FrontDeskMixin, View):
    """The helper's printable pass: photo, name, household, pass number, authorities."""

    def get(self, request, pk):
        registration = get_object_or_404(
            HelperRegistration.objects.for_user(request.user).select_related(
                "residency__person", "residency__house__community", "registered_with"
            ),
            pk=pk,
        )
        return render(request, "visits/frontdesk/helper_pass.html", {"helper": registration})
