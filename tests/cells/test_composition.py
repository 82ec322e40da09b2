import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from livc.cells.models import Membership
from livc.cells.selectors import composition_missing

pytestmark = pytest.mark.django_db


def test_cell_a_has_its_legal_minimum_and_cell_b_does_not(cast):
    assert composition_missing(cell=cast.cell_a) == []
    assert composition_missing(cell=cast.cell_b) == ["mayor", "information_officer"]


def test_an_expired_clearance_breaks_the_minimum(cast):
    Membership.objects.filter(user=cast.officer).update(
        clearance_expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert composition_missing(cell=cast.cell_a) == ["information_officer"]


def test_the_home_page_tells_the_coordinator_what_is_missing(cast, as_user):
    content = as_user(cast.charlie).get(reverse("cells:home", kwargs={"cell_slug": "bravo"})).content.decode()
    assert "cannot hold a meeting" in content and "Information officer" in content


def test_a_participant_does_not_see_the_composition(cast, as_user):
    content = as_user(cast.bob).get(reverse("cells:home", kwargs={"cell_slug": "alfa"})).content.decode()
    assert "legal minimum" not in content
