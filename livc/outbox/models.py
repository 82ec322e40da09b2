"""The transactional outbox: background work that a user's action starts, written in the same
transaction as the change, then handed to Celery by the relay (`livc/outbox/relay.py`).

A message names a Celery task and its keyword arguments (ids only, never personal data). It is
pending until its task has run once (`done_at`); it gives up after `MAX_ATTEMPTS` failed runs
(`failed_at`). Done messages are deleted after a week.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet["Message"]):
    def pending(self) -> "MessageQuerySet":
        """Messages whose work has neither been done nor given up."""
        return self.filter(done_at__isnull=True, failed_at__isnull=True)


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    # Optional name of the work itself: a second message with the same key is not written
    # (the weekly digest of a cell for a given week, for example).
    key = models.CharField(_("key"), max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the relay may hand it to the broker (again): now, or later after a failed run.
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    relayed_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("failed runs"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at"]
        indexes = [
            models.Index(
                fields=["due_at"], name="outbox_pending_due", condition=Q(done_at=None, failed_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.created_at:%Y-%m-%d %H:%M:%S}"
