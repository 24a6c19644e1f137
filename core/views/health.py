from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down" for a health probe
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_status():
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@login_not_required
@never_cache
def healthz(request):
    """200 with database and broker status; 503 when the database is down."""
    database = _database_status()
    payload = {"database": database, "broker": _broker_status()}
    return JsonResponse(payload, status=200 if database == "ok" else 503)
