"""The informing register (rule 13): a state machine whose state is the latest entry.

`informing_open` is the only way to `decided` (to be informed), and it is called only by the
meetings app when a decision to inform the person becomes valid
(`meetings/services/decisions.py::_carry_out`): every participant present agreed and the
information officer did not object. `informing_record` writes `informed` only when the register
stands at `decided`, in the name of the person who informed, on a day between the decision and
today; it writes `deferred` at any time, with a reason and a review date. Nothing else writes the
register. Recording `informed` carries out, in the informer's name, the uses of items the decision
listed whose owners consented (`cases/services/uses.py::uses_carry_out`): no other item was used.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case, InformingEntry, InformingKind
from cases.models.informing import INFORMING_KEEPERS, INFORMING_NEXT
from cases.models.use import UseKind
from cases.services import uses as use_services
from livc.cells.models import Membership
from livc.db import unique_or_error


def informing_current(*, case: Case) -> InformingEntry | None:
    """The latest entry: the state of informing for the case (None: nothing decided yet)."""
    return InformingEntry.objects.filter(case=case).order_by("-recorded_at").first()


def informing_may_inform(entry: InformingEntry | None) -> bool:
    return entry is not None and InformingKind.INFORMED in INFORMING_NEXT[entry.kind]


def _locked_case(member: Membership, case: Case) -> Case:
    """The case, locked: two keepers writing the register at once are served one after the other."""
    return Case.objects.select_for_update().get(pk=case.pk, cell=member.cell)


@transaction.atomic
def informing_open(
    *, member: Membership, case: Case, decision_id: uuid.UUID, decided_on: datetime.date
) -> InformingEntry:
    """A decision to inform the person has become valid: the person is now to be informed.

    Called by the meetings app only (it owns the decision and its validity); opening twice for
    the same decision returns the first entry."""
    case = _locked_case(member, case)
    existing = InformingEntry.objects.filter(case=case, decision_id=decision_id, kind=InformingKind.DECIDED)
    if (entry := existing.first()) is not None:
        return entry
    return InformingEntry.objects.create(
        cell=member.cell,
        case=case,
        kind=InformingKind.DECIDED,
        decision_id=decision_id,
        decided_on=decided_on,
        recorded_by=member.user,
    )


@transaction.atomic
def informing_record(
    *,
    member: Membership,
    case: Case,
    kind: str,
    informed_on: datetime.date | None = None,
    message: str = "",
    deferral_reason: str = "",
    review_on: datetime.date | None = None,
) -> InformingEntry:
    """Record that `member` informed the person (after a valid decision), or defer informing."""
    member.require_role(*INFORMING_KEEPERS)
    case = _locked_case(member, case)
    current = informing_current(case=case)
    if kind == InformingKind.INFORMED:
        return _informed(member, case, current, informed_on, message)
    if kind == InformingKind.DEFERRED:
        return _deferred(member, case, current, deferral_reason, review_on)
    raise ValidationError({"kind": _("Choose informed or deferred.")})


def _informed(
    member: Membership,
    case: Case,
    current: InformingEntry | None,
    informed_on: datetime.date | None,
    message: str,
) -> InformingEntry:
    if not informing_may_inform(current):
        raise ValidationError(_refusal(current))
    assert current is not None
    assert current.decided_on is not None  # a database constraint of `decided`
    today = timezone.localdate()
    errors = {}
    if informed_on is None:
        errors["informed_on"] = _("Give the date the person was informed.")
    elif informed_on > today:
        errors["informed_on"] = _("The date the person was informed cannot be in the future.")
    elif informed_on < current.decided_on:
        errors["informed_on"] = _(
            "The table decided to inform the person on %(date)s: the person cannot have been informed before."
        ) % {"date": date_format(current.decided_on, "DATE_FORMAT")}
    if not message.strip():
        errors["message"] = _("Record what was said: no more than that the person was discussed.")
    if errors:
        raise ValidationError(errors)
    # The same decision carried out twice (the case lock serialises; the constraint is the floor).
    already = ValidationError(_("That the person was informed has been recorded already."))
    with unique_or_error(InformingEntry, {"informing_once_per_decision": already}):
        entry = InformingEntry.objects.create(
            cell=member.cell,
            case=case,
            kind=InformingKind.INFORMED,
            decision_id=current.decision_id,
            informed_on=informed_on,
            informed_by=member.user,
            message=message.strip(),
            recorded_by=member.user,
        )
    if entry.decision_id is not None:  # the items the decision listed, as far as their owners consented
        use_services.uses_carry_out(member=member, decision_id=entry.decision_id, kind=UseKind.INFORMING)
    return entry


def _refusal(current: InformingEntry | None) -> str:
    if current is not None and current.kind == InformingKind.INFORMED:
        return _("That the person was informed has been recorded already.")
    if current is not None and current.kind == InformingKind.DEFERRED:
        return _(
            "Informing the person is deferred: the person may be informed only after a new decision of "
            "the table."
        )
    return _(
        "The table has not decided to inform the person: that needs the agreement of every participant "
        "present and no objection from the information officer."
    )


def _deferred(
    member: Membership,
    case: Case,
    current: InformingEntry | None,
    deferral_reason: str,
    review_on: datetime.date | None,
) -> InformingEntry:
    errors = {}
    if not deferral_reason.strip():
        errors["deferral_reason"] = _("Give the reason for deferring.")
    if review_on is None or review_on <= timezone.localdate():
        errors["review_on"] = _("Choose a review date after today.")
    if errors:
        raise ValidationError(errors)
    if (
        current is not None
        and current.kind == InformingKind.DEFERRED
        and current.recorded_by_id == member.user_id
        and current.review_on == review_on
        and current.deferral_reason == deferral_reason.strip()
    ):
        return current  # the same deferral sent twice: recorded once
    return InformingEntry.objects.create(
        cell=member.cell,
        case=case,
        kind=InformingKind.DEFERRED,
        deferral_reason=deferral_reason.strip(),
        review_on=review_on,
        recorded_by=member.user,
    )
