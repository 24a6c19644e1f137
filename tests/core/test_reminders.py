"""The reminders inbox: raised once, badge, mark read, e-mail once, clean-up (issue 3 §8)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import services
from core.models import Reminder
from tests.factories import ReminderFactory

pytestmark = pytest.mark.django_db


def test_same_key_raises_a_reminder_once(butler1, community):
    first = services.raise_reminder(recipient=butler1, kind="t", text="回访到期", key="k1", about=community)
    second = services.raise_reminder(recipient=butler1, kind="t", text="回访到期", key="k1", about=community)
    assert first is not None and second is None
    assert Reminder.objects.filter(recipient=butler1).count() == 1
    assert first.about == community


def test_same_key_reaches_each_recipient(butler1, butler2):
    raised = services.raise_reminders(recipients=[butler1, butler2], kind="t", text="x", key="k")
    assert len(raised) == 2


def test_badge_shows_unread_count(client_for, butler1):
    ReminderFactory.create_batch(3, recipient=butler1)
    ReminderFactory(recipient=butler1, read_at=timezone.now())
    html = client_for(butler1).get(reverse("core:home")).content.decode()
    assert re.search(r'id="inbox-badge">3<', html)


def test_inbox_lists_own_reminders_newest_first(client_for, butler1, butler2):
    ReminderFactory(recipient=butler1, text="较早的提醒")
    ReminderFactory(recipient=butler1, text="最新的提醒")
    ReminderFactory(recipient=butler2, text="别人的提醒")
    html = client_for(butler1).get(reverse("core:inbox")).content.decode()
    assert html.index("最新的提醒") < html.index("较早的提醒")
    assert "别人的提醒" not in html


def test_inbox_query_count_does_not_grow_with_rows(client_for, butler1, community):
    client = client_for(butler1)
    ReminderFactory(recipient=butler1, community=community)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("core:inbox")).status_code == 200
    ReminderFactory.create_batch(24, recipient=butler1, community=community)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("core:inbox")).content.decode().count("reminder-unread") == 25
    assert len(many.captured_queries) == len(one.captured_queries)


def test_mark_read_and_open(client_for, butler1):
    reminder = ReminderFactory(recipient=butler1, url="/inbox/?from=reminder")
    response = client_for(butler1).post(reverse("core:reminder_read", args=[reminder.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/inbox/?from=reminder"
    reminder.refresh_from_db()
    assert reminder.is_read


def test_cannot_mark_someone_elses_reminder(client_for, butler1, butler2):
    reminder = ReminderFactory(recipient=butler2)
    response = client_for(butler1).post(reverse("core:reminder_read", args=[reminder.pk]))
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert not reminder.is_read


def test_mark_all_read_touches_only_own(client_for, butler1, butler2):
    ReminderFactory.create_batch(2, recipient=butler1)
    other = ReminderFactory(recipient=butler2)
    client_for(butler1).post(reverse("core:reminder_read_all"))
    assert not Reminder.objects.for_user(butler1).unread().exists()
    other.refresh_from_db()
    assert not other.is_read


def test_email_sent_once_after_commit(butler1, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminder = services.raise_reminder(recipient=butler1, kind="t", text="投诉即将超时", key="mail")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [butler1.email]
    assert "投诉即将超时" in mailoutbox[0].subject
    # A retried task sends nothing more.
    assert services.deliver_reminder_once(reminder.pk) is False
    assert len(mailoutbox) == 1


def test_no_email_without_address(butler1, mailoutbox, django_capture_on_commit_callbacks):
    butler1.email = ""
    butler1.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.raise_reminder(recipient=butler1, kind="t", text="x", key="nomail")
    assert callbacks == [] and mailoutbox == []


def test_sms_backend_plugs_in(butler1, settings, django_capture_on_commit_callbacks, caplog):
    settings.SMS_BACKEND = "core.notify.ConsoleSmsBackend"
    butler1.mobile = "13800138000"
    butler1.save()
    with caplog.at_level("INFO", logger="core.notify"), django_capture_on_commit_callbacks(execute=True):
        services.raise_reminder(recipient=butler1, kind="t", text="短信提醒", key="sms")
    assert "SMS to 13800138000: 短信提醒" in caplog.text


def test_failed_delivery_is_given_back_for_retry(butler1, monkeypatch):
    reminder = ReminderFactory(recipient=butler1)

    def boom(_):
        raise OSError("smtp down")

    monkeypatch.setattr("core.notify.deliver", boom)
    with pytest.raises(OSError):
        services.deliver_reminder_once(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.delivered_at is None


def test_purge_removes_only_old_read_reminders(butler1, settings):
    settings.REMINDER_READ_RETENTION_DAYS = 30
    now = timezone.now()
    old_read = ReminderFactory(recipient=butler1, read_at=now - dt.timedelta(days=31))
    recent_read = ReminderFactory(recipient=butler1, read_at=now - dt.timedelta(days=29))
    old_unread = ReminderFactory(recipient=butler1)
    Reminder.objects.filter(pk=old_unread.pk).update(created_at=now - dt.timedelta(days=400))
    assert services.purge_read_reminders(now=now) == 1
    assert services.purge_read_reminders(now=now) == 0
    remaining = set(Reminder.objects.values_list("pk", flat=True))
    assert remaining == {recent_read.pk, old_unread.pk}
    assert old_read.pk not in remaining


def test_calendar_warning_reaches_company_admins_once_a_week(company_admin, butler1):
    first = services.warn_uncovered_calendar_years(today=dt.date(2026, 12, 1))
    again = services.warn_uncovered_calendar_years(today=dt.date(2026, 12, 2))
    assert [r.recipient for r in first] == [company_admin]
    assert again == []
    assert "2027年" in first[0].text
    next_week = services.warn_uncovered_calendar_years(today=dt.date(2026, 12, 8))
    assert len(next_week) == 1
    assert not Reminder.objects.filter(recipient=butler1).exists()


def test_no_calendar_warning_when_covered(company_admin):
    assert services.warn_uncovered_calendar_years(today=dt.date(2026, 11, 23)) == []


def test_home_shows_calendar_warning_to_admin_only(client, company_admin, manager, time_machine_2027):
    client.force_login(company_admin)
    assert "calendar-warning" in client.get(reverse("core:home")).content.decode()
    client.force_login(manager)
    assert "calendar-warning" not in client.get(reverse("core:home")).content.decode()


@pytest.fixture
def time_machine_2027(monkeypatch):
    monkeypatch.setattr("core.views.pages.uncovered_years", lambda: [2027])
