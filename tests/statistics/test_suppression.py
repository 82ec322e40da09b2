"""Small-number suppression (`livc/statistics/suppression.py`): counts 1 to 4 show as "< 5", and no
hidden count can be worked out from any combination of the figures the report shows.

The proof is independent of the algorithm's own certificates: for the report's tables built from
many random event sets (hypothesis), every sum the tables publish is set up again here, from what
the tables mean, as a linear equation over the report's figures: a kind's quarters add up to its
year, a kind's categories (organisation types, outcomes, durations, tables) add up to the kind in
every quarter and the year, and a joint cell's municipality columns (with the column of the cell's
own) add up to the whole cell. The shown figures are fixed; each hidden one is an integer unknown
between 1 and 4 for a "< 5" and between 0 and the grand total for the other mark. Exact integer
optimisation (HiGHS through `scipy.optimize.milp`) then maximises, and if need be minimises, each
hidden figure: it must reach a second value. Each solution found is checked again in exact integer
arithmetic, and proves a second value for every figure it changes, which spares most solves.
"""

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from livc.cells.models import Cell, Municipality
from livc.statistics import categories
from livc.statistics.models import StatKind
from livc.statistics.selectors import ALL, HIDDEN_TEXT, QUARTERS, SMALL_TEXT, YEAR, Report, report_of
from livc.statistics.suppression import SMALL_MAX, Dimension, Mark, aggregate, suppress

# --- The independent check ---------------------------------------------------------------------------


def published_sums(report: Report) -> Iterator[tuple[tuple, list[tuple]]]:
    """(total, parts) for every sum the report's tables publish, from what the tables mean."""
    categories_ = {category for category, *_rest in report.values}
    places = sorted({key[2] for key in report.values}, key=str) if report.joint else [None]
    periods = [*QUARTERS, YEAR]

    def key(category, period, place):
        return (category, period) if place is None else (category, period, place)

    for place in places:
        for category in categories_:
            yield key(category, YEAR, place), [key(category, q, place) for q in QUARTERS]
        for kind in StatKind:
            parts = [c for c in categories_ if c[0] == kind and c[1] != ""]
            if parts:
                for period in periods:
                    yield key((kind, ""), period, place), [key(c, period, place) for c in parts]
    if report.joint:
        for category in categories_:
            for period in periods:
                yield key(category, period, ALL), [key(category, period, p) for p in places if p != ALL]


def grand_total(report: Report) -> int:
    """Every event of the report: the kinds' years added up (of the whole cell, for a joint one)."""
    return sum(
        report.values[((kind, ""), YEAR, ALL) if report.joint else ((kind, ""), YEAR)] for kind in StatKind
    )


def second_value_missing(
    values: Mapping[tuple, int],
    marks: Mapping[tuple, Mark],
    sums: Sequence[tuple[tuple, list[tuple]]],
    ceiling: int,
) -> list[tuple]:
    """The hidden figures that the shown ones and the sums pin down to one value (should be none);
    a "< 5" is from 1 to 4, another hidden figure from 0 to `ceiling`."""
    hidden = [key for key in values if marks[key] != Mark.SHOWN]
    if not hidden:
        return []
    index = {key: i for i, key in enumerate(hidden)}
    rows, cols, data, rhs = [], [], [], []
    for total, parts in sums:
        row = len(rhs)
        known = 0
        for key, sign in [(total, -1), *((part, 1) for part in parts)]:
            if key in index:
                rows.append(row), cols.append(index[key]), data.append(sign)
            else:
                known += sign * values[key]
        if rows and rows[-1] == row:
            rhs.append(-known)
        else:
            assert known == 0, (total, parts)  # a sum of shown figures holds as shown
    equations = coo_array((data, (rows, cols)), shape=(len(rhs), len(hidden))).tocsr()
    low = np.array([1 if marks[key] == Mark.SMALL else 0 for key in hidden])
    high = np.array([SMALL_MAX if marks[key] == Mark.SMALL else ceiling for key in hidden])
    truth = np.array([values[key] for key in hidden])
    constraints = [LinearConstraint(equations, rhs, rhs)] if rhs else []

    def feasible_other(objective: np.ndarray) -> np.ndarray | None:
        result = milp(
            objective, integrality=np.ones(len(hidden)), bounds=Bounds(low, high), constraints=constraints
        )
        assert result.status == 0, result.message  # the true figures are a solution: never infeasible
        solution = np.rint(result.x).astype(int)
        exact = all(low <= solution) and all(solution <= high)
        exact = exact and (not rhs or list(equations @ solution) == rhs)
        return solution if exact else None

    proven: set[int] = set()
    missing = []
    for i, key in enumerate(hidden):
        if i in proven:
            continue
        for sense in (-1, 1):  # the largest value, then the smallest
            objective = np.zeros(len(hidden))
            objective[i] = sense
            solution = feasible_other(objective)
            if solution is not None:
                proven.update(np.flatnonzero(solution != truth).tolist())
            if i in proven:
                break
        else:
            missing.append(key)
    return missing


# --- Reports from random events ----------------------------------------------------------------------

PLACES = [
    Municipality(pk=pk, nis_code=f"9910{pk}", name_nl=name)
    for pk, name in ((1, "Eikel"), (2, "Berkel"), (3, "Wilgen"))
]


def kinds_and_details() -> st.SearchStrategy:
    def of(kind: str) -> st.SearchStrategy:
        if kind == StatKind.CASE_CLOSED:
            return st.tuples(st.just(kind), st.just(""), st.one_of(st.none(), st.integers(0, 40)))
        listed = sorted(categories.categories(kind))
        detail = st.sampled_from(listed) if listed else st.just("")
        return st.tuples(st.just(kind), detail, st.none())

    return st.one_of(*(of(kind) for kind in StatKind.values))


events = st.lists(
    st.tuples(kinds_and_details(), st.integers(1, 4), st.sampled_from([None, 1, 2, 3]), st.integers(1, 8)),
    max_size=70,
)


def report_from(drawn, joint: bool) -> Report:
    counts: Counter = Counter()
    for (kind, detail, months), quarter, place, n in drawn:
        counts[(kind, detail, months, quarter, place if joint else None)] += n
    cell = Cell(name="LIVC-R Proef", slug="proef")
    municipalities = PLACES if joint else PLACES[:1]
    rows = [(*key, n) for key, n in counts.items()]
    return report_of(cell=cell, year=2026, counts=rows, municipalities=municipalities)


SETTINGS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same event sets on every run: a failure is reproduced, never a flake
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@SETTINGS
@given(drawn=events, joint=st.booleans())
def test_no_hidden_figure_of_the_report_can_be_worked_out(drawn, joint):
    report = report_from(drawn, joint)
    sums = list(published_sums(report))
    assert second_value_missing(report.values, report.marks, sums, grand_total(report)) == []
    for key, value in report.values.items():  # and the primary rule holds throughout
        if 1 <= value <= SMALL_MAX:
            assert report.marks[key] != Mark.SHOWN, key


def test_the_check_catches_what_primary_suppression_alone_would_give_away():
    """A quarter of 1 and one of 1 in a year of 11 with a 9: a "< 5" each, but the year shows that
    they add up to 2, so each is 1. The check finds it; the algorithm shows the second with the
    hidden mark, which may be 0 or 5 and more: the first is 1 or 2."""
    drawn = [((StatKind.CASE_OPENED, "", None), 1, None, 1), ((StatKind.CASE_OPENED, "", None), 2, None, 1)]
    drawn += [((StatKind.CASE_OPENED, "", None), 3, None, 9)]
    report = report_from(drawn, joint=False)
    sums = list(published_sums(report))
    primary_only = {
        key: Mark.SMALL if 1 <= value <= SMALL_MAX else Mark.SHOWN for key, value in report.values.items()
    }
    opened = ((StatKind.CASE_OPENED, ""), 1)
    assert opened in second_value_missing(report.values, primary_only, sums, grand_total(report))
    assert second_value_missing(report.values, report.marks, sums, grand_total(report)) == []
    figures = [report.figure((StatKind.CASE_OPENED, ""), period).text for period in (*QUARTERS, YEAR)]
    assert figures == [SMALL_TEXT, HIDDEN_TEXT, "9", "0", "11"]


def test_four_small_categories_of_a_small_total_are_not_given_away_by_their_marks():
    """Four organisation types with 1 each in a quarter: four "< 5" add up to at least 4, and a
    "< 5" total is at most 4, so all five would be known. One of them takes the other mark."""
    types = ["school", "clb", "social_service", "local_police"]
    drawn = [((StatKind.REFERRAL_RECEIVED, t, None), 2, None, 1) for t in types]
    drawn += [((StatKind.REFERRAL_RECEIVED, "school", None), 3, None, 7)]
    report = report_from(drawn, joint=False)
    assert (
        second_value_missing(report.values, report.marks, list(published_sums(report)), grand_total(report))
        == []
    )
    quarter = [report.figure((StatKind.REFERRAL_RECEIVED, t), 2).text for t in types]
    assert HIDDEN_TEXT in quarter


# --- The primary rule, directly -----------------------------------------------------------------------


def test_counts_from_1_to_4_show_as_less_than_5_and_0_and_5_and_more_show():
    """One dimension without totals: nothing to protect but the small counts themselves."""
    line = Dimension("kind", tuple(range(7)))
    values = aggregate([line], {(k,): v for k, v in enumerate([0, 1, 2, 3, 4, 5, 60])})
    marks = suppress([line], values).marks
    assert [marks[(k,)] for k in range(7)] == [Mark.SHOWN] + [Mark.SMALL] * 4 + [Mark.SHOWN] * 2
    report = report_from(
        [((StatKind.MINOR_INVOLVED, "", None), q, None, n) for q, n in ((1, 5), (2, 12))], False
    )
    texts = [report.figure((StatKind.MINOR_INVOLVED, ""), period).text for period in (*QUARTERS, YEAR)]
    assert texts == ["5", "12", "0", "0", "17"]


def test_the_suppression_is_the_same_every_time():
    drawn = [((StatKind.REFERRAL_RECEIVED, t, None), q, p, n) for t, q, p, n in
             (("school", 1, 1, 1), ("clb", 1, 2, 6), ("school", 2, 1, 3), ("clb", 3, None, 2), ("welfare", 4, 3, 9))]  # fmt: skip
    first, again = report_from(drawn, True), report_from(list(reversed(drawn)), True)
    assert first.marks == again.marks


@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_a_hidden_figure_never_carries_its_count(value):
    drawn = [
        ((StatKind.LTF_FEEDBACK_GIVEN, "", None), 1, None, value),
        ((StatKind.MEETING_HELD, "operational", None), 2, None, 12),
    ]
    report = report_from(drawn, joint=False)
    figure = report.figure((StatKind.LTF_FEEDBACK_GIVEN, ""), 1)
    assert figure.number is None and figure.text == SMALL_TEXT and str(value) not in figure.text
