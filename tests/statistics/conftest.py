"""Cell A with case_a and other_case, a meeting running with both on its agenda, the clock frozen
on 20 November 2026 (a fourth quarter), and `joint`: cell A made to cover a second municipality."""

import datetime

import pytest

from cases.services.referrals import ReferralData, referral_submit
from livc.statistics.models import StatEvent
from tests.factories import MunicipalityFactory
from tests.meetings.conftest import acknowledged_again, agenda, meeting, rules, running
from tests.retention.conftest import MEETING_DAY, at, case_a, clock, members, other_case, seats

__all__ = [
    "MEETING_DAY", "acknowledged_again", "agenda", "at", "case_a", "clock", "meeting", "members", "other_case",
    "rules", "running", "seats",
]  # fmt: skip


@pytest.fixture(autouse=True)
def frozen(clock):
    """Every test starts on the frozen day (autouse: before the fixtures that make cases)."""
    return clock


@pytest.fixture
def joint(cast):
    """Cell A covers two municipalities: its first (99101) and Lindeveld (99102)."""
    second = MunicipalityFactory(nis_code="99102", name_nl="Lindeveld", name_fr="Tilleulchamp")
    cast.cell_a.municipalities.add(second)
    return {"first": cast.cell_a.municipalities.get(nis_code="99101"), "second": second}


def refer(member, *, pseudonym="Persoon Wilg", municipality=None, minor=False, **overrides):
    data = {
        "referred_on": MEETING_DAY - datetime.timedelta(days=2),
        "signals": f"Signalen over {pseudonym}.",
        "pseudonym": pseudonym,
        "discussed_internally": True,
        "subject_is_minor": minor,
        "municipality": municipality,
        **overrides,
    }
    return referral_submit(member=member, data=ReferralData(**data))


def events(**filters):
    """The events, as what they say (kind, detail, municipality's NIS code, year, quarter, months)."""
    return [
        (e.kind, e.detail, e.municipality.nis_code if e.municipality else None, e.year, e.quarter, e.months)
        for e in StatEvent.objects.filter(**filters).select_related("municipality").order_by("pk")
    ]
