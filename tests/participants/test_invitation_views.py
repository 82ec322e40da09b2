import pytest
from django.core import mail
from django.urls import reverse

from livc.cells.models import Cell
from livc.legal import LegalFramework
from participants.models import Invitation, InvitationStatus
from tests.factories import InvitationFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"participants:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def form(org, **overrides):
    values = {
        "name": "Ilse Invité",
        "email": "ilse@example.test",
        "organisation": org.pk,
        "function": "Jeugdconsulent",
        "kind": "professional",
        "motivation": "Kent de jongeren in de wijk.",
        "language": "nl",
    }
    return {**values, **overrides}


def test_the_coordinator_proposes_an_invitation_in_one_step(cast, as_user, org):
    response = as_user(cast.alice).post(url("invitation_new"), {**form(org), "propose": "1"})
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.proposed_by == cast.alice


def test_an_excluded_organisation_gets_its_legal_reason_and_the_form_keeps_the_input(cast, as_user):
    vsse = OrganisationFactory(cell=cast.cell_a, name="VSSE", type="state_security")
    response = as_user(cast.alice).post(url("invitation_new"), {**form(vsse), "propose": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Local Taskforce" in content
    assert 'value="ilse@example.test"' in content and "Kent de jongeren in de wijk." in content
    assert not Invitation.objects.exists()


def test_missing_fields_are_named_and_nothing_is_saved(cast, as_user, org):
    response = as_user(cast.alice).post(
        url("invitation_new"), form(org, motivation="", email="not-an-address")
    )
    content = response.content.decode()
    assert "Enter a valid email address" in content
    assert 'aria-invalid="true"' in content
    assert not Invitation.objects.exists()


def test_an_organisation_of_another_cell_cannot_be_picked(cast, as_user):
    foreign = OrganisationFactory(cell=cast.cell_b)
    response = as_user(cast.alice).post(url("invitation_new"), form(foreign))
    assert "Select a valid choice" in response.content.decode()


def test_the_mayor_approves_from_the_queue_and_the_mail_goes_out(
    cast, as_user, org, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(cell=cast.cell_a, organisation=org, proposed_by=cast.alice,
                                   status=InvitationStatus.PENDING)  # fmt: skip
    client = as_user(cast.mayor)
    assert invitation.name in client.get(url("approvals")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invitation_action", pk=invitation.pk, action="approve"), {"from": "approvals"}
        )
    assert response["Location"] == url("approvals")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert len(mail.outbox) == 1


def test_rejecting_without_a_reason_says_so_and_keeps_the_queue(cast, as_user, org):
    invitation = InvitationFactory(cell=cast.cell_a, organisation=org, proposed_by=cast.alice,
                                   status=InvitationStatus.PENDING)  # fmt: skip
    response = as_user(cast.mayor).post(url("invitation_reject", pk=invitation.pk), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_the_coordinator_reads_the_reason_and_the_decline_motivation(cast, as_user, org):
    InvitationFactory(cell=cast.cell_a, organisation=org, proposed_by=cast.alice, status=InvitationStatus.REJECTED,
                      rejection_reason="Geen structurele bijdrage.")  # fmt: skip
    InvitationFactory(cell=cast.cell_a, organisation=org, proposed_by=cast.alice, status=InvitationStatus.DECLINED,
                      decline_motivation="Mijn vertrouwensrelatie gaat voor.")  # fmt: skip
    for who in (cast.alice, cast.mayor):
        content = as_user(who).get(url("invitations")).content.decode()
        assert "Geen structurele bijdrage." in content
        assert "Mijn vertrouwensrelatie gaat voor." in content


def test_the_list_filters_by_status(cast, as_user, org):
    InvitationFactory(
        cell=cast.cell_a, organisation=org, name="Pending Person", status=InvitationStatus.PENDING
    )
    InvitationFactory(cell=cast.cell_a, organisation=org, name="Draft Person", status=InvitationStatus.DRAFT)
    content = as_user(cast.alice).get(url("invitations") + "?status=pending").content.decode()
    assert "Pending Person" in content and "Draft Person" not in content
    content = as_user(cast.alice).get(url("invitations") + "?status=bogus").content.decode()
    assert "Pending Person" in content and "Draft Person" in content


def test_the_detail_shows_the_history_with_who_and_when(cast, as_user, org):
    as_user(cast.alice).post(url("invitation_new"), {**form(org), "propose": "1"})
    invitation = Invitation.objects.get()
    content = as_user(cast.alice).get(url("invitation_detail", pk=invitation.pk)).content.decode()
    assert "drafted" in content and "proposed to the mayor" in content
    assert cast.alice.name in content


def test_a_refused_step_comes_back_as_a_message(cast, as_user, org):
    invitation = InvitationFactory(cell=cast.cell_a, organisation=org, status=InvitationStatus.ACCEPTED)
    response = as_user(cast.alice).post(
        url("invitation_action", pk=invitation.pk, action="withdraw"), follow=True
    )
    assert "cannot become" in response.content.decode()


def test_the_motivation_is_asked_in_the_words_of_the_cells_law(cast, as_user):
    flemish = as_user(cast.alice).get(url("invitation_new")).content.decode()
    assert (
        "case-based follow-up (decree LIVC-R)" in flemish
        and "The mayor decides on this motivation" in flemish
    )
    Cell.objects.filter(pk=cast.cell_a.pk).update(legal_framework=LegalFramework.FEDERAL)
    federal = as_user(cast.alice).get(url("invitation_new")).content.decode()
    assert "case-based follow-up (law of 30 July 2018)" in federal and "decree" not in federal.lower()
