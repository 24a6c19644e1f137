from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView, TemplateView

from core import dashboard, services
from core.choices import COMPANY_ADMIN
from core.middleware import SESSION_KEY
from core.models import Community, Reminder
from core.workdays import uncovered_years


def _safe_next(request, fallback="core:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


class HomeView(TemplateView):
    """Each role's start page: greeting, active community, inbox summary."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reminders = Reminder.objects.for_user(self.request.user)
        context["latest_reminders"] = list(reminders.unread().select_related("community")[:5])
        if COMPANY_ADMIN in self.request.roles:
            context["uncovered_years"] = uncovered_years()
        context["widgets"] = dashboard.widgets_for(self.request)
        return context


class InboxView(ListView):
    template_name = "core/inbox.html"
    context_object_name = "reminders"
    paginate_by = 30

    def get_queryset(self):
        qs = Reminder.objects.for_user(self.request.user).select_related("community")
        if self.request.GET.get("show") == "unread":
            qs = qs.unread()
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(Q(text__icontains=query))
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show"] = self.request.GET.get("show", "all")
        context["q"] = self.request.GET.get("q", "")
        return context


class ReminderReadView(View):
    """Mark a reminder read; with `open=1` go on to the page it is about."""

    def post(self, request, pk):
        reminder = get_object_or_404(Reminder.objects.for_user(request.user), pk=pk)
        services.mark_reminder_read(reminder, actor=request.user)
        if request.POST.get("open") and reminder.url:
            return redirect(reminder.url)
        return redirect(_safe_next(request, "core:inbox"))


class ReminderReadAllView(View):
    def post(self, request):
        count = services.mark_all_reminders_read(actor=request.user)
        messages.success(request, f"已将 {count} 条提醒标为已读。")
        return redirect("core:inbox")


class SwitchCommunityView(View):
    """Make another of the person's communities the active one."""

    def post(self, request):
        pk = request.POST.get("community", "")
        community = get_object_or_404(Community.objects.for_user(request.user), pk=int(pk) if pk.isdigit() else None)
        request.session[SESSION_KEY] = community.pk
        messages.success(request, f"已切换到「{community.name}」。")
        return redirect(_safe_next(request))
