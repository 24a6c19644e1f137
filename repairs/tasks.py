from celery import shared_task

from repairs import escalation


@shared_task
def escalate_deadlines():
    """Every minute: dispatch, arrival and completion deadlines of work orders —
    warn the technician, report to the 工程部 head, then the manager."""
    seen, steps = escalation.escalate_due()
    return {"orders": seen, "steps": steps}
