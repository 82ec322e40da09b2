"""The audit chains' Celery tasks: sealing (beat, every 5 seconds), extending every chain's
verification (beat, every 5 minutes), and the full verification a DPO asks for (through the
outbox). Arguments are ids only."""

from celery import shared_task

from livc.audit import chain
from livc.audit.models import ChainVerification


@shared_task(ignore_result=True)
def seal_audit_chains() -> int:
    """Seal the entries waiting in every chain; a chain another sealer holds is left to it."""
    return chain.seal_all_pending()


@shared_task(ignore_result=True)
def extend_audit_verification() -> int:
    """Verify every chain's entries since its last checkpoint; returns how many broken chains."""
    return sum(not status.ok for status in chain.extend_all_verifications())


@shared_task(ignore_result=True)
def verify_chain_fully(*, verification_id: int) -> bool:
    """Run the full verification a DPO asked for (`ChainVerification` waiting for it), once."""
    verification = ChainVerification.objects.filter(pk=verification_id, finished_at__isnull=True).first()
    if verification is None:
        return False
    return chain.verify_full(verification.key, verification=verification).ok
