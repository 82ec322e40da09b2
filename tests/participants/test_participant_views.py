import pytest
from django.urls import reverse

from livc.cells.models import Membership
from participants.models import Participant
from tests.factories import MembershipFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"participants:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def test_revoking_from_the_page_ends_access_at_once(cast, as_user, org, members):
    seat = ParticipantFactory(membership=members["participant"], organisation=org)
    bob = as_user(cast.bob)
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert bob.get(home).status_code == 200
    from django.test import Client

    from tests.base import login_verified

    alice = login_verified(Client(), cast.alice)
    alice.post(url("participant_revoke", pk=seat.pk), {"reason": "Van functie veranderd"})
    assert bob.get(home).status_code == 404


def test_one_fixed_representative_per_organisation(cast, as_user, org, members):
    ParticipantFactory(membership=members["participant"], organisation=org, is_fixed_representative=True)
    other = ParticipantFactory(membership=MembershipFactory(cell=cast.cell_a), organisation=org)
    response = as_user(cast.alice).post(
        url("participant_edit", pk=other.pk),
        {"function": "Directeur", "kind": "professional", "is_fixed_representative": "on"},
    )
    assert "already has a fixed representative" in response.content.decode()
    other.refresh_from_db()
    assert not other.is_fixed_representative


def test_a_fixed_representative_gets_a_substitute_of_the_same_organisation(cast, as_user, org, members):
    fixed = ParticipantFactory(
        membership=members["participant"], organisation=org, is_fixed_representative=True
    )
    colleague = ParticipantFactory(membership=MembershipFactory(cell=cast.cell_a), organisation=org)
    response = as_user(cast.alice).post(
        url("participant_edit", pk=fixed.pk),
        {
            "function": "Directeur",
            "kind": "professional",
            "is_fixed_representative": "on",
            "substitute": colleague.pk,
        },
    )
    assert response.status_code == 302
    fixed.refresh_from_db()
    assert fixed.substitute == colleague


def test_the_participant_list_shows_organisation_function_and_status(cast, as_user, org, members):
    ParticipantFactory(membership=members["participant"], organisation=org, function="Directeur")
    Membership.objects.filter(pk=members["participant"].pk).update(is_active=False)
    content = as_user(cast.mayor).get(url("participants")).content.decode()
    assert "Bob Bosmans" in content and "CLB Alfa" in content and "Directeur" in content
    assert "Access ended" in content


def test_a_seat_of_cell_b_is_a_404_in_cell_a(cast, as_user):
    foreign = ParticipantFactory(membership=MembershipFactory(cell=cast.cell_b))
    assert as_user(cast.alice).get(url("participant_edit", pk=foreign.pk)).status_code == 404
    assert as_user(cast.alice).post(url("participant_revoke", pk=foreign.pk)).status_code == 404
    assert Participant.objects.get(pk=foreign.pk).membership.is_active
