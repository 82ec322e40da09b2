import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from livc.cells.models import ClearanceLevel, Membership, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_an_expired_clearance_suspends_the_information_officers_access(cast, as_user):
    membership = Membership.objects.get(user=cast.officer)
    membership.clearance_expires_on = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    client = as_user(cast.officer)
    assert client.get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).status_code == 404
    assert "LIVC-R Alfa" not in client.get(reverse("cells:pick")).content.decode()


def test_a_clearance_valid_until_today_still_counts(cast, as_user):
    Membership.objects.filter(user=cast.officer).update(clearance_expires_on=timezone.localdate())
    assert as_user(cast.officer).get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).status_code == 200


def test_the_coordinator_sees_a_suspended_officer_marked_as_such(cast, as_user):
    Membership.objects.filter(user=cast.officer).update(
        clearance_expires_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    content = as_user(cast.alice).get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode()
    assert "Suspended: no valid clearance" in content


def test_a_deactivated_membership_loses_access_at_once(cast, as_user):
    client = as_user(cast.bob)
    url = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=cast.bob).update(is_active=False)
    assert client.get(url).status_code == 404


def test_an_information_officer_needs_clearance_secret_and_an_expiry_date(cast):
    membership = MembershipFactory.build(
        cell=cast.cell_b,
        user=cast.officer,
        role=Role.INFORMATION_OFFICER,
        clearance_level=ClearanceLevel.CONFIDENTIAL,
    )
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert set(error.value.message_dict) == {"clearance_level", "clearance_expires_on"}


def test_one_person_holds_one_role_per_cell(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(cell=cast.cell_a, user=cast.alice, mayor=True)


def test_a_municipality_name_follows_the_language(db):
    from livc.cells.models import Municipality

    municipality = Municipality(nis_code="99999", name_nl="Voorbeeldegem", name_fr="Exemple-la-Ville")
    assert municipality.display_name("fr") == "Exemple-la-Ville"
    assert municipality.display_name("nl") == "Voorbeeldegem"
    assert municipality.display_name("de") == "Voorbeeldegem"  # no German name: another official one
