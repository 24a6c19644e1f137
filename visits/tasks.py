from celery import shared_task

from visits import engine, services


@shared_task
def raise_return_visits():
    """Hourly: create due return visits (archive triggers) and remind assignees."""
    return {"created": engine.scan_archive_triggers(), "reminded": engine.remind_return_visits()}


@shared_task
def remind_follow_ups():
    return services.remind_follow_ups()


@shared_task
def flag_late_visits():
    return services.flag_late_visits()
