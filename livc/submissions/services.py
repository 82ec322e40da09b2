"""Claiming a form's one-time token, and what became of it. Used by
`livc/submissions/decorators.py::once_per_submission`, inside the transaction of the view."""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from livc.accounts.models import User
from livc.submissions.models import Submission

FIELD = "submission_token"  # the hidden field of every form that creates or records something
KEPT_FOR = datetime.timedelta(days=1)  # after this, a token is forgotten (a daily task)


def parse_token(value: object) -> uuid.UUID | None:
    """The posted token, or None when it is absent or not a UUID (then nothing is checked)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def submission_claim(*, token: uuid.UUID, user: User) -> bool:
    """Insert the token, in a savepoint of the caller's transaction; False if it was there already.

    On PostgreSQL a second request with the same token waits here until the first one's
    transaction ends: it then finds the row (the first succeeded) or claims it (it did not).
    """
    try:
        with transaction.atomic():
            Submission.objects.create(token=token, user=user)
    except IntegrityError:
        return False
    return True


def submission_done(*, token: uuid.UUID, result: str) -> None:
    """The view did what the form asked; `result` is where it led."""
    Submission.objects.filter(token=token).update(result=result)


def submission_release(*, token: uuid.UUID) -> None:
    """The view refused the form (errors to correct): the same token may be sent again."""
    Submission.objects.filter(token=token).delete()


def submission_get(*, token: uuid.UUID) -> Submission | None:
    return Submission.objects.filter(token=token).first()


def submissions_forget(*, now: datetime.datetime | None = None) -> int:
    """Delete the tokens older than `KEPT_FOR` (daily task). Returns how many."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    deleted, _per_model = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
