"""The secrecy statement a member acknowledges follows the law the cell works under, and so does
its version: a cell that changes framework asks every member again (livc/legal.py)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from livc.cells.models import Cell, Membership
from livc.legal import LegalFramework
from participants import selectors, services
from participants.models import ConfidentialityAcknowledgement, InvitationStatus
from participants.rules import acknowledgement_record
from tests.base import PASSWORD
from tests.factories import InvitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FEDERAL_WORDS = "I share only the personal data that this purpose needs"
FLEMISH_WORDS = "I use it only for the purpose of the cell: preventing terrorist offences"


def make_federal(cell):
    Cell.objects.filter(pk=cell.pk).update(legal_framework=LegalFramework.FEDERAL)
    cell.refresh_from_db()


def url(name, **kwargs):
    return reverse(f"participants:{name}", kwargs={"cell_slug": "alfa", **kwargs})


HOME = reverse("cells:home", kwargs={"cell_slug": "alfa"})


def test_a_federal_cells_member_acknowledges_the_federal_statement(cast, as_user):
    make_federal(cast.cell_a)
    client = as_user(cast.bob)
    page = client.get(url("acknowledge")).content.decode()
    assert FEDERAL_WORDS in page and "law of 30 July 2018" in page
    assert FLEMISH_WORDS not in page and "decree" not in page.lower()
    client.post(url("acknowledge"), {"acknowledge": "on"})
    assert ConfidentialityAcknowledgement.objects.get(user=cast.bob).statement_version == "federal-2026-1"
    assert selectors.has_acknowledged(cell=cast.cell_a, user=cast.bob)


def test_a_flemish_cells_statement_is_as_before(cast, as_user):
    client = as_user(cast.bob)
    page = client.get(url("acknowledge")).content.decode()
    assert FLEMISH_WORDS in page and FEDERAL_WORDS not in page
    client.post(url("acknowledge"), {"acknowledge": "on"})
    assert ConfidentialityAcknowledgement.objects.get(user=cast.bob).statement_version == "2026-1"


def test_switching_the_framework_asks_every_member_to_acknowledge_again(cast, as_user):
    members = [cast.alice, cast.bob, cast.mayor, cast.dries]
    for user in members:
        acknowledgement_record(cell=cast.cell_a, user=user)
    client = as_user(cast.bob)
    assert "not yet acknowledged" not in client.get(HOME).content.decode()  # the "yes" is remembered
    make_federal(cast.cell_a)
    assert not any(selectors.has_acknowledged(cell=cast.cell_a, user=user) for user in members)
    assert "not yet acknowledged" in client.get(HOME).content.decode()
    cases = client.get(reverse("cases:list", kwargs={"cell_slug": "alfa"}))
    assert cases.status_code == 302 and "acknowledge" in cases["Location"]
    client.post(url("acknowledge"), {"acknowledge": "on"})
    assert selectors.has_acknowledged(cell=cast.cell_a, user=cast.bob)
    assert "not yet acknowledged" not in client.get(HOME).content.decode()
    # The other cell of dries is not touched.
    acknowledgement_record(cell=cast.cell_b, user=cast.dries)
    assert selectors.has_acknowledged(cell=cast.cell_b, user=cast.dries)


@pytest.mark.parametrize("federal", [True, False], ids=["federal", "flemish"])
def test_the_invitee_reads_and_acknowledges_the_statement_of_the_invitations_cell(
    cast, client, django_capture_on_commit_callbacks, federal
):
    if federal:
        make_federal(cast.cell_a)
    org = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")
    invitation = InvitationFactory(cell=cast.cell_a, organisation=org, proposed_by=cast.alice,
                                   status=InvitationStatus.PENDING, email="ilse@example.test")  # fmt: skip
    mayor = Membership.objects.get(cell=cast.cell_a, user=cast.mayor)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_approve(member=mayor, invitation=invitation)
    link = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    link = link.replace("http://127.0.0.1:8000", "")
    page = client.get(link, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (FEDERAL_WORDS in page, FLEMISH_WORDS in page) == (federal, not federal)
    client.post(link, {"name": "Ilse", "password1": PASSWORD, "password2": PASSWORD, "acknowledge": "on"})
    acknowledgement = ConfidentialityAcknowledgement.objects.get(user__email="ilse@example.test")
    assert acknowledgement.statement_version == ("federal-2026-1" if federal else "2026-1")
