"""The outbox's Celery tasks: running one message, and the relay's beat task."""

from celery import shared_task

from livc.outbox import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_message(*, message_id: str) -> bool:
    return services.run(message_id)


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Hand to the broker what it did not take at once (it was down)."""
    return services.relay()


@shared_task(ignore_result=True)
def forget_done_messages() -> int:
    """Delete the messages done more than a week ago (daily)."""
    return services.forget_done()
