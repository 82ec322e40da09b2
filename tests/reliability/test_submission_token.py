"""The one-time form token (livc/submissions/): a form sent twice does what it asks once.

Through a real form (planning a meeting: nothing but the token stops a second meeting), through
a stand-in view for the htmx answers, on real concurrent PostgreSQL connections, and the states
that refuse a second revocation or resend by themselves.
"""

import datetime
import re
import threading
import time
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import BadRequest
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from livc.submissions.decorators import once_per_submission
from livc.submissions.models import Submission
from livc.submissions.services import submissions_forget
from meetings.forms import MeetingForm
from meetings.models import Meeting
from meetings.services import meetings as meeting_services
from participants.models import Invitation, InvitationEvent, InvitationStatus
from tests.base import login_verified
from tests.factories import InvitationFactory, MembershipFactory, ParticipantFactory
from tests.meetings.conftest import acknowledged_again, members, rules  # noqa: F401  fixtures

TOKEN = re.compile(r'name="submission_token" value="([0-9a-f-]{36})"')
ALREADY = "This form had already been sent: it was saved once."


def new_meeting_url():
    return reverse("meetings:new", kwargs={"cell_slug": "alfa"})


def token_of(response):
    return TOKEN.search(response.content.decode())[1]


def meeting_data(token, **overrides):
    data = {
        "kind": "operational",
        "title": "Casusoverleg december",
        "starts_at": "2026-12-10T10:00",
        "location": "Stadhuis",
        "submission_token": token,
    }
    return {**data, **overrides}


# --- Through a real form ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("acknowledged_again")
def test_a_second_post_creates_nothing_and_leads_to_the_first_result(cast, as_user):
    alice = as_user(cast.alice)
    token = token_of(alice.get(new_meeting_url()))
    first = alice.post(new_meeting_url(), meeting_data(token))
    second = alice.post(new_meeting_url(), meeting_data(token), follow=True)
    meeting = Meeting.objects.get()
    assert first.status_code == 302 and first.url == f"/c/alfa/meetings/{meeting.pk}/"
    assert second.redirect_chain == [(first.url, 302)]
    assert ALREADY in second.content.decode()
    assert Submission.objects.get(token=token).result == first.url


@pytest.mark.django_db
@pytest.mark.usefixtures("acknowledged_again")
def test_each_page_gets_a_fresh_token(cast, as_user):
    alice = as_user(cast.alice)
    tokens = {token_of(alice.get(new_meeting_url())) for _ in range(3)}
    assert len(tokens) == 3
    for token in tokens:
        alice.post(new_meeting_url(), meeting_data(token))
    assert Meeting.objects.count() == 3  # three forms, three meetings


@pytest.mark.django_db
@pytest.mark.usefixtures("acknowledged_again")
def test_a_form_with_errors_keeps_its_token_and_the_corrected_form_goes_through(cast, as_user):
    alice = as_user(cast.alice)
    token = token_of(alice.get(new_meeting_url()))
    refused = alice.post(new_meeting_url(), meeting_data(token, title=""))
    assert refused.status_code == 200 and token_of(refused) == token  # shown again, same token
    assert not Submission.objects.exists()
    corrected = alice.post(new_meeting_url(), meeting_data(token))
    assert corrected.status_code == 302
    again = alice.post(new_meeting_url(), meeting_data(token))
    assert again.status_code == 302 and again.url == corrected.url
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("members")
def test_a_refusal_by_the_service_releases_the_token(cast, as_user):
    """No rules of procedure in force: the service refuses; once they are, the same form works."""
    alice = as_user(cast.alice)
    token = token_of(alice.get(new_meeting_url()))
    refused = alice.post(new_meeting_url(), meeting_data(token))
    assert refused.status_code == 200 and "rules of procedure" in refused.content.decode()
    assert not Meeting.objects.exists() and not Submission.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("acknowledged_again")
@pytest.mark.parametrize("token", [None, "", "not-a-uuid"])
def test_a_post_without_a_valid_token_is_handled_as_before(cast, as_user, token):
    alice = as_user(cast.alice)
    data = meeting_data(token) if token is not None else meeting_data("")
    if token is None:
        del data["submission_token"]
    alice.post(new_meeting_url(), data)
    alice.post(new_meeting_url(), data)
    assert Meeting.objects.count() == 2 and not Submission.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("acknowledged_again")
def test_another_users_token_is_refused(cast, as_user):
    token = token_of(as_user(cast.alice).get(new_meeting_url()))
    as_user(cast.alice).post(new_meeting_url(), meeting_data(token))
    other = MembershipFactory(cell=cast.cell_a, coordinator=True).user
    from participants.rules import acknowledgement_record

    acknowledgement_record(cell=cast.cell_a, user=other)
    response = as_user(other).post(new_meeting_url(), meeting_data(token))
    assert response.status_code == 400
    assert Meeting.objects.count() == 1


# --- The decorator's answers, with a stand-in view ----------------------------------------------


def _request(user, token, *, htmx=False, current=""):
    headers = {"HX-Request": "true", "HX-Current-URL": current} if htmx else {}
    request = RequestFactory(headers=headers).post("/form/", {"submission_token": str(token)})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = HtmxDetails(request)
    return request


def _view(answer):
    calls = []

    @once_per_submission
    def view(request):
        calls.append(request)
        return answer(request)

    return view, calls


@pytest.mark.django_db
def test_the_view_is_marked_and_keeps_its_name(cast):
    view, _calls = _view(lambda request: HttpResponse())
    assert view.once_per_submission is True and view.__name__ == "view"


@pytest.mark.django_db
def test_an_htmx_duplicate_is_sent_to_the_first_result_by_hx_redirect(cast):
    view, calls = _view(lambda request: HttpResponseClientRedirect("/c/alfa/done/"))
    token = uuid.uuid4()
    view(_request(cast.alice, token, htmx=True))
    again = _request(cast.alice, token, htmx=True)
    response = view(again)
    assert len(calls) == 1
    assert response.status_code == 200 and response["HX-Redirect"] == "/c/alfa/done/"
    assert [str(message) for message in get_messages(again)] == [ALREADY]


@pytest.mark.django_db
def test_an_htmx_fragment_counts_as_done_and_a_duplicate_reloads_the_page_it_was_sent_from(cast):
    view, calls = _view(lambda request: HttpResponse("<p>saved</p>"))
    token = uuid.uuid4()
    page = "http://testserver/c/alfa/meetings/1/run/?item=2"
    view(_request(cast.alice, token, htmx=True, current=page))
    assert Submission.objects.get(token=token).result == "/c/alfa/meetings/1/run/?item=2"
    response = view(_request(cast.alice, token, htmx=True, current=page))
    assert len(calls) == 1 and response["HX-Redirect"] == "/c/alfa/meetings/1/run/?item=2"


@pytest.mark.django_db
def test_an_htmx_error_answer_releases_the_token(cast):
    view, calls = _view(lambda request: HttpResponse("<p>errors</p>", status=400))
    token = uuid.uuid4()
    view(_request(cast.alice, token, htmx=True))
    view(_request(cast.alice, token, htmx=True))
    assert len(calls) == 2 and not Submission.objects.exists()


@pytest.mark.django_db
def test_a_redirect_with_an_error_message_releases_the_token(cast):
    from django.contrib import messages

    def refuse(request):
        messages.error(request, "Choose the case to add.")
        return HttpResponseRedirect("/c/alfa/meetings/1/")

    view, calls = _view(refuse)
    token = uuid.uuid4()
    view(_request(cast.alice, token))
    view(_request(cast.alice, token))
    assert len(calls) == 2 and not Submission.objects.exists()


@pytest.mark.django_db
def test_an_exception_in_the_view_leaves_no_token(cast):
    def fail(request):
        raise RuntimeError("boom")

    view, _calls = _view(fail)
    with pytest.raises(RuntimeError):
        view(_request(cast.alice, uuid.uuid4()))
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_someone_not_logged_in_and_a_get_pass_through(cast):
    view, calls = _view(lambda request: HttpResponseRedirect("/x/"))
    token = uuid.uuid4()
    view(_request(AnonymousUser(), token))
    view(_request(AnonymousUser(), token))
    get = RequestFactory().get("/form/", {"submission_token": str(token)})
    get.user = cast.alice
    view(get)
    assert len(calls) == 3 and not Submission.objects.exists()


@pytest.mark.django_db
def test_a_token_of_another_user_raises_bad_request(cast):
    view, _calls = _view(lambda request: HttpResponseRedirect("/x/"))
    token = uuid.uuid4()
    view(_request(cast.alice, token))
    with pytest.raises(BadRequest):
        view(_request(cast.bob, token))


# --- The tag -------------------------------------------------------------------------------------


def _render(source, request, **context):
    return Template("{% load submissions %}" + source).render(Context({"request": request, **context}))


def test_the_tag_gives_a_fresh_token_on_a_get_and_keeps_the_posted_one_for_the_form_that_was_sent():
    get = RequestFactory().get("/")
    first, second = (TOKEN.search(_render("{% submission_token %}", get))[1] for _ in range(2))
    assert first != second
    sent = str(uuid.uuid4())
    post = RequestFactory().post("/", {"submission_token": sent, "title": ""})
    bound, unbound = MeetingForm({"title": ""}), MeetingForm()
    assert TOKEN.search(_render("{% submission_token %}", post))[1] == sent
    assert TOKEN.search(_render("{% submission_token form %}", post, form=bound))[1] == sent
    assert TOKEN.search(_render("{% submission_token form %}", post, form=unbound))[1] != sent
    assert TOKEN.search(_render("{% submission_token fresh=True %}", post))[1] != sent
    garbled = RequestFactory().post("/", {"submission_token": "<script>"})
    assert "<script>" not in _render("{% submission_token %}", garbled)


# --- Forgetting ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tokens_older_than_a_day_are_forgotten(cast):
    now = timezone.now()
    old = Submission.objects.create(
        token=uuid.uuid4(), user=cast.alice, created_at=now - datetime.timedelta(hours=25)
    )
    new = Submission.objects.create(
        token=uuid.uuid4(), user=cast.alice, created_at=now - datetime.timedelta(hours=23)
    )
    assert submissions_forget(now=now) == 1
    assert list(Submission.objects.all()) == [new] and old.pk not in {new.pk}


# --- Two requests at the same moment (PostgreSQL) ------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("acknowledged_again")
def test_two_posts_of_one_token_at_the_same_moment_make_one_meeting(cast, monkeypatch):
    real = meeting_services.meeting_create

    def slow(**kwargs):
        meeting = real(**kwargs)
        time.sleep(0.5)  # the other request arrives while this one has not committed
        return meeting

    monkeypatch.setattr(meeting_services, "meeting_create", slow)
    clients = [login_verified(Client(), cast.alice) for _ in range(2)]
    token = token_of(clients[0].get(new_meeting_url()))
    start = threading.Barrier(2)
    answers: list[object] = []
    errors: list[BaseException] = []

    def post(client):
        try:
            start.wait()
            answers.append(client.post(new_meeting_url(), meeting_data(token)))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    meeting = Meeting.objects.get()
    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer.url for answer in answers} == {f"/c/alfa/meetings/{meeting.pk}/"}
    assert Submission.objects.count() == 1


# --- States that refuse a second time by themselves ----------------------------------------------


def _accepted_participant(cast):
    membership = MembershipFactory(cell=cast.cell_a)
    participant = ParticipantFactory(membership=membership)
    InvitationFactory(
        cell=cast.cell_a, email=membership.user.email, organisation=participant.organisation,
        status=InvitationStatus.ACCEPTED, membership=membership, proposed_by=cast.alice,
    )  # fmt: skip
    return participant


@pytest.mark.django_db
def test_a_second_revocation_from_another_tab_is_refused_and_recorded_once(cast, as_user):
    participant = _accepted_participant(cast)
    revoke = reverse("participants:participant_revoke", kwargs={"cell_slug": "alfa", "pk": participant.pk})
    tabs = [as_user(cast.alice), as_user(cast.mayor)]
    first = tabs[0].post(revoke, {"reason": "Verhuisd", "submission_token": str(uuid.uuid4())})
    second = tabs[1].post(revoke, {"reason": "Verhuisd", "submission_token": str(uuid.uuid4())}, follow=True)
    assert first.status_code == 302
    assert "already ended" in second.content.decode()
    assert InvitationEvent.objects.filter(action=InvitationEvent.Action.REVOKED).count() == 1


@pytest.mark.django_db
def test_resend_writes_one_event_per_token(cast, as_user, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(
        cell=cast.cell_a, status=InvitationStatus.SENT, proposed_by=cast.alice, decided_by=cast.mayor,
        sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=14), token_nonce="x",
    )  # fmt: skip
    resend = reverse(
        "participants:invitation_action",
        kwargs={"cell_slug": "alfa", "pk": invitation.pk, "action": "resend"},
    )
    alice = as_user(cast.alice)
    same, other = str(uuid.uuid4()), str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        alice.post(resend, {"submission_token": same})
        alice.post(resend, {"submission_token": same})  # a double click
        alice.post(resend, {"submission_token": other})  # a second tab
    resent = InvitationEvent.objects.filter(invitation=invitation, action=InvitationEvent.Action.RESENT)
    assert resent.count() == 2
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.SENT
