"""Invented statistics for the three demo cells: last year's four quarters and this year's quarters
before the current one, as the cells counted them before they moved into the application (the
demo's own referrals, cases and meetings add their events, this quarter's, as they happen).

The counts are drawn from a fixed seed, so every demo is the same: a few dozen referrals a
year, many of them from a handful of organisation types, so that some figures are small and
hidden, and the charts have something to show. Demostad and Hochwalden (a smaller cell) cover one
municipality each; Kempenheide three, with the meetings counted for the whole cell.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from livc.cells.demo import Demo
from livc.cells.models import Cell
from livc.statistics.models import StatEvent, StatKind
from livc.statistics.services import stat_record

SEED = 19
# Where the referrals come from, with their weights (organisation types, as `cases` lists them).
REFERRERS = {
    "school": 5, "clb": 4, "social_service": 4, "local_police": 3, "youth_service": 2,
    "prevention_service": 1, "welfare": 1, "none": 1,
}  # fmt: skip
OUTCOMES = {"retained": 5, "not_retained": 3, "redirected": 2}
# Per cell: referrals received per quarter (from, to), operational meetings per quarter.
SIZES = {"demostad": ((7, 13), 3), "kempenheide": ((5, 10), 2), "hochwalden": ((3, 7), 2)}


def _quarters() -> list[tuple[int, int]]:
    today = timezone.localdate()
    current = (today.month - 1) // 3 + 1
    return [(today.year - 1, q) for q in (1, 2, 3, 4)] + [(today.year, q) for q in range(1, current)]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@transaction.atomic
def seed(demo: Demo) -> None:
    for slug, (received, operational) in SIZES.items():
        cell = demo.cells[slug]
        if StatEvent.objects.filter(cell=cell, year=timezone.localdate().year - 1).exists():
            continue  # the demo's statistics exist already: keep them as they are
        invent_events(cell, received=received, operational=operational, seed=f"{SEED}-{slug}")


def invent_events(
    cell: Cell, *, received: tuple[int, int] = (7, 13), operational: int = 3, seed: str = ""
) -> None:
    """A cell's invented events, last year's and this year's past quarters' (the browser test's too)."""
    rng = random.Random(seed or f"{SEED}-{cell.slug}")  # noqa: S311 - invented demo data, not security
    for year, quarter in _quarters():
        _Quarter(cell, rng, year, quarter).seed(received, operational)


class _Quarter:
    """One quarter's invented events of a cell, each on a day of that quarter."""

    def __init__(self, cell: Cell, rng: random.Random, year: int, quarter: int) -> None:
        self.cell, self.rng, self.quarter = cell, rng, quarter
        first = datetime.date(year, 3 * quarter - 2, 1)
        self.days = [first + datetime.timedelta(days=offset) for offset in range(0, 88, 7)]
        self.places = list(cell.municipalities.order_by("nis_code"))

    def record(
        self, kind: str, *, detail: str = "", months: int | None = None, whole_cell: bool = False
    ) -> None:
        place = None if whole_cell else self.rng.choice(self.places)
        on = self.rng.choice(self.days)
        stat_record(cell=self.cell, kind=kind, on=on, municipality=place, detail=detail, months=months)

    def seed(self, received: tuple[int, int], operational: int) -> None:
        rng = self.rng
        for _n in range(rng.randint(*received)):
            self.record(StatKind.REFERRAL_RECEIVED, detail=_pick(rng, REFERRERS))
            outcome = _pick(rng, OUTCOMES)
            self.record(StatKind.REFERRAL_QUALIFIED, detail=outcome)
            if outcome == "retained":
                self.record(StatKind.CASE_OPENED)
                if rng.random() < 0.3:
                    self.record(StatKind.MINOR_INVOLVED)
        for _n in range(rng.randint(1, 5)):
            self.record(StatKind.CASE_CLOSED, months=rng.choice([2, 4, 7, 9, 10, 13, 15, 18, 26]))
        for kind, most in ((StatKind.EXTENSION_DECIDED, 2), (StatKind.INFORMING_DECIDED, 3)):
            for _n in range(rng.randint(0, most)):
                self.record(kind)
        for _n in range(rng.randint(0, 2)):
            self.record(StatKind.LTF_FEEDBACK_GIVEN)
        for _n in range(operational):
            self.record(StatKind.MEETING_HELD, detail="operational", whole_cell=True)
        if self.quarter in (2, 4):
            self.record(StatKind.MEETING_HELD, detail="strategic", whole_cell=True)
