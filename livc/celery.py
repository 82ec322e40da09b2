"""The Celery app: broker from REDIS_URL, static beat schedule from settings.CELERY_BEAT_SCHEDULE.

Without REDIS_URL, settings make every task run in-process (CELERY_TASK_ALWAYS_EAGER).
Task arguments and results pass through Redis: ids only, never personal data.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livc.settings.dev")

app = Celery("livc", include=["livc.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
