"""Installs the apps' declared beat jobs into django-celery-beat's tables.

A job that already exists is left as it is, so a company admin's change of its
time (in the admin) survives upgrades and restarts.
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str = "0"
    hour: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"
    day_of_week: str = "*"
    description: str = ""


def declared_schedules():
    schedules = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.schedules":
                raise
            continue
        schedules.extend(getattr(module, "SCHEDULES", []))
    return schedules


def install_schedules(**kwargs):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = 0
    for schedule in declared_schedules():
        if PeriodicTask.objects.filter(name=schedule.name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=schedule.minute,
            hour=schedule.hour,
            day_of_month=schedule.day_of_month,
            month_of_year=schedule.month_of_year,
            day_of_week=schedule.day_of_week,
            timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.create(
            name=schedule.name, task=schedule.task, crontab=crontab, description=schedule.description
        )
        created += 1
    return created
