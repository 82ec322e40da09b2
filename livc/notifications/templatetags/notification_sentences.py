from django import template
from django.utils.functional import Promise

from livc.notifications.models import Notification
from livc.notifications.sentences import sentence

register = template.Library()


@register.filter
def notification_sentence(notification: Notification) -> str | Promise:
    """What the notification says (`livc/notifications/sentences.py`)."""
    return sentence(notification)
