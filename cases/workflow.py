"""A case's allowed status changes. Closing needs a reason; a closed case can be reopened."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus as S

ALLOWED_STATUS_CHANGES: frozenset[tuple[str, str]] = frozenset(
    {
        (S.OPEN, S.FOLLOW_UP),  # a follow-up plan was agreed
        (S.OPEN, S.CLOSED),
        (S.FOLLOW_UP, S.CLOSED),
        (S.FOLLOW_UP, S.OPEN),  # the follow-up stopped; back to assessment
        (S.CLOSED, S.OPEN),  # reopened
    }
)

NEEDS_REASON = frozenset({S.CLOSED})


def assert_transition(current: str, new: str) -> None:
    if (current, new) not in ALLOWED_STATUS_CHANGES:
        raise ValidationError(
            _("A case that is “%(current)s” cannot become “%(new)s”."),
            params={"current": S(current).label, "new": S(new).label},
            code="transition",
        )


def allowed_next(current: str) -> list[str]:
    return [new for (old, new) in sorted(ALLOWED_STATUS_CHANGES) if old == current]
