"""The invitation's allowed status changes, and who may make each one. Nothing else is allowed."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participants.models import InvitationStatus as S

COORDINATOR, MAYOR, INVITEE, SYSTEM = "coordinator", "mayor", "invitee", "system"

ALLOWED_STATUS_CHANGES: dict[tuple[str, str], frozenset[str]] = {
    (S.DRAFT, S.PENDING): frozenset({COORDINATOR}),  # proposed to the mayor
    (S.DRAFT, S.WITHDRAWN): frozenset({COORDINATOR}),
    (S.PENDING, S.SENT): frozenset({MAYOR}),  # approved: only now is the link sent
    (S.PENDING, S.REJECTED): frozenset({MAYOR}),
    (S.PENDING, S.WITHDRAWN): frozenset({COORDINATOR}),
    (S.SENT, S.SENT): frozenset({COORDINATOR}),  # sent again with a new link; the old one dies
    (S.SENT, S.ACCEPTED): frozenset({INVITEE}),
    (S.SENT, S.DECLINED): frozenset({INVITEE}),
    (S.SENT, S.EXPIRED): frozenset({SYSTEM}),
    (S.SENT, S.WITHDRAWN): frozenset({COORDINATOR}),
    (S.EXPIRED, S.SENT): frozenset({COORDINATOR}),  # the mayor's approval still stands
}


class TransitionRefused(ValidationError):
    pass


def assert_transition(current: str, new: str, actor: str) -> None:
    allowed = ALLOWED_STATUS_CHANGES.get((current, new))
    if allowed is None:
        raise TransitionRefused(
            _("An invitation that is “%(current)s” cannot become “%(new)s”."),
            params={"current": S(current).label, "new": S(new).label},
            code="transition",
        )
    if actor not in allowed:
        raise TransitionRefused(
            _("Only %(who)s can do this."),
            params={"who": _ACTOR_NAMES[next(iter(sorted(allowed)))]},
            code="actor",
        )


_ACTOR_NAMES = {
    COORDINATOR: _("the coordinator"),
    MAYOR: _("a mayor of the cell"),
    INVITEE: _("the invitee"),
    SYSTEM: _("the system"),
}
