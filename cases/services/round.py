"""The "known to your service?" round (docs/rules.md, rules 5 and 9): each participant seated at
a case's table may say whether the person is known to her service, for her own service only.

Never mandatory: no answer is "not stated", an answer may be taken back, and nothing else in the
application waits for one. Mayor, coordinator and information officer see every case without a
seat (`cases/services/seats.py::seat`), so they answer nothing here.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Known, KnownToService, Seat
from livc.cells.models import Membership

NOT_STATED = ""  # the form's third choice: no answer (her earlier answer, if any, is removed)


@transaction.atomic
def known_to_service_answer(*, member: Membership, case: Case, answer: str) -> KnownToService | None:
    """Record the member's answer for her service ("known" or "not known"), or remove it
    ("not stated"). The caller has checked that the member may see the case; she must sit at
    its table. Returns her answer, None when not stated."""
    seat = (
        Seat.objects.filter(case=case, participant__membership=member).select_related("participant").first()
    )
    if seat is None:
        raise PermissionDenied(
            _("Only a participant seated at this case's table answers, for her own service.")
        )
    if answer not in (*Known.values, NOT_STATED):
        raise ValidationError({"answer": _("Choose known, not known or not stated.")})
    participant = seat.participant
    if answer == NOT_STATED:
        KnownToService.objects.filter(case=case, participant=participant).delete()
        return None
    current = KnownToService.objects.select_for_update().filter(case=case, participant=participant).first()
    if current is not None:
        if current.answer != answer:
            # Dated here, not only by `auto_now`: the audit log compares before that is set.
            current.answer, current.answered_by, current.answered_at = answer, member.user, timezone.now()
            current.save()
        return current
    # Two tabs may both find no answer: the second insert waits for the first, then updates it.
    row, _created = KnownToService.objects.update_or_create(
        case=case, participant=participant, defaults={"answer": answer, "answered_by": member.user}
    )
    return row
