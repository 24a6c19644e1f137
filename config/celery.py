"""The Celery app. Workers and beat load Django settings (namespace CELERY_*).

Schedules live in the database (django-celery-beat); each app declares its
jobs in `<app>/schedules.py` and `core` installs missing ones after migrate,
so a company admin's edits in the admin are never overwritten.
"""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("wuye")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_broker_folders(sender, **kwargs):
    """The filesystem broker (no Redis) needs its folders before the first message."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
