"""The cell's yearly statistics report: what the page, the CSV and the PDF show, suppression applied.

The events of one cell and year (`livc/statistics/models.py`) are counted into one table of
three dimensions with their totals (`livc/statistics/suppression.py`):

- the kind of event, and for four kinds their categories, which add up to the kind: the
  referrer's organisation type, the qualification's outcome (both registered by `cases`), the
  meeting's table (by `meetings`), and a closed case's duration in bands of months;
- the quarter, which add up to the year;
- for a joint cell, the municipality, with a column of its own for what belongs to the whole
  cell or was recorded without one (meetings, referrals made before the question was asked),
  which add up to the whole cell.

Suppression runs once over that whole table, so that no view of it (the whole cell, one
municipality, the CSV or the PDF) shows what another view's figures would let a reader work out.
Each view then reads its slice: the figures of one municipality, or of the whole cell with the
table per municipality.
"""

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell, Municipality
from livc.statistics import categories
from livc.statistics.models import StatEvent, StatKind
from livc.statistics.suppression import CellKey, Coordinate, Dimension, Mark, aggregate, suppress

Label = str | Promise

QUARTERS = (1, 2, 3, 4)
YEAR = 0  # the quarters' total
ALL = "all"  # the whole cell: every municipality's column and the cell's own
NO_MUNICIPALITY = "none"  # the whole cell's own events (its meetings), or recorded without a municipality

# A closed case's duration, in whole months: (category, label, from, up to and including).
DURATION_BANDS: tuple[tuple[str, Label, int, int | None], ...] = (
    ("under_6", _("Under 6 months"), 0, 5),
    ("6_to_11", _("6 to 11 months"), 6, 11),
    ("12_to_23", _("12 to 23 months"), 12, 23),
    ("24_plus", _("24 months or more"), 24, None),
)
NOT_RECORDED = "not_recorded"  # a category the event did not carry
LONG_LIST = 6  # a kind with more categories lists only those that occurred in the year

# The kinds shown with their categories, in the report's order, with the table's title.
BREAKDOWNS: dict[str, Label] = {
    StatKind.REFERRAL_RECEIVED: _("Referrals received, by the referrer's organisation type"),
    StatKind.REFERRAL_QUALIFIED: _("Referrals qualified, by outcome"),
    StatKind.CASE_CLOSED: _("Cases closed, by how long they were open"),
    StatKind.MEETING_HELD: _("Meetings held, by table"),
}
# The figure each breakdown's chart shows per category: the year.
CHART_TITLES: dict[str, Label] = {
    StatKind.REFERRAL_RECEIVED: _("Referrals received in the year, by organisation type"),
    StatKind.REFERRAL_QUALIFIED: _("Referrals qualified in the year, by outcome"),
    StatKind.CASE_CLOSED: _("Cases closed in the year, by how long they were open"),
    StatKind.MEETING_HELD: _("Meetings held in the year, by table"),
}

SMALL_TEXT = "< 5"
HIDDEN_TEXT = "\u00d7"  # the multiplication sign


def suppression_rule() -> str:
    """The rule as the page, the CSV and the PDF state it, in the current language."""
    return gettext(
        "Counts from 1 to 4 are shown as “%(small)s”; 0 is shown as it is. So that no such count "
        "can be worked out from the totals or the other figures, some other figures are hidden "
        "as well and shown as “%(hidden)s”: a “%(hidden)s” may stand for any number, 0 and small "
        "ones included. The figures count what happened (a referral received, a case closed, a "
        "meeting held), never people, and hold no personal data."
    ) % {"small": SMALL_TEXT, "hidden": HIDDEN_TEXT}


def quarter_label(quarter: int) -> Label:
    return pgettext_lazy("quarter of the year", "Q%(quarter)s") % {"quarter": quarter}


# --- Figures, tables and charts ------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure as published: the count when it is shown, else only its mark."""

    number: int | None  # None when hidden: a hidden count never leaves this module
    mark: Mark

    @classmethod
    def of(cls, value: int, mark: Mark) -> "Figure":
        return cls(value if mark == Mark.SHOWN else None, mark)

    @property
    def text(self) -> str:
        if self.mark == Mark.SMALL:
            return SMALL_TEXT
        if self.mark == Mark.HIDDEN:
            return HIDDEN_TEXT
        return str(self.number)

    @property
    def hidden(self) -> bool:
        return self.mark != Mark.SHOWN

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Row:
    label: Label
    figures: list[Figure]
    total: bool = False  # the kind's own row under its categories


@dataclass(frozen=True)
class Bar:
    label: Label
    figure: Figure
    top: int  # where the bar's line begins
    width: int  # the bar's length: 0 for a hidden count or 0

    @property
    def label_y(self) -> int:
        return self.top + 16

    @property
    def bar_y(self) -> int:
        return self.top + 22

    @property
    def value_x(self) -> int:
        return self.width + 8

    @property
    def value_y(self) -> int:
        return self.top + 36


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart, drawn as SVG (`templates/statistics/partials/chart.html`): each bar
    under its label, its figure after it. A hidden count gets no bar, only its mark. Whole
    numbers only: a template would write a fraction with the language's decimal comma."""

    title: Label
    bars: list[Bar]

    WIDTH = 640
    BAR_MAX = 560  # the longest bar; the rest of the width is for its figure
    BAR_HEIGHT = 18
    ROW = 46  # a label's line and its bar

    @property
    def height(self) -> int:
        return self.ROW * len(self.bars) + 4

    @classmethod
    def of(cls, title: Label, bars: Sequence[tuple[Label, Figure]]) -> "Chart":
        largest = max((figure.number or 0 for _label, figure in bars), default=0)
        return cls(
            title,
            [
                Bar(
                    label,
                    figure,
                    cls.ROW * index,
                    round((figure.number or 0) * cls.BAR_MAX / largest) if largest else 0,
                )
                for index, (label, figure) in enumerate(bars)
            ],
        )


@dataclass(frozen=True)
class Table:
    key: str  # names the table in the CSV and in anchors
    title: Label
    columns: list[Label]
    rows: list[Row]
    chart: Chart | None = None
    row_header: Label = ""


# --- The report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a view of the report covers: the whole cell, or one of its municipality columns."""

    key: str  # ALL, NO_MUNICIPALITY or a municipality's id
    label: Label


@dataclass
class Report:
    cell: Cell
    year: int
    joint: bool  # the cell covers several municipalities: a column per municipality
    scopes: list[Scope]  # the whole cell first, then each column of the table per municipality
    dimensions: list[Dimension]  # kind and category, quarter, and for a joint cell municipality
    values: dict[CellKey, int] = field(repr=False)  # every count, hidden ones too: read through `figure`
    marks: dict[CellKey, Mark] = field(repr=False)
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def kinds(self) -> Dimension:
        return self.dimensions[0]

    def scope(self, key: str) -> Scope:
        return next(scope for scope in self.scopes if scope.key == key)

    def figure(self, category: tuple[str, str], period: int, scope: str = ALL) -> Figure:
        key: CellKey = (category, period, scope) if self.joint else (category, period)
        return Figure.of(self.values[key], self.marks[key])

    def tables(self, scope: str = ALL) -> list[Table]:
        """The tables of one view: the year per quarter, each breakdown, and for the whole of a
        joint cell the year per municipality."""
        periods = [*QUARTERS, YEAR]
        columns: list[Label] = [*(quarter_label(q) for q in QUARTERS), _("Year")]
        year_rows = [
            Row(kind.label, [self.figure((kind.value, ""), period, scope) for period in periods])
            for kind in StatKind
        ]
        received = (StatKind.REFERRAL_RECEIVED.value, "")
        tables = [
            Table(
                "year",
                _("The year per quarter"),
                columns,
                year_rows,
                Chart.of(
                    _("Referrals received per quarter"),
                    [(quarter_label(q), self.figure(received, q, scope)) for q in QUARTERS],
                ),
                row_header=_("Counted"),
            )
        ]
        for kind, title in BREAKDOWNS.items():
            total = (str(kind), "")
            parts = self.categories(kind)
            rows = [
                Row(self.category_label(part), [self.figure(part, period, scope) for period in periods])
                for part in parts
            ]
            totals = [self.figure(total, period, scope) for period in periods]
            rows.append(Row(_("Total"), totals, total=True))
            bars = [(self.category_label(part), self.figure(part, YEAR, scope)) for part in parts]
            chart = Chart.of(CHART_TITLES[kind], bars)
            tables.append(Table(str(kind), title, columns, rows, chart, row_header=_("Category")))
        if self.joint and scope == ALL:
            places = [s for s in self.scopes if s.key != ALL]
            rows = [
                Row(
                    kind.label,
                    [self.figure((kind.value, ""), YEAR, place.key) for place in places]
                    + [self.figure((kind.value, ""), YEAR, ALL)],
                )
                for kind in StatKind
            ]
            chart = Chart.of(
                _("Referrals received in the year, by municipality"),
                [(place.label, self.figure(received, YEAR, place.key)) for place in places],
            )
            columns = [*(place.label for place in places), WHOLE_CELL]
            tables.append(
                Table("municipalities", _("The year per municipality"), columns, rows, chart, _("Counted"))
            )
        return tables

    def categories(self, kind: str) -> list[tuple[str, str]]:
        """The categories of a kind listed in this report, in order."""
        children: list[tuple[str, str]] = list(self.kinds.children((kind, "")))  # type: ignore[arg-type]
        return children

    def category_label(self, category: tuple[str, str]) -> Label:
        kind, slug = category
        if slug == NOT_RECORDED:
            return _("Not recorded")
        if kind == StatKind.CASE_CLOSED:
            return next(label for band, label, _low, _high in DURATION_BANDS if band == slug)
        return categories.categories(kind).get(slug, slug)


WHOLE_CELL = _("The whole cell")
OWN_EVENTS = _("The cell itself, or no municipality recorded")


def report_scopes(municipalities: Sequence[Municipality]) -> list[Scope]:
    """The columns of a joint cell's table per municipality: each municipality by name, then what
    belongs to the whole cell (its meetings) or was recorded without a municipality."""
    named = sorted(municipalities, key=lambda m: m.display_name())
    return [*(Scope(str(m.pk), m.display_name()) for m in named), Scope(NO_MUNICIPALITY, OWN_EVENTS)]


def report_years(*, cell: Cell) -> list[int]:
    """The years the cell has events in, and this year, latest first."""
    years = set(StatEvent.objects.filter(cell=cell).values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def duration_band(months: int | None) -> str:
    if months is None:
        return NOT_RECORDED
    return next(band for band, _label, low, high in DURATION_BANDS if low <= months <= (high or months))


def _category(kind: str, detail: str, months: int | None) -> tuple[str, str]:
    if kind == StatKind.CASE_CLOSED:
        return (kind, duration_band(months))
    if kind in BREAKDOWNS:
        return (kind, detail or NOT_RECORDED)
    return (kind, "")


def _listed(kind: str, occurring: set[str]) -> list[str]:
    """A kind's categories in the report's order: its list's order, then any other that occurred
    (a category from an older list), and "not recorded" last when it occurred."""
    if kind == StatKind.CASE_CLOSED:
        known = [band for band, _label, _low, _high in DURATION_BANDS]
    else:
        known = list(categories.categories(kind))
        if len(known) > LONG_LIST:
            known = [slug for slug in known if slug in occurring]
    others = sorted(occurring - set(known) - {NOT_RECORDED})
    return known + others + ([NOT_RECORDED] if NOT_RECORDED in occurring else [])


EventCount = tuple[
    str, str, int | None, int, int | None, int
]  # kind, detail, months, quarter, municipality, n


def statistics_report(*, cell: Cell, year: int) -> Report:
    """The cell's report for one year, every figure marked (a query for the events, one for the
    cell's municipalities and, when events name a municipality the cell no longer covers, one more)."""
    counts: list[EventCount] = list(
        StatEvent.objects.filter(cell=cell, year=year)
        .values_list("kind", "detail", "months", "quarter", "municipality_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    municipalities = list(cell.municipalities.all())
    named = {m.pk for m in municipalities} | {None}
    if len(municipalities) > 1 and any(count[4] not in named for count in counts):
        former = {count[4] for count in counts if count[4] not in named}
        municipalities += list(Municipality.objects.filter(pk__in=[pk for pk in former if pk is not None]))
    return report_of(cell=cell, year=year, counts=counts, municipalities=municipalities)


def report_of(
    *, cell: Cell, year: int, counts: Sequence[EventCount], municipalities: Sequence[Municipality]
) -> Report:
    """The report from the counted events: a joint cell's `municipalities` are the columns of its
    table per municipality (its own, and any other its events name)."""
    joint = len(municipalities) > 1
    leaves: Counter[CellKey] = Counter()
    occurring: dict[str, set[str]] = {kind: set() for kind in BREAKDOWNS}
    for kind, detail, months, quarter, municipality_id, n in counts:
        category = _category(kind, detail, months)
        if kind in occurring:
            occurring[kind].add(category[1])
        if joint:
            leaves[(category, quarter, str(municipality_id) if municipality_id else NO_MUNICIPALITY)] += n
        else:
            leaves[(category, quarter)] += n

    coordinates: list[tuple[str, str]] = []
    parent: dict[Coordinate, Coordinate] = {}
    for kind in StatKind:
        coordinates.append((kind.value, ""))
        if kind in BREAKDOWNS:
            for slug in _listed(kind, occurring[kind]):
                coordinates.append((kind.value, slug))
                parent[(kind.value, slug)] = (kind.value, "")
    dimensions = [
        Dimension("kind", tuple(coordinates), parent),
        Dimension("quarter", (*QUARTERS, YEAR), dict.fromkeys(QUARTERS, YEAR)),
    ]
    scopes = [Scope(ALL, WHOLE_CELL)]
    if joint:
        scopes += report_scopes(municipalities)
        keys = tuple(scope.key for scope in scopes[1:])
        dimensions.append(Dimension("municipality", (*keys, ALL), dict.fromkeys(keys, ALL)))
    values = aggregate(dimensions, leaves)
    return Report(
        cell=cell,
        year=year,
        joint=joint,
        scopes=scopes,
        dimensions=dimensions,
        values=values,
        marks=suppress(dimensions, values).marks,
    )
