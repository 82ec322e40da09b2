"""Cases of cell A: `case_a` has bob at its table, `other_case` does not. Everyone has
acknowledged the secrecy of the table, so that tests reach the content."""

import datetime

import pytest

from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from cases.services.seats import seat_participant
from livc.cells.models import Membership
from participants.rules import acknowledgement_record
from tests.factories import OrganisationFactory, ParticipantFactory


@pytest.fixture
def members(cast):
    get = lambda user, cell=cast.cell_a: Membership.objects.get(user=user, cell=cell)
    return {
        "coordinator": get(cast.alice),
        "mayor": get(cast.mayor),
        "officer": get(cast.officer),
        "participant": get(cast.bob),
        "dpo": get(cast.dpo),
        "charlie": get(cast.charlie, cast.cell_b),
    }


@pytest.fixture
def seats(cast, members):
    """Seat profiles for everyone who sits at tables in cell A (and charlie in cell B)."""
    clb = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")
    police = OrganisationFactory(cell=cast.cell_a, name="Politiezone Alfa", type="local_police")
    town = OrganisationFactory(cell=cast.cell_a, name="Gemeente Alfa", type="prevention_service")
    profiles = {
        "participant": ParticipantFactory(membership=members["participant"], organisation=clb),
        "officer": ParticipantFactory(membership=members["officer"], organisation=police),
        "coordinator": ParticipantFactory(membership=members["coordinator"], organisation=town),
        "mayor": ParticipantFactory(membership=members["mayor"], organisation=town),
        "charlie": ParticipantFactory(membership=members["charlie"]),
    }
    for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo):
        acknowledgement_record(cell=cast.cell_a, user=user)
    acknowledgement_record(cell=cast.cell_b, user=cast.charlie)
    return profiles


def make_case(members, *, pseudonym="Persoon Eik", first_name="Tom", last_name="Testeling", minor=False):
    from cases.services.identity import Identity

    referral = referral_submit(
        member=members["participant"],
        data=ReferralData(
            referred_on=datetime.date(2026, 11, 1),
            signals=f"Signalen over {pseudonym}: verheerlijkt geweld.",
            pseudonym=pseudonym,
            discussed_internally=True,
            subject_is_minor=minor,
            identity=Identity() if minor else Identity(first_name, last_name, datetime.date(1999, 1, 2)),
        ),
    )
    return referral_qualify(
        member=members["coordinator"],
        referral=referral,
        data=QualificationData(outcome="retained", aim_signals="Oproepen tot geweld.", seat_referrer=False),
    )


@pytest.fixture
def case_a(members, seats):
    case = make_case(members)
    seat_participant(member=members["coordinator"], case=case, participant=seats["participant"])
    return case


@pytest.fixture
def other_case(members, seats):
    return make_case(members, pseudonym="Persoon Beuk", first_name="Bea", last_name="Verborgen")
