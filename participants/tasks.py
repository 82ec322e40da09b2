"""Scheduled work for invitations. (Sending an invitation's e-mail is `participants.mail`.)"""

from celery import shared_task

from participants import services


@shared_task
def expire_invitations() -> int:
    return services.invitations_expire()
