"""The outbox's Celery tasks: running one message, and the relay's beat task."""

from celery import shared_task

from livc.outbox import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_message(*, message_id: str) -> bool:
    return services.run(message_id)


@shared_task(ignore_result=True)
def relay_outbox() -> int:
    """Hand to the broker what it did not take at once (it was down), and tidy up."""
    handed = services.relay()
    services.forget_done()
    return handed
