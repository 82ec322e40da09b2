"""Forgetting old form tokens (CELERY_BEAT_SCHEDULE, daily)."""

from celery import shared_task

from livc.submissions.services import submissions_forget


@shared_task
def forget_old_submissions() -> int:
    return submissions_forget()
