from celery import shared_task

from visits import engine, passes, services, summaries, visitors


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


@shared_task
def draft_monthly_summaries():
    """Daily, early: from the 2nd, last month's summary of each community that lacks one."""
    return summaries.draft_due_summaries()


@shared_task
def remind_monthly_summaries():
    """Office hours, hourly: summary submission/approval and 工作联系函 reply deadlines."""
    return {"summaries": summaries.remind_summaries(), "letters": summaries.remind_letters()}


@shared_task
def remind_visit_coverage():
    """Working days, morning: butlers below the month's pro-rata coverage target."""
    return summaries.remind_coverage()


@shared_task
def anonymise_visitor_entries():
    """Daily: personal fields of visitor entries past the retention period are cleared (register and history)."""
    return visitors.anonymise_expired_entries()


@shared_task
def mark_expired_passes():
    """Daily: passes past their last day show as expired in the lists (the gate computes validity itself)."""
    return passes.mark_expired_passes()
