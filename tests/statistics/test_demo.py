"""The demo's invented statistics: last year's and this year's past quarters, for the single and
the joint demo cell; enough that some figures are hidden and the charts have bars; seeding again
adds nothing."""

import pytest
from django.apps import apps

from livc.cells import demo
from livc.statistics.models import StatEvent, StatKind
from livc.statistics.selectors import statistics_report
from livc.statistics.suppression import Mark

pytestmark = pytest.mark.django_db


def test_the_demo_cells_have_statistics_with_hidden_and_shown_figures():
    data = demo.seed()
    apps.get_app_config("statistics").seed_demo(data)
    single, joint = data.cells["demostad"], data.cells["kempenheide"]
    # The clock of tests/statistics stands in the fourth quarter of 2026.
    quarters = [(2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]
    assert set(StatEvent.objects.filter(cell=single).values_list("year", "quarter")) == set(quarters)
    for cell in (single, joint):
        report = statistics_report(cell=cell, year=2025)
        marks = set(report.marks.values())
        assert {Mark.SMALL, Mark.HIDDEN, Mark.SHOWN} <= marks
        chart = report.tables()[0].chart
        assert chart is not None and any(bar.width for bar in chart.bars)
    assert not StatEvent.objects.filter(
        cell=joint, kind=StatKind.MEETING_HELD, municipality__isnull=False
    ).exists()
    assert (
        StatEvent.objects.filter(cell=joint, kind=StatKind.REFERRAL_RECEIVED)
        .values("municipality")
        .distinct()
        .count()
        == 3
    )
    assert statistics_report(cell=joint, year=2025).joint

    before = StatEvent.objects.count()
    apps.get_app_config("statistics").seed_demo(demo.seed())
    assert StatEvent.objects.count() == before
