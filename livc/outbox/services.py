"""Writing to the outbox, relaying it to Celery, and running a message's task exactly once.

- `enqueue` writes a message in the caller's transaction: the work exists if and only if the
  change that asked for it was committed. Once the transaction commits, the relay hands it to
  the broker at once; when the broker is unreachable the user's action still succeeds and the
  message waits.
- `relay` hands due messages to the broker (after each commit, and from the `relay_outbox` beat
  task every `OUTBOX_RELAY_SECONDS` until the broker took them). A message handed over but not
  done after `OUTBOX_REDELIVER_AFTER` is handed over again (a lost worker).
- `run` is what the worker does with a message: under the message's row lock, it runs the task
  unless the message is already done, and marks it done in the same transaction. A relay killed
  between handing over and marking, or a message delivered twice, therefore runs its task once.
"""

import logging
from datetime import timedelta
from typing import Any

from celery import Task, current_app
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from livc.outbox.models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # failed runs before a message is given up (about 2 hours of back-off)
OUTBOX_REDELIVER_AFTER = timedelta(minutes=15)
KEEP_DONE_FOR = timedelta(days=7)
RELAY_BATCH = 500


def enqueue(task: Task, *, key: str | None = None, **kwargs: Any) -> Message | None:
    """Write `task(**kwargs)` to the outbox in the current transaction; relay it after commit.

    Arguments are ids (strings or integers), never personal data. With a `key`, a message of
    the same key that already exists is kept and nothing new is written (None is returned)."""
    if key is not None:
        try:
            with transaction.atomic():
                message = Message.objects.create(task=task.name, kwargs=kwargs, key=key)
        except IntegrityError:
            if Message.objects.filter(key=key).exists():
                return None
            raise
    else:
        message = Message.objects.create(task=task.name, kwargs=kwargs)
    message_id = message.pk
    transaction.on_commit(lambda: relay(message_ids=[message_id]))
    return message


def relay(*, message_ids: list[Any] | None = None) -> int:
    """Hand due messages (or the given ones) to the broker; returns how many it took.

    Each message is locked (skipped when another relay holds it), published and marked in its
    own transaction. The first broker error ends the run: the rest waits for the next one."""
    now = timezone.now()
    due = Message.objects.pending().filter(
        Q(relayed_at__isnull=True, due_at__lte=now) | Q(relayed_at__lt=now - OUTBOX_REDELIVER_AFTER)
    )
    if message_ids is not None:
        due = due.filter(pk__in=message_ids)
    handed = 0
    for message_id in list(due.order_by("due_at").values_list("pk", flat=True)[:RELAY_BATCH]):
        with transaction.atomic():
            message = (
                Message.objects.select_for_update(skip_locked=True).pending().filter(pk=message_id).first()
            )
            if message is None:
                continue  # another relay holds it, or its task ran meanwhile
            try:
                _publish(message)
            except Exception as error:  # the broker is unreachable: the message waits
                logger.warning(
                    "Outbox: the broker did not take message %s (%s); it waits for the next relay.",
                    message_id,
                    type(error).__name__,
                )
                break
            # Not when the task already ran and failed (in-process without a broker): that run
            # made the message due again later.
            Message.objects.filter(pk=message_id, attempts=message.attempts).update(relayed_at=timezone.now())
        handed += 1
    return handed


RUN_MESSAGE = "livc.outbox.tasks.run_message"  # registered when the app is ready (apps.py)


def _publish(message: Message) -> None:
    current_app.tasks[RUN_MESSAGE].apply_async(kwargs={"message_id": str(message.pk)}, retry=False)


def run(message_id: str) -> bool:
    """Run a message's task once; True when it ran now. A failure is recorded and retried later
    with a growing delay, up to `MAX_ATTEMPTS` runs."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.done_at is not None or message.failed_at is not None:
            return False
        try:
            task = current_app.tasks[message.task]
            with transaction.atomic():
                task.run(**message.kwargs)
        except Exception as error:
            _record_failure(message, error)
            return False
        message.done_at = timezone.now()
        message.save(update_fields=["done_at"])
        return True


def _record_failure(message: Message, error: Exception) -> None:
    now = timezone.now()
    message.attempts += 1
    message.last_error = type(error).__name__[:200]
    message.relayed_at = None
    if message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
        logger.error("Outbox: %s gave up after %d runs.", message, message.attempts, exc_info=error)
    else:
        message.due_at = now + timedelta(minutes=2**message.attempts)
        logger.warning(
            "Outbox: %s failed (run %d); retried later.", message, message.attempts, exc_info=error
        )
    message.save(update_fields=["attempts", "last_error", "relayed_at", "failed_at", "due_at"])


def forget_done() -> int:
    """Delete messages done more than `KEEP_DONE_FOR` ago; returns how many."""
    deleted, _ = Message.objects.filter(done_at__lt=timezone.now() - KEEP_DONE_FOR).delete()
    return deleted
