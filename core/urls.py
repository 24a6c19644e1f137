from django.urls import path

from core.views import health, pages

app_name = "core"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("inbox/", pages.InboxView.as_view(), name="inbox"),
    path("inbox/<int:pk>/read/", pages.ReminderReadView.as_view(), name="reminder_read"),
    path("inbox/read-all/", pages.ReminderReadAllView.as_view(), name="reminder_read_all"),
    path("community/switch/", pages.SwitchCommunityView.as_view(), name="switch_community"),
    path("healthz", health.healthz, name="healthz"),
]
