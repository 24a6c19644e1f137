"""The front desk: register a walk-in visitor (keyboard first), today's board with
one-click exit, the watchlist and its overrides, incidents, settings.

Butlers may read the board for their own zone's households."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.choices import Role
from core.permissions import RoleRequiredMixin
from residents.models import House
from residents.selectors import house_suggestions
from visits import visitors
from visits.choices import EntryStatus
from visits.frontdesk_forms import (
    EntryRestrictionForm,
    FrontDeskSettingsForm,
    IncidentForm,
    RestrictionForm,
    VisitorEntryForm,
)
from visits.models import FrontDeskSettings, VisitorEntry, VisitorRestriction

READERS = (*visitors.CLERKS, Role.BUTLER)


def _first_error(error):
    if hasattr(error, "message_dict"):
        return next(iter(error.message_dict.values()))[0]
    return error.messages[0] if hasattr(error, "messages") else str(error)


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
                    for field, problems in error.message_dict.items():
                        target = field if field in form.fields else None
                        form.add_error(target, problems[0])
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
    def get(self, request):
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
            messages.error(request, _first_error(error))
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
            messages.error(request, _first_error(error))
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
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems[0])
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
