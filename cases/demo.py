"""Invented demo referrals and cases: every status, one minor, seats and information items."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseStatus, DataCategory, Referral, ReferralStatus
from cases.services.cases import case_change_status, relation_add
from cases.services.identity import Identity
from cases.services.informing import informing_record
from cases.services.items import item_add
from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from livc.cells.demo import Demo
from livc.cells.models import Membership, Role
from participants.models import Participant

TODAY = timezone.localdate


def _days_ago(days: int) -> datetime.date:
    return TODAY() - datetime.timedelta(days=days)


R, C = ReferralStatus, CaseStatus
ADULT_ONE = Identity("Tom", "Verbrande-Molen", datetime.date(1998, 5, 17))
ADULT_TWO = Identity("Nadia", "Zilverberk", datetime.date(1990, 11, 2))
# (pseudonym, signals, identity, subject is a minor, qualification, case status) in the cell Demostad
DEMOSTAD = [
    (
        "Persoon Eik",
        "Deelt filmpjes die geweld tegen 'ongelovigen' verheerlijken; trekt zich terug uit de ploeg.",
        ADULT_ONE,
        False,
        R.RETAINED,
        C.FOLLOW_UP,
    ),
    (
        "Persoon Beuk",
        "Leerling van 16 stuurt een lijst van 'verraders' rond en vraagt hoe je aan wapens komt.",
        Identity(),
        True,
        R.RETAINED,
        C.OPEN,
    ),
    (
        "Persoon Es",
        "Zoekt contact met een online groep die oproept tot aanslagen; de familie is ongerust.",
        ADULT_TWO,
        False,
        R.RETAINED,
        C.CLOSED,
    ),
    (
        "Persoon Hazel",
        "Luide politieke uitspraken op een buurtfeest, zonder signalen van geweld.",
        Identity(),
        False,
        R.NOT_RETAINED,
        None,
    ),
    (
        "Persoon Wilg",
        "Sociaal isolement na ontslag; geen ideologische signalen.",
        Identity(),
        False,
        R.REDIRECTED,
        None,
    ),
    (
        "Persoon Els",
        "Buurman meldt nachtelijke bijeenkomsten met propaganda-affiches.",
        Identity(),
        False,
        None,
        None,
    ),
]
NOT_RETAINED = "Geen band met het voorkomen van terroristische misdrijven."


@transaction.atomic
def seed(demo: Demo) -> None:
    cell = demo.cells["demostad"]
    if Referral.objects.filter(cell=cell).exists():
        return  # demo cases exist already: keep them (and their history) as they are
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR)
    referrer = Membership.objects.get(cell=cell, user__email="clb@demostad.example")
    officer = Membership.objects.get(cell=cell, role=Role.INFORMATION_OFFICER)
    participant = Participant.objects.get(membership=referrer)
    for index, (pseudonym, signals, identity, minor, outcome, status) in enumerate(DEMOSTAD):
        referral = referral_submit(
            member=referrer,
            data=ReferralData(
                referred_on=_days_ago(60 - index * 7),
                signals=signals,
                pseudonym=pseudonym,
                discussed_internally=True,
                urgency="high" if minor else "normal",
                minors_involved=minor,
                subject_is_minor=minor,
                identity=identity,
                identity_reason="De school moet de leerling kunnen aanspreken." if minor else "",
            ),
        )
        if outcome is None:
            continue
        case = referral_qualify(
            member=coordinator,
            referral=referral,
            data=QualificationData(
                outcome=outcome,
                reason=""
                if outcome == ReferralStatus.RETAINED
                else "Geen band met het voorkomen van terrorisme.",
                aim_signals=f"Signalen van gewelddadige radicalisering. {signals}",
                consulted_officer=officer.user,
                seat_referrer=index != 2,
            ),
        )
        if case is not None:
            _fill(case, coordinator, officer, participant, status or CaseStatus.OPEN)


def _fill(
    case: Case, coordinator: Membership, officer: Membership, participant: Participant, status: str
) -> None:
    item_add(member=participant.membership, case=case, text="De school volgt de aanwezigheid dagelijks op.",
             category=DataCategory.BEHAVIOUR, shared_on=_days_ago(20), consent=True)  # fmt: skip
    item_add(member=officer, case=case, text="Geen lopend onderzoek bekend bij de lokale politie.",
             category=DataCategory.POLICE_JUDICIAL, shared_on=_days_ago(18), consent=True)  # fmt: skip
    if case.involves_minor:
        relation_add(member=coordinator, case=case, kind="parent", name="Moeder (niet bij naam genoemd)",
                     birth_date=None, notes="Staat open voor een gesprek.", is_minor=False)  # fmt: skip
    if status != CaseStatus.OPEN:
        case_change_status(member=coordinator, case=case, status=CaseStatus.FOLLOW_UP)
    if status == CaseStatus.CLOSED:
        case_change_status(member=coordinator, case=case, status=CaseStatus.CLOSED,
                           reason="Begeleidingstraject afgerond; geen signalen meer.")  # fmt: skip
    informing_record(member=coordinator, case=case, kind="deferred",
                     deferral_reason="Informeren zou de begeleiding door de school doorkruisen.",
                     review_on=TODAY() + datetime.timedelta(days=90))  # fmt: skip
    review_in = datetime.timedelta(days=-3 if status == CaseStatus.OPEN else 30)  # one overdue review
    Case.objects.filter(pk=case.pk).update(review_on=TODAY() + review_in)
