"""Beat jobs live in django-celery-beat's tables, editable by a company admin (issue 3 §9)."""

import pytest
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from config.celery import app
from core.beat import declared_schedules, install_schedules

pytestmark = pytest.mark.django_db


def test_declared_jobs_are_installed_by_migrate():
    names = {s.name for s in declared_schedules()}
    assert {"日历：未录入年度放假安排提醒", "消息：清理已读旧提醒"} <= names
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    installed = PeriodicTask.objects.filter(name__in=names)
    assert installed.count() == len(names)
    for task in installed:
        assert task.task in app.tasks, task.task
        assert str(task.crontab.timezone) == "Asia/Shanghai"


def test_admin_change_survives_reinstall():
    task = PeriodicTask.objects.get(name="消息：清理已读旧提醒")
    task.crontab = CrontabSchedule.objects.create(minute="15", hour="4", timezone="Asia/Shanghai")
    task.save()
    assert install_schedules() == 0
    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour) == ("15", "4")


def test_deleted_job_comes_back():
    PeriodicTask.objects.filter(name="消息：清理已读旧提醒").delete()
    assert install_schedules() == 1
