from celery import shared_task

from residents import importing, services


@shared_task
def run_import(job_id):
    job = importing.run_import(job_id)
    return job.status if job else None


@shared_task
def clear_expired_absences():
    return services.clear_expired_absences()
