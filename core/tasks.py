"""Celery tasks of core: thin wrappers that call one service each (STYLE 7)."""

from celery import shared_task

from core import services
from core.jobs import job_lock


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_reminder(reminder_id):
    return services.deliver_reminder_once(reminder_id)


@shared_task
def warn_uncovered_calendar_years():
    return len(services.warn_uncovered_calendar_years())


@shared_task
def purge_read_reminders():
    with job_lock("core.purge_read_reminders") as acquired:
        if not acquired:
            return None
        return services.purge_read_reminders()
