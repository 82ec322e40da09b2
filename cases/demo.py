"""Invented demo referrals and cases: every status, one minor, seats and information items; in the
German-speaking cell Hochwalden, a case whose items are filed under the data categories of its own
rules of procedure (participants/demo.py), and a referral awaiting qualification."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import (
    Case,
    CaseStatus,
    InformationItem,
    InformingEntry,
    Known,
    Referral,
    ReferralStatus,
    Relation,
    Seat,
    Subject,
)
from cases.services.cases import case_change_status, relation_add
from cases.services.identity import Identity
from cases.services.informing import informing_record
from cases.services.items import item_add
from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from cases.services.round import known_to_service_answer
from livc.cells.demo import EARLIEST_REFERRAL_DAYS_AGO, Demo, days_ago
from livc.cells.models import Membership, Role
from livc.legal import DataCategory
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
# Days ago (livc/cells/demo.py, the timeline) each referral's signal was seen, it was sent, and it
# was qualified (None: awaiting qualification). The cases open well before any demo meeting; the
# referrals not retained or redirected were qualified recently, since they are kept only 30 days.
SCHEDULE = [(128, 126, 122), (96, 95, 94), (124, 121, 118), (26, 24, 12), (16, 15, 6), (5, 4, None)]
ITEM_DAYS_AFTER_OPENING = (3, 5)  # the referrer's and the officer's information item
INFORMING_DAYS_AFTER_OPENING = 7
CLOSED_DAYS_AGO = 30  # "Persoon Es": closed after its follow-up, before the last demo meeting
INFORMED_DAYS_AGO = CLOSED_DAYS_AGO - 2  # "Persoon Es" was informed, as the first meeting decided


@transaction.atomic
def seed(demo: Demo) -> None:
    _seed_joint_cell(demo)
    _seed_german_cell(demo)
    cell = demo.cells["demostad"]
    if Referral.objects.filter(cell=cell).exists():
        return  # demo cases exist already: keep them (and their history) as they are
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR)
    referrer = Membership.objects.get(cell=cell, user__email="clb@demostad.example")
    officer = Membership.objects.get(cell=cell, role=Role.INFORMATION_OFFICER)
    participant = Participant.objects.get(membership=referrer)
    assert max(signal for signal, _sent, _qualified in SCHEDULE) <= EARLIEST_REFERRAL_DAYS_AGO
    for index, (pseudonym, signals, identity, minor, outcome, status) in enumerate(DEMOSTAD):
        signal_days, sent_days, qualified_days = SCHEDULE[index]
        referral = referral_submit(
            member=referrer,
            data=ReferralData(
                referred_on=_days_ago(signal_days),
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
        Referral.objects.filter(pk=referral.pk).update(created_at=days_ago(sent_days))
        Subject.objects.filter(pk=referral.subject_id, identity_recorded_at__isnull=False).update(
            identity_recorded_at=days_ago(sent_days)
        )
        if outcome is None or qualified_days is None:
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
        qualified = days_ago(qualified_days)  # a retained referral opens its case at once
        Referral.objects.filter(pk=referral.pk).update(qualified_at=qualified)
        if case is not None:
            opened = qualified
            Case.objects.filter(pk=case.pk).update(opened_at=opened)
            Seat.objects.filter(case=case).update(seated_at=opened)
            case.opened_at = opened
            _fill(case, coordinator, officer, participant, status or CaseStatus.OPEN)


# The joint cell Kempenheide: one referral awaiting qualification, about one of its three
# municipalities (asked in the form of a cell that covers several, livc/cells/demo.py).
JOINT_REFERRAL = (
    "Persoon Den",
    "Jongvolwassene deelt extremistische pamfletten in de wachtzaal en weigert elk gesprek.",
    "99003",  # Lindelaar
    (9, 8),  # days ago the signal was seen, and the referral sent
)


def _seed_joint_cell(demo: Demo) -> None:
    cell = demo.cells["kempenheide"]
    if Referral.objects.filter(cell=cell).exists():
        return
    referrer = Membership.objects.get(cell=cell, user__email="ocmw@kempenheide.example")
    pseudonym, signals, nis_code, (signal_days, sent_days) = JOINT_REFERRAL
    referral = referral_submit(
        member=referrer,
        data=ReferralData(
            referred_on=_days_ago(signal_days),
            signals=signals,
            pseudonym=pseudonym,
            discussed_internally=True,
            municipality=cell.municipalities.get(nis_code=nis_code),
        ),
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=days_ago(sent_days))


# The German-speaking cell Hochwalden, under the federal law only: (pseudonym, signals, identity,
# days ago the signal was seen, the referral sent and qualified; None: awaiting qualification).
GERMAN_REFERRALS = [
    (
        "Person Tanne",
        "Schüler von 19 Jahren verbreitet Propaganda einer terroristischen Gruppe und sucht Kontakt zu "
        "deren Anwerbern im Netz; Mitschüler sind beunruhigt.",
        Identity("Jonas", "Felsbacher", datetime.date(2007, 2, 14)),
        (62, 60, 57),
    ),
    (
        "Person Lärche",
        "Nachbarin meldet, dass ein junger Mann Anleitungen zum Bau von Sprengsätzen herumzeigt.",
        Identity(),
        (6, 5, None),
    ),
]
# (e-mail of the owner, text, the rules' category key, days after the case opened)
GERMAN_ITEMS = [
    ("schulpsychologie@hochwalden.example",
     "Die Schule beobachtet seit dem Frühjahr häufige Fehlzeiten und einen Rückzug aus der Klasse.",
     "c-schule", 3),
    ("io@hochwalden.example",
     "Teilt in einer offenen Chatgruppe Gewaltvideos; kein laufendes Ermittlungsverfahren bekannt.",
     "c-verhalten", 5),
]  # fmt: skip


def _seed_german_cell(demo: Demo) -> None:
    cell = demo.cells["hochwalden"]
    if Referral.objects.filter(cell=cell).exists():
        return
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR)
    officer = Membership.objects.get(cell=cell, role=Role.INFORMATION_OFFICER)
    referrer = Membership.objects.get(cell=cell, user__email="schulpsychologie@hochwalden.example")
    for pseudonym, signals, identity, (signal_days, sent_days, qualified_days) in GERMAN_REFERRALS:
        referral = referral_submit(
            member=referrer,
            data=ReferralData(
                referred_on=_days_ago(signal_days), signals=signals, pseudonym=pseudonym,
                discussed_internally=True, identity=identity,
            ),
        )  # fmt: skip
        Referral.objects.filter(pk=referral.pk).update(created_at=days_ago(sent_days))
        Subject.objects.filter(pk=referral.subject_id, identity_recorded_at__isnull=False).update(
            identity_recorded_at=days_ago(sent_days)
        )
        if qualified_days is None:
            continue
        case = referral_qualify(
            member=coordinator,
            referral=referral,
            data=QualificationData(
                outcome=ReferralStatus.RETAINED, consulted_officer=officer.user,
                aim_signals=f"Anzeichen gewaltbereiter Radikalisierung. {signals}",
            ),
        )  # fmt: skip
        assert case is not None
        opened = days_ago(qualified_days)
        Referral.objects.filter(pk=referral.pk).update(qualified_at=opened)
        Case.objects.filter(pk=case.pk).update(opened_at=opened)
        Seat.objects.filter(case=case).update(seated_at=opened)
        _fill_german(case, coordinator, timezone.localdate(opened))


def _fill_german(case: Case, coordinator: Membership, opened: datetime.date) -> None:
    for email, text, category, days in GERMAN_ITEMS:
        owner = Membership.objects.get(cell=case.cell, user__email=email)
        shared_on = opened + datetime.timedelta(days=days)
        item = item_add(
            member=owner, case=case, text=text, category=category, shared_on=shared_on, consent=True
        )
        InformationItem.objects.filter(pk=item.pk).update(created_at=_moment(shared_on))
    informing_record(member=coordinator, case=case, kind="deferred",
                     deferral_reason="Eine Information würde die Begleitung durch die Schule gefährden.",
                     review_on=TODAY() + datetime.timedelta(days=90))  # fmt: skip
    deferred_on = opened + datetime.timedelta(days=INFORMING_DAYS_AFTER_OPENING)
    InformingEntry.objects.filter(case=case).update(recorded_at=_moment(deferred_on))
    Case.objects.filter(pk=case.pk).update(review_on=TODAY() + datetime.timedelta(days=45))


def _fill(
    case: Case, coordinator: Membership, officer: Membership, participant: Participant, status: str
) -> None:
    opened = timezone.localdate(case.opened_at)
    after = lambda days: opened + datetime.timedelta(days=days)  # noqa: E731
    school, police = ITEM_DAYS_AFTER_OPENING
    item_add(member=participant.membership, case=case, text="De school volgt de aanwezigheid dagelijks op.",
             category=DataCategory.BEHAVIOUR, shared_on=after(school), consent=True)  # fmt: skip
    item_add(member=officer, case=case, text="Geen lopend onderzoek bekend bij de lokale politie.",
             category=DataCategory.POLICE_JUDICIAL, shared_on=after(police), consent=True)  # fmt: skip
    for item in InformationItem.objects.filter(case=case):
        InformationItem.objects.filter(pk=item.pk).update(created_at=_moment(item.shared_on))
    if case.involves_minor:
        relation_add(member=coordinator, case=case, kind="parent", name="Moeder (niet bij naam genoemd)",
                     birth_date=None, notes="Staat open voor een gesprek.", is_minor=False)  # fmt: skip
        Relation.objects.filter(case=case).update(created_at=case.opened_at)
    if status == CaseStatus.FOLLOW_UP:  # the "known to your service?" round: the school knows the person
        known_to_service_answer(member=participant.membership, case=case, answer=Known.KNOWN)
    if status != CaseStatus.OPEN:
        case_change_status(member=coordinator, case=case, status=CaseStatus.FOLLOW_UP)
    if status == CaseStatus.CLOSED:
        case_change_status(member=coordinator, case=case, status=CaseStatus.CLOSED,
                           reason="Begeleidingstraject afgerond; geen signalen meer.")  # fmt: skip
        Case.objects.filter(pk=case.pk).update(closed_at=days_ago(CLOSED_DAYS_AGO), review_on=None)
        return  # informed after the table decided so: meetings/demo.py, which holds the decision
    informing_record(member=coordinator, case=case, kind="deferred",
                     deferral_reason="Informeren zou de begeleiding door de school doorkruisen.",
                     review_on=TODAY() + datetime.timedelta(days=90))  # fmt: skip
    InformingEntry.objects.filter(case=case).update(recorded_at=_moment(after(INFORMING_DAYS_AFTER_OPENING)))
    review_in = datetime.timedelta(days=-3 if status == CaseStatus.OPEN else 30)  # one overdue review
    Case.objects.filter(pk=case.pk).update(review_on=TODAY() + review_in)


def _moment(day: datetime.date) -> datetime.datetime:
    """Ten in the morning of `day`, local time: when a demo step of that day happened."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
