"""Every case URL, every role: other cells and other tables get 404, readers may not write
(403), and every page that shows the case records exactly one access entry."""

import pytest
from django.urls import reverse

from livc.audit.models import LogEntry

pytestmark = pytest.mark.django_db

READ_PAGES = ["detail", "table", "informing", "item_new", "identity_request"]
MANAGER_PAGES = ["identity", "relation_new", "invite"]
LOGGED_PAGES = ["detail", "table", "informing"]


def url(case, name, cell="alfa"):
    return reverse(f"cases:{name}", kwargs={"cell_slug": cell, "pk": case.pk})


@pytest.mark.parametrize("name", READ_PAGES + MANAGER_PAGES)
def test_the_coordinator_opens_every_page(cast, as_user, case_a, name):
    assert as_user(cast.alice).get(url(case_a, name)).status_code == 200


@pytest.mark.parametrize("who", ["mayor", "officer", "bob"])
def test_readers_open_the_read_pages_and_get_403_on_the_managers_pages(cast, as_user, case_a, who):
    client = as_user(getattr(cast, who))
    for name in READ_PAGES:
        assert client.get(url(case_a, name)).status_code == 200, name
    for name in MANAGER_PAGES:
        assert client.get(url(case_a, name)).status_code == 403, name


@pytest.mark.parametrize("name", READ_PAGES + MANAGER_PAGES)
def test_bob_gets_404_for_a_case_whose_table_he_does_not_sit_at(cast, as_user, other_case, case_a, name):
    assert as_user(cast.bob).get(url(other_case, name)).status_code == 404


@pytest.mark.parametrize("name", READ_PAGES + MANAGER_PAGES)
def test_charlie_gets_404_in_cell_a_and_in_his_own_cell(cast, as_user, case_a, name):
    client = as_user(cast.charlie)
    assert client.get(url(case_a, name)).status_code == 404
    assert client.get(url(case_a, name, cell="bravo")).status_code == 404


@pytest.mark.parametrize("name", READ_PAGES + MANAGER_PAGES)
def test_the_dpo_sees_no_case_content(cast, as_user, case_a, name):
    assert as_user(cast.dpo).get(url(case_a, name)).status_code == 404


def test_the_dpo_and_charlie_get_no_case_list_or_referrals(cast, as_user, case_a):
    for user, cell in ((cast.dpo, "alfa"), (cast.charlie, "alfa")):
        client = as_user(user)
        assert client.get(reverse("cases:list", kwargs={"cell_slug": cell})).status_code == 404
        assert client.get(reverse("cases:referrals", kwargs={"cell_slug": cell})).status_code == 404


@pytest.mark.parametrize("name", LOGGED_PAGES)
def test_each_case_page_records_one_access_with_actor_cell_and_case(cast, as_user, case_a, name):
    as_user(cast.bob).get(url(case_a, name))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.cell, entry.object_pk) == (cast.bob, cast.cell_a, str(case_a.pk))
    assert entry.object_repr == f"Case {case_a.reference}"


def test_a_refused_request_is_not_logged_as_an_access(cast, as_user, other_case):
    as_user(cast.bob).get(url(other_case, "detail"))
    as_user(cast.charlie).get(url(other_case, "detail"))
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_the_case_list_shows_a_participant_exactly_their_cases(cast, as_user, case_a, other_case):
    content = as_user(cast.bob).get(reverse("cases:list", kwargs={"cell_slug": "alfa"})).content.decode()
    assert case_a.reference in content and other_case.reference not in content
    content = as_user(cast.alice).get(reverse("cases:list", kwargs={"cell_slug": "alfa"})).content.decode()
    assert case_a.reference in content and other_case.reference in content


@pytest.mark.parametrize(
    ("name", "data"),
    [("status", {"status": "closed", "reason": "x"}), ("review", {"review_on": "2027-01-01"}), ("table", {})],
)
def test_a_seated_participant_cannot_change_the_case(cast, as_user, case_a, name, data):
    response = as_user(cast.bob).post(url(case_a, name), data)
    assert response.status_code == 403
    case_a.refresh_from_db()
    assert case_a.status == "open" and case_a.review_on is None


def test_unseating_ends_access_at_once(cast, as_user, case_a, members):
    client = as_user(cast.bob)
    assert client.get(url(case_a, "detail")).status_code == 200
    seat = case_a.seats.get()
    as_user(cast.alice).post(
        reverse("cases:unseat", kwargs={"cell_slug": "alfa", "pk": case_a.pk, "seat_pk": seat.pk})
    )
    client = as_user(cast.bob)
    assert client.get(url(case_a, "detail")).status_code == 404
    assert not cast.bob.has_perm("cases.view_case", case_a)


def test_revoking_a_participant_clears_their_seats(cast, as_user, case_a, members, seats):
    from participants.services import participant_revoke

    participant_revoke(member=members["coordinator"], participant=seats["participant"])
    assert not case_a.seats.exists()
    assert not cast.bob.has_perm("cases.view_case", case_a)


def test_case_content_waits_for_the_confidentiality_acknowledgement(cast, as_user, case_a):
    from participants.models import ConfidentialityAcknowledgement

    ConfidentialityAcknowledgement.objects.filter(user=cast.bob).delete()
    response = as_user(cast.bob).get(url(case_a, "detail"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("participants:acknowledge", kwargs={"cell_slug": "alfa"}))
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_every_case_page_carries_the_secrecy_notice(cast, as_user, case_a):
    for name in READ_PAGES:
        assert "458ter" in as_user(cast.bob).get(url(case_a, name)).content.decode()
