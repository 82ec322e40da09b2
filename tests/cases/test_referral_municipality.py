"""The municipality a referral concerns: asked when the cell covers several (one of its own,
required), filled in without asking when it covers one; shown with the referral's details."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Referral, Subject
from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def form(**overrides):
    values = {"pseudonym": "Persoon Linde", "referred_on": "2026-11-20", "signals": "Verheerlijkt aanslagen.",
              "context": "Mijn getypte context.", "urgency": "normal", "discussed_internally": "on"}  # fmt: skip
    return {**values, **overrides}


@pytest.fixture
def joint(cast):
    """Cell A covers a second municipality, Lindeveld."""
    second = MunicipalityFactory(nis_code="99102", name_nl="Lindeveld", name_fr="Tilleulchamp")
    cast.cell_a.municipalities.add(second)
    return second


def data(**overrides):
    values = {"referred_on": datetime.date(2026, 11, 1), "signals": "Signalen.", "pseudonym": "Persoon Wilg",
              "discussed_internally": True}  # fmt: skip
    return ReferralData(**{**values, **overrides})


def test_a_cell_of_one_municipality_does_not_ask_and_fills_it_in(cast, as_user, seats):
    client = as_user(cast.bob)
    assert 'name="municipality"' not in client.get(url("referral_new")).content.decode()
    assert client.post(url("referral_new"), form()).status_code == 302
    assert Referral.objects.get().municipality == cast.cell_a.municipalities.get()


def test_a_joint_cell_asks_which_of_its_municipalities(cast, as_user, seats, joint):
    client = as_user(cast.bob)
    page = client.get(url("referral_new")).content.decode()
    assert 'name="municipality"' in page and "Lindeveld" in page and "Testgem" in page
    assert cast.cell_b.municipalities.get().name_nl not in page
    assert client.post(url("referral_new"), form(municipality=joint.pk)).status_code == 302
    referral = Referral.objects.get()
    assert referral.municipality == joint
    alice = as_user(cast.alice)
    assert "Lindeveld" in alice.get(url("referral_detail", pk=referral.pk)).content.decode()
    case = referral_qualify(
        member=cast.alice.memberships.get(cell=cast.cell_a), referral=referral,
        data=QualificationData(outcome="retained", aim_signals="Oproepen tot geweld."),
    )  # fmt: skip
    assert "Lindeveld" in alice.get(url("detail", pk=case.pk)).content.decode()


@pytest.mark.parametrize(
    ("choice", "message"), [("", "This field is required"), ("other cell", "Select a valid choice")]
)
def test_a_missing_or_foreign_municipality_is_explained_and_the_typed_text_kept(cast, as_user, seats, joint,
                                                                                choice, message):  # fmt: skip
    value = cast.cell_b.municipalities.get().pk if choice == "other cell" else choice
    response = as_user(cast.bob).post(url("referral_new"), form(municipality=value))
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content and "Mijn getypte context." in content
    assert not Referral.objects.exists() and not Subject.objects.exists()


def test_the_service_checks_the_municipality_too(cast, members, seats, joint):
    with pytest.raises(ValidationError, match="Choose the municipality"):
        referral_submit(member=members["participant"], data=data())
    with pytest.raises(ValidationError, match="one of the cell's municipalities"):
        referral_submit(
            member=members["participant"], data=data(municipality=cast.cell_b.municipalities.get())
        )
    assert not Referral.objects.exists() and not Subject.objects.exists()
    referral = referral_submit(member=members["participant"], data=data(municipality=joint))
    assert referral.municipality == joint


def test_a_cell_of_one_municipality_takes_no_other(cast, members, seats):
    with pytest.raises(ValidationError, match="one of the cell's municipalities"):
        referral_submit(
            member=members["participant"], data=data(municipality=cast.cell_b.municipalities.get())
        )
    referral = referral_submit(member=members["participant"], data=data())
    assert referral.municipality == cast.cell_a.municipalities.get()
