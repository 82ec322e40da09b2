"""Recording the anonymous statistics events (`livc/statistics/models.py`, docs/rules.md).

`stat_record` is called by the service that makes the change it counts, inside the same
transaction: an event is written exactly when the change is, and a refused or rolled-back
change leaves none. Each such service guards its change (a referral is qualified once, a case
is closed once...), so a double submit or a retried transaction does not count twice.
"""

import datetime

from livc.cells.models import Cell, Municipality
from livc.statistics import categories
from livc.statistics.models import StatEvent, StatKind


def quarter_of(on: datetime.date) -> int:
    return (on.month - 1) // 3 + 1


def stat_record(
    *,
    cell: Cell,
    kind: str,
    on: datetime.date,
    municipality: Municipality | None = None,
    detail: str = "",
    months: int | None = None,
) -> StatEvent:
    """Count one happening of `kind` in `cell` on the (local) day `on`.

    `detail` is a category from the kind's closed list (`livc/statistics/categories.py`), never
    free text; `months` is a closed case's duration and only that. Raises ValueError for a
    value outside these lists: it is the calling code's mistake, not the user's. The
    municipality is the referral's, which its service checked to be one of the cell's.
    """
    if kind not in StatKind.values:
        raise ValueError(f"Unknown statistics kind {kind!r}.")
    if not categories.is_allowed(kind, detail):
        raise ValueError(f"{detail!r} is not a category of the statistics kind {kind!r}.")
    if months is not None and (kind != StatKind.CASE_CLOSED or months < 0):
        raise ValueError("Only a closed case carries a duration, of zero months or more.")
    event = StatEvent(
        cell=cell,
        municipality=municipality,
        kind=kind,
        detail=detail,
        months=months,
        year=on.year,
        quarter=quarter_of(on),
    )
    event.save()
    return event


def whole_months(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end` (31 January to 28 February: none; to 3 March: one)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)
