"""Who may open which page: other cells and other roles get 404; reads of people are logged."""

import pytest
from django.urls import reverse

from livc.audit.models import LogEntry
from participants.models import InvitationStatus
from tests.factories import InvitationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(cast, org, members):
    invitation = InvitationFactory(cell=cast.cell_a, organisation=org, proposed_by=cast.alice,
                                   status=InvitationStatus.PENDING)  # fmt: skip
    seat = ParticipantFactory(membership=members["participant"], organisation=org)
    return {"invitation": invitation, "seat": seat}


def url(name, **kwargs):
    return reverse(f"participants:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def pages(objects):
    inv, seat = objects["invitation"].pk, objects["seat"].pk
    return {
        # page: roles that may open it
        url("organisations"): {"alice", "mayor"},
        url("participants"): {"alice", "mayor"},
        url("participant_edit", pk=seat): {"alice", "mayor"},
        url("invitations"): {"alice", "mayor"},
        url("invitation_new"): {"alice"},
        url("invitation_detail", pk=inv): {"alice", "mayor"},
        url("approvals"): {"mayor"},
        url("rules"): {"alice", "mayor", "bob", "officer", "dpo"},  # governance, not case content
        url("rules_edit"): {"alice"},
        url("acknowledge"): {"alice", "mayor", "bob", "officer", "dpo"},
    }


@pytest.mark.parametrize("who", ["alice", "mayor", "bob", "officer", "dpo", "charlie"])
def test_each_page_opens_for_its_roles_only_and_is_a_404_for_everyone_else(cast, as_user, objects, who):
    client = as_user(getattr(cast, who))
    for page, allowed in pages(objects).items():
        status = client.get(page).status_code
        assert status == (200 if who in allowed else 404), (who, page, status)


@pytest.mark.parametrize(
    ("name", "needs"),
    [("participants", None), ("invitations", None), ("approvals", None), ("invitation_detail", "invitation"),
     ("participant_edit", "seat")],
)  # fmt: skip
def test_pages_listing_people_record_one_access_entry(cast, as_user, objects, name, needs):
    kwargs = {"pk": objects[needs].pk} if needs else {}
    as_user(cast.mayor).get(url(name, **kwargs))
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == 1
    entry = entries.get()
    assert (entry.actor, entry.cell) == (cast.mayor, cast.cell_a)
    assert entry.additional_data == {"view": f"participants:{name}"}


def test_charlie_is_not_logged_as_having_seen_anything(cast, as_user, objects):
    client = as_user(cast.charlie)
    client.get(url("participants"))
    client.get(url("invitation_detail", pk=objects["invitation"].pk))
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_an_invitation_of_cell_a_is_a_404_under_cell_b_even_for_its_coordinator(cast, as_user, objects):
    client = as_user(cast.charlie)
    response = client.get(reverse("participants:invitation_detail",
                                  kwargs={"cell_slug": "bravo", "pk": objects["invitation"].pk}))  # fmt: skip
    assert response.status_code == 404


def test_a_mayor_of_cell_a_cannot_approve_for_cell_b(cast, as_user, objects):
    from livc.cells.models import Membership, Role

    Membership.objects.create(cell=cast.cell_b, user=cast.mayor, role=Role.MAYOR)
    foreign = InvitationFactory(cell=cast.cell_b, status=InvitationStatus.PENDING, proposed_by=cast.charlie)
    response = as_user(cast.mayor).post(
        reverse(
            "participants:invitation_action",
            kwargs={"cell_slug": "alfa", "pk": foreign.pk, "action": "approve"},
        )
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == InvitationStatus.PENDING


def test_a_coordinator_posting_an_approval_gets_403(cast, as_user, objects):
    response = as_user(cast.alice).post(
        url("invitation_action", pk=objects["invitation"].pk, action="approve")
    )
    assert response.status_code == 403
    objects["invitation"].refresh_from_db()
    assert objects["invitation"].status == InvitationStatus.PENDING


def test_a_mayor_cannot_write_where_only_the_coordinator_writes(cast, as_user, objects):
    client = as_user(cast.mayor)
    assert client.post(url("organisations"), {"name": "X", "type": "clb"}).status_code == 404
    assert (
        client.post(url("invitation_action", pk=objects["invitation"].pk, action="withdraw")).status_code
        == 403
    )


def test_an_unknown_action_is_a_404(cast, as_user, objects):
    response = as_user(cast.alice).post(f"/c/alfa/invitations/{objects['invitation'].pk}/explode/")
    assert response.status_code == 404
