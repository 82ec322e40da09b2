import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import InformingEntry

pytestmark = pytest.mark.django_db


def url(case, name):
    return reverse(f"cases:{name}", kwargs={"cell_slug": "alfa", "pk": case.pk})


def test_closing_needs_a_reason_and_a_closed_case_can_be_reopened(cast, as_user, case_a):
    client = as_user(cast.alice)
    response = client.post(url(case_a, "close"), {"reason": ""})
    assert response.status_code == 200 and "field--error" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == "open"
    client.post(url(case_a, "close"), {"reason": "Traject afgerond."})
    case_a.refresh_from_db()
    assert case_a.status == "closed" and case_a.closed_at is not None
    client.post(url(case_a, "status"), {"status": "open"})
    case_a.refresh_from_db()
    assert case_a.status == "open" and case_a.closed_at is None


def test_a_status_the_workflow_forbids_is_refused(cast, as_user, case_a):
    response = as_user(cast.alice).post(url(case_a, "status"), {"status": "open"}, follow=True)
    assert "Choose the case" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == "open"


def test_the_status_list_starts_on_a_blank_choice_and_closing_asks_for_confirmation(cast, as_user, case_a):
    client = as_user(cast.alice)
    content = client.get(url(case_a, "detail")).content.decode()
    select = content[
        content.index('name="status"') : content.index("</select>", content.index('name="status"'))
    ]
    assert "selected" not in select.split("</option>", 1)[1]  # nothing but the blank line is chosen
    assert '<option value="" selected>' in select and "required" in select
    assert client.post(url(case_a, "status"), {"status": ""}).status_code == 302
    response = client.post(url(case_a, "status"), {"status": "closed"})
    assert response["Location"] == url(case_a, "close")
    page = client.get(url(case_a, "close"))
    assert page.status_code == 200 and "Close the case" in page.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == "open"
    response = client.post(url(case_a, "close"), {"reason": "Traject afgerond."}, follow=True)
    case_a.refresh_from_db()
    assert case_a.status == "closed"
    assert f"Case {case_a.reference} closed." in response.content.decode()


def test_following_up_changes_at_once_with_a_confirmation(cast, as_user, case_a):
    response = as_user(cast.alice).post(url(case_a, "status"), {"status": "follow_up"}, follow=True)
    case_a.refresh_from_db()
    assert case_a.status == "follow_up"
    assert "Status changed to" in response.content.decode()


def test_a_participant_cannot_open_the_closing_page(cast, as_user, case_a):
    assert as_user(cast.bob).get(url(case_a, "close")).status_code == 403


def test_the_list_filters_overdue_reviews_and_minors(cast, as_user, case_a, other_case):
    other_case.review_on = timezone.localdate() - datetime.timedelta(days=1)
    other_case.save()
    content = (
        as_user(cast.alice)
        .get(reverse("cases:list", kwargs={"cell_slug": "alfa"}) + "?overdue=1")
        .content.decode()
    )
    assert other_case.reference in content and case_a.reference not in content
    content = (
        as_user(cast.alice)
        .get(reverse("cases:list", kwargs={"cell_slug": "alfa"}) + "?minors=1")
        .content.decode()
    )
    assert other_case.reference not in content


def test_the_informing_register_takes_deferrals_and_refuses_informed_without_a_decision(
    cast, as_user, case_a
):
    client = as_user(cast.officer)
    response = client.post(
        url(case_a, "informing"), {"kind": "deferred", "deferral_reason": "", "review_on": ""}
    )
    assert "Give the reason for deferring" in response.content.decode()
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    client.post(
        url(case_a, "informing"),
        {"kind": "deferred", "deferral_reason": "Onderzoek loopt.", "review_on": future},
    )
    response = client.post(url(case_a, "informing"), {"kind": "informed", "message": "U werd besproken.",
                                                      "informed_on": timezone.localdate().isoformat()})  # fmt: skip
    assert "only after a new decision of the table" in response.content.decode()
    assert list(InformingEntry.objects.values_list("kind", flat=True)) == ["deferred"]
    assert as_user(cast.bob).post(url(case_a, "informing"), {"kind": "deferred"}).status_code == 403


def test_an_ad_hoc_invitee_is_seated_at_that_case_on_accepting(cast, as_user, case_a, members, seats,
                                                               django_capture_on_commit_callbacks):  # fmt: skip
    from participants.models import Invitation
    from participants.services import NewAccount, invitation_accept, invitation_approve
    from tests.base import PASSWORD

    as_user(cast.alice).post(url(case_a, "invite"), {
        "name": "Adje Hoc", "email": "adhoc@example.test", "organisation": seats["participant"].organisation.pk,
        "function": "Trainer", "kind": "volunteer", "motivation": "Kent hem van de club.", "language": "en"})  # fmt: skip
    invitation = Invitation.objects.get(email="adhoc@example.test")
    assert invitation.scope == "ad_hoc" and invitation.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        invitation_approve(member=members["mayor"], invitation=invitation)
    invitation.refresh_from_db()
    membership = invitation_accept(invitation=invitation, nonce=invitation.token_nonce, user=None,
                                   new_account=NewAccount("Adje Hoc", PASSWORD))  # fmt: skip
    assert membership.user.has_perm("cases.view_case", case_a)
