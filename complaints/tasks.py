from celery import shared_task

from complaints import escalation


@shared_task
def escalate_deadlines():
    """Every few minutes: warn owners near the 24/48-hour deadlines, report overdue
    complaints to the supervisor and, after 48 hours, to the manager."""
    seen, steps = escalation.escalate_due()
    return {"complaints": seen, "steps": steps}
