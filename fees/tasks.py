from celery import shared_task

from fees import statements


@shared_task
def draft_statements():
    """Daily: from the 28th, next month's statements for every billable house."""
    return {"drafted": statements.draft_due_statements()}


@shared_task
def open_collection_rounds():
    """Daily: open the collection round whose window today is in (once per community)."""
    from fees import collection

    return {"opened": collection.open_due_rounds(), "solved": collection.remind_after_service_problems()}


@shared_task
def remind_statements_and_promises():
    """Daily: statements unclaimed after 14 days; promised payment dates missed."""
    return {"reminded": statements.remind_due()}


@shared_task
def flag_unprofitable_services():
    """Daily: 便民服务 below break-even remind the managers, once per service and month."""
    from fees import convenience

    return {"reminded": convenience.flag_unprofitable()}
