"""Two people saving the same unique thing at the same moment: one succeeds, the other gets the
form's error, never a 500 (issue 13).

Each race runs two threads that start together (`threading.Barrier`), each with its own database
connection, closed at its end. The organisation race is a true one, through the page, several
times over: whichever request comes second gets the form error, whether its check or the
database refused it. The others make sure both racers passed the check before either saves (each
waits for the other at its save, `both_checked`), so that the database's refusal, turned into the
form error by `livc/db.py::unique_or_error`, is what the second one meets.

The last tests check the helper itself on whatever database runs the suite, and SQLite's
messages, which name columns rather than constraints.
"""

import datetime
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from livc.accounts.models import User
from livc.cells.models import Membership, Municipality, Role
from livc.db import unique_or_error, violates, violation_of
from meetings.models import Attendance, Decision
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from participants import services
from participants.models import Invitation, InvitationStatus, Organisation, Participant
from participants.tokens import make_token, new_nonce
from tests.base import PASSWORD, login_verified
from tests.cases.conftest import case_a, members, other_case, seats
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.meetings.conftest import acknowledged_again, agenda, meeting, rules, running

__all__ = [
    "acknowledged_again",
    "agenda",
    "case_a",
    "meeting",
    "members",
    "other_case",
    "rules",
    "running",
    "seats",
]

TIMEOUT = 30


def race(*calls: Callable[[], object]) -> list[object]:
    """Run the calls at the same moment, each in a thread with its own connection (in English);
    return what each returned or raised, in order."""
    start = threading.Barrier(len(calls), timeout=TIMEOUT)
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            with translation.override("en"):
                start.wait()
                outcomes[index] = call()
        except BaseException as error:  # reported by the test, in its own thread
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a racer hangs"
    return outcomes


@contextmanager
def both_checked(model: type[models.Model], racers: int = 2) -> Iterator[None]:
    """Each racer's first save of `model` waits until every racer got there: all of them passed
    the service's check before any saves, so the database decides."""
    arrived = threading.Barrier(racers, timeout=TIMEOUT)
    waited = threading.local()
    original = model.save

    def save(self: models.Model, *args: object, **kwargs: object) -> None:
        if not getattr(waited, "done", False):
            waited.done = True
            arrived.wait()
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch.object(model, "save", save):
        yield


def split(outcomes: list[object]) -> tuple[list[object], list[BaseException]]:
    done = [o for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    return done, refused


def messages_of(error: BaseException) -> list[str]:
    assert isinstance(error, ValidationError), repr(error)
    return error.messages


# --- Organisations: a true race, through the page ---------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_adding_the_same_organisation_one_gets_the_form_error(cast):
    second = UserFactory(email="coordinator2@example.test", name="Cas Coppens")
    MembershipFactory(cell=cast.cell_a, user=second, coordinator=True)
    clients = [login_verified(Client(), cast.alice), login_verified(Client(), second)]
    url = reverse("participants:organisations", kwargs={"cell_slug": "alfa"})
    for round in range(5):
        name = f"OCMW Alfa {round}"
        data = {"name": name, "type": "social_service"}
        answers = race(*(lambda client=client, data=data: client.post(url, data) for client in clients))
        assert sorted(answer.status_code for answer in answers) == [200, 302], answers  # type: ignore[attr-defined]
        refused = next(answer for answer in answers if answer.status_code == 200)  # type: ignore[attr-defined]
        page = refused.content.decode()
        assert "The cell already has an organisation of that name." in page
        assert f'value="{name}"' in page  # what was typed stays
        assert Organisation.objects.filter(cell=cast.cell_a, name=name).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_when_both_pass_the_check_the_database_refuses_the_second_with_the_same_error(cast):
    second = MembershipFactory(cell=cast.cell_a, coordinator=True)
    alice = Membership.objects.get(cell=cast.cell_a, user=cast.alice)
    save = lambda member: services.organisation_save(member=member, name="CLB Alfa", type="clb")
    with both_checked(Organisation):
        done, refused = split(race(lambda: save(alice), lambda: save(second)))
    assert len(done) == 1 and len(refused) == 1
    error = refused[0]
    assert isinstance(error, ValidationError) and isinstance(error.__cause__, IntegrityError)
    assert error.message_dict == {"name": ["The cell already has an organisation of that name."]}
    assert Organisation.objects.filter(cell=cast.cell_a, name="CLB Alfa").count() == 1


# --- Accepting an invitation -------------------------------------------------------------------------


def sent_invitation(cell, email: str, **extra: object) -> Invitation:
    return InvitationFactory(
        cell=cell, email=email, status=InvitationStatus.SENT, token_nonce=new_nonce(),
        expires_at=timezone.now() + datetime.timedelta(days=7), **extra,
    )  # fmt: skip


def link(invitation: Invitation) -> str:
    token = make_token(invitation_id=invitation.pk, nonce=invitation.token_nonce)
    return reverse("invitation:respond", kwargs={"token": token})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tabs_accepting_the_same_invitation_make_one_account_and_one_membership(cast):
    invitation = sent_invitation(cast.cell_a, "ilse@example.test")
    data = {"name": "Ilse Invité", "password1": PASSWORD, "password2": PASSWORD, "acknowledge": "on"}
    tabs = [Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")]
    answers = race(*(lambda tab=tab: tab.post(link(invitation), data) for tab in tabs))
    statuses = sorted(answer.status_code for answer in answers)  # type: ignore[attr-defined]
    assert statuses == [302, 410], answers
    second = next(answer for answer in answers if answer.status_code == 410)  # type: ignore[attr-defined]
    assert "This link has already been used" in second.content.decode()
    assert User.objects.filter(email__iexact="ilse@example.test").count() == 1
    assert Membership.objects.filter(cell=cast.cell_a, user__email="ilse@example.test").count() == 1
    assert Participant.objects.filter(membership__user__email="ilse@example.test").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_cells_invitations_accepted_at_once_make_one_account(cast):
    """A new address invited by two cells, both links opened at once: the first makes the
    account; the second is told to log in with it, as if it had come after."""
    invitations = [sent_invitation(cell, "nieuw@example.test") for cell in (cast.cell_a, cast.cell_b)]
    accept = lambda invitation: services.invitation_accept(
        invitation=invitation, nonce=invitation.token_nonce, user=None,
        new_account=services.NewAccount(name="Nina Nieuw", password=PASSWORD),
    )  # fmt: skip
    with both_checked(User):
        done, refused = split(race(*(lambda i=i: accept(i) for i in invitations)))
    assert len(done) == 1 and len(refused) == 1
    assert isinstance(refused[0], PermissionDenied) and isinstance(refused[0].__cause__, IntegrityError)
    assert str(refused[0]) == "Log in with the account of nieuw@example.test first."
    assert User.objects.filter(email="nieuw@example.test").count() == 1
    assert Membership.objects.filter(user__email="nieuw@example.test").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_invitations_of_one_cell_accepted_at_once_give_one_membership(cast):
    """Two invitations to one person in one cell (a pair from before the constraint on open
    invitations, which compares the stored address), accepted at once by their logged-in owner."""
    ilse = UserFactory(email="ilse@example.test")
    invitations = [
        sent_invitation(cast.cell_a, email) for email in ("ilse@example.test", "Ilse@example.test")
    ]
    accept = lambda invitation: services.invitation_accept(
        invitation=invitation, nonce=invitation.token_nonce, user=ilse
    )
    with both_checked(Membership):
        done, refused = split(race(*(lambda i=i: accept(i) for i in invitations)))
    assert len(done) == 1 and len(refused) == 1
    assert messages_of(refused[0]) == ["You are already a member of this cell."]
    assert isinstance(refused[0].__cause__, IntegrityError)
    assert Membership.objects.filter(cell=cast.cell_a, user=ilse).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_fixed_representatives_of_one_organisation_accepting_at_once_replace_one_another(cast):
    """The newest fixed representative replaces the previous one; two at once: one after the other."""
    organisation = OrganisationFactory(cell=cast.cell_a)
    invitations = [
        sent_invitation(
            cast.cell_a, f"vast{n}@example.test", organisation=organisation, as_fixed_representative=True
        )
        for n in (1, 2)
    ]
    accept = lambda invitation: services.invitation_accept(
        invitation=invitation, nonce=invitation.token_nonce, user=None,
        new_account=services.NewAccount(name="Vaste Vertegenwoordiger", password=PASSWORD),
    )  # fmt: skip
    done, refused = split(race(*(lambda i=i: accept(i) for i in invitations)))
    assert refused == [] and len(done) == 2
    assert Participant.objects.filter(organisation=organisation).count() == 2
    assert Participant.objects.filter(organisation=organisation, is_fixed_representative=True).count() == 1


# --- Invitations to one address ----------------------------------------------------------------------


def invitation_data(organisation: Organisation, email: str) -> services.InvitationData:
    return services.InvitationData(
        name="Ilse Invité", email=email, organisation=organisation, function="Jeugdconsulent",
        kind="professional", as_fixed_representative=False, motivation="Kent de jongeren.", language="nl",
    )  # fmt: skip


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_inviting_one_address_at_once_make_one_invitation(cast):
    second = MembershipFactory(cell=cast.cell_a, coordinator=True)
    alice = Membership.objects.get(cell=cast.cell_a, user=cast.alice)
    organisation = OrganisationFactory(cell=cast.cell_a)
    draft = lambda member, email: services.invitation_save_draft(
        member=member, data=invitation_data(organisation, email)
    )
    with both_checked(Invitation):
        done, refused = split(
            race(lambda: draft(alice, "ilse@example.test"), lambda: draft(second, "ILSE@example.test "))
        )
    assert len(done) == 1 and len(refused) == 1
    error = refused[0]
    assert isinstance(error, ValidationError) and isinstance(error.__cause__, IntegrityError)
    assert error.message_dict == {
        "email": [
            "An invitation to this address is already in progress in the cell: "
            "continue with that one, or withdraw it first."
        ]
    }
    assert Invitation.objects.filter(cell=cast.cell_a, email="ilse@example.test").count() == 1


@pytest.mark.django_db
def test_an_address_has_one_invitation_in_progress_and_an_expired_one_comes_back_only_alone(cast):
    alice = Membership.objects.get(cell=cast.cell_a, user=cast.alice)
    organisation = OrganisationFactory(cell=cast.cell_a)
    expired = sent_invitation(cast.cell_a, "ilse@example.test", organisation=organisation)
    Invitation.objects.filter(pk=expired.pk).update(status=InvitationStatus.EXPIRED)
    services.invitation_save_draft(member=alice, data=invitation_data(organisation, "ilse@example.test"))
    with pytest.raises(ValidationError, match="already in progress") as refused:  # the form's check
        services.invitation_save_draft(member=alice, data=invitation_data(organisation, "Ilse@Example.test"))
    assert "email" in refused.value.message_dict
    with pytest.raises(ValidationError, match="already in progress"):  # sending the expired one again
        services.invitation_resend(member=alice, invitation=expired)
    with (  # and the database, had the check been passed
        mock.patch.object(services, "_another_in_progress", return_value=False),
        pytest.raises(ValidationError, match="already in progress") as refused,
    ):
        services.invitation_resend(member=alice, invitation=expired)
    assert isinstance(refused.value.__cause__, IntegrityError)
    expired.refresh_from_db()
    assert expired.status == InvitationStatus.EXPIRED
    # Another cell may invite the same address.
    charlie = Membership.objects.get(cell=cast.cell_b, user=cast.charlie)
    services.invitation_save_draft(
        member=charlie, data=invitation_data(OrganisationFactory(cell=cast.cell_b), "ilse@example.test")
    )


# --- Participants: one fixed representative per organisation -----------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_participants_made_fixed_representative_at_once_one_is_refused(cast):
    alice = Membership.objects.get(cell=cast.cell_a, user=cast.alice)
    organisation = OrganisationFactory(cell=cast.cell_a)
    profiles = [
        ParticipantFactory(membership=MembershipFactory(cell=cast.cell_a), organisation=organisation)
        for _n in range(2)
    ]
    make_fixed = lambda participant: services.participant_update(
        member=alice, participant=participant, function="Directeur", kind="professional",
        is_fixed_representative=True, substitute=None,
    )  # fmt: skip
    with both_checked(Participant):
        done, refused = split(race(*(lambda p=p: make_fixed(p) for p in profiles)))
    assert len(done) == 1 and len(refused) == 1
    error = refused[0]
    assert isinstance(error, ValidationError) and isinstance(error.__cause__, IntegrityError)
    assert error.message_dict == {
        "is_fixed_representative": ["This organisation already has a fixed representative."]
    }
    assert Participant.objects.filter(organisation=organisation, is_fixed_representative=True).count() == 1


# --- Decisions: one of a kind per agenda item ----------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_follow_up_plan_sent_twice_at_once_is_recorded_once(members, running, agenda):
    item = agenda["case_a"]
    plan = lambda: decision_services.decision_record(
        member=members["coordinator"], item=item, kind="follow_up_plan", text="Begeleiding door het CLB."
    )
    with both_checked(Decision):
        done, refused = split(race(plan, plan))
    assert len(done) == 1 and len(refused) == 1
    assert isinstance(refused[0].__cause__, IntegrityError)
    assert refused[0].message_dict == {  # type: ignore[attr-defined]
        "kind": ["This item already has the decision “Follow-up plan”: it is recorded once."]
    }
    assert Decision.objects.filter(item=item, kind="follow_up_plan").count() == 1
    item.case.refresh_from_db()
    assert item.case.status == "follow_up"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_round_of_agreement_at_a_time_per_item_and_kind(members, running, agenda, seats):
    item = agenda["case_a"]
    feedback = lambda: decision_services.decision_record(
        member=members["coordinator"], item=item, kind="ltf_feedback", text="Terugkoppeling."
    )
    with both_checked(Decision):
        done, refused = split(race(feedback, feedback))
    assert len(done) == 1 and len(refused) == 1
    assert messages_of(refused[0]) == [
        "The decision “Feedback to the Local Taskforce” on this item still awaits agreement: settle it first."
    ]
    # Refused by the table, it may be put to it again; so may an extension, which needs no round.
    decision_services.agreement_record(
        member=members["coordinator"], decision=done[0], participant=seats["participant"], agrees=False
    )
    again = feedback()
    assert again.status == "awaiting"
    held = timezone.localtime(running.starts_at).date()
    for years in (2, 3):
        decision_services.decision_record(
            member=members["coordinator"], item=item, kind="extend_retention", text="Ernstige aanwijzingen.",
            extend_until=held + datetime.timedelta(days=365 * years),
        )  # fmt: skip
    assert Decision.objects.filter(item=item, kind="extend_retention").count() == 2


@pytest.mark.django_db
def test_a_decision_taken_once_per_item_is_refused_the_second_time_by_the_check(members, running, agenda):
    item = agenda["case_a"]
    decision_services.decision_record(member=members["coordinator"], item=item, kind="close_case",
                                      text="Traject afgerond.")  # fmt: skip
    with pytest.raises(ValidationError, match="already has the decision") as refused:
        decision_services.decision_record(member=members["coordinator"], item=item, kind="close_case",
                                          text="Traject afgerond.")  # fmt: skip
    assert refused.value.__cause__ is None  # the check, not the database
    # Another item (another meeting) may close another case.
    decision_services.decision_record(member=members["coordinator"], item=agenda["other"], kind="close_case",
                                      text="Geen zorgen meer.")  # fmt: skip


# --- The secrecy acknowledged for a meeting: one per member, already kept ------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_acknowledging_a_meeting_in_two_tabs_at_once_keeps_one_acknowledgement(
    members, meeting, agenda, seats
):
    meeting_services.meeting_advance(member=members["coordinator"], meeting=meeting)
    acknowledge = lambda: meeting_services.attendance_acknowledge(
        member=members["participant"], meeting=meeting
    )
    done, refused = split(race(acknowledge, acknowledge))
    assert refused == [] and len(done) == 2
    assert Attendance.objects.filter(meeting=meeting, participant=seats["participant"]).count() == 1


# --- The helper, on this database and on SQLite's messages ----------------------------------------------


@pytest.mark.django_db
def test_the_helper_turns_the_named_constraint_into_the_error_and_leaves_the_rest(cast):
    OrganisationFactory(cell=cast.cell_a, name="CLB Alfa")
    duplicate = ValidationError("duplicate")
    with (
        pytest.raises(ValidationError) as refused,
        unique_or_error(Organisation, {"organisation_name_per_cell": duplicate}),
    ):
        Organisation.objects.create(cell=cast.cell_a, name="CLB Alfa", type="clb")
    assert refused.value is duplicate
    # The savepoint: the request's transaction goes on.
    assert Organisation.objects.filter(cell=cast.cell_a).count() == 1
    # A unique field, by its name.
    taken = ValidationError("taken")
    with pytest.raises(ValidationError, match="taken"), unique_or_error(Municipality, {"nis_code": taken}):
        Municipality.objects.create(nis_code="99101", name_nl="Dubbel")
    # Another constraint than the ones named: the IntegrityError as it was.
    with pytest.raises(IntegrityError), unique_or_error(Municipality, {"nis_code": taken}):
        Municipality.objects.create(nis_code="99999")  # no name in any language
    with pytest.raises(IntegrityError), unique_or_error(Membership, {}):
        Membership.objects.create(cell=cast.cell_a, user=cast.alice, role=Role.MAYOR)
    # A misspelt name fails at once.
    with pytest.raises(FieldDoesNotExist), unique_or_error(Organisation, {"organisation_name": duplicate}):
        pass


def test_sqlite_messages_are_recognised_by_columns_or_by_index_name():
    columns = violation_of(
        IntegrityError(
            "UNIQUE constraint failed: participants_organisation.cell_id, participants_organisation.name"
        )
    )
    assert columns is not None
    assert violates(columns, Organisation, "organisation_name_per_cell")
    assert not violates(columns, Invitation, "one_open_invitation_per_address")
    index = violation_of(IntegrityError("UNIQUE constraint failed: index 'user_email_ci_unique'"))
    assert index is not None and violates(index, User, "user_email_ci_unique")
    field = violation_of(IntegrityError("UNIQUE constraint failed: accounts_user.email"))
    assert (
        field is not None
        and violates(field, User, "email")
        and not violates(field, User, "user_email_ci_unique")
    )
    assert violation_of(IntegrityError("NOT NULL constraint failed: accounts_user.email")) is None
    assert violation_of(IntegrityError("CHECK constraint failed: municipality_has_a_name")) is None


# --- The pages show the refusal on the form, with what was typed -----------------------------------------


@pytest.mark.django_db
def test_the_invitation_page_shows_an_address_in_progress_on_the_form(cast, as_user):
    organisation = OrganisationFactory(cell=cast.cell_a, type="clb")
    sent_invitation(cast.cell_a, "ilse@example.test", organisation=organisation)
    response = as_user(cast.alice).post(
        reverse("participants:invitation_new", kwargs={"cell_slug": "alfa"}),
        {"name": "Ilse Getypt", "email": "Ilse@example.test", "organisation": organisation.pk,
         "function": "Jeugdconsulent", "kind": "professional", "motivation": "Kent de jongeren.", "language": "nl"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "An invitation to this address is already in progress in the cell" in page
    assert 'value="Ilse Getypt"' in page and 'value="Ilse@example.test"' in page
    assert Invitation.objects.filter(cell=cast.cell_a).count() == 1


@pytest.mark.django_db
def test_the_chairing_page_refuses_a_second_follow_up_plan_on_the_form(
    cast, as_user, members, running, agenda
):
    item = agenda["case_a"]
    url = reverse("meetings:decision_new", kwargs={"cell_slug": "alfa", "pk": running.pk, "item_pk": item.pk})
    client = as_user(cast.alice)
    assert (
        client.post(url, {"kind": "follow_up_plan", "text": "Begeleiding door het CLB."}).status_code == 302
    )
    response = client.post(url, {"kind": "follow_up_plan", "text": "Nog eens getypt."})
    page = response.content.decode()
    assert response.status_code == 400
    assert "This item already has the decision “Follow-up plan”: it is recorded once." in page
    assert "Nog eens getypt." in page
    assert Decision.objects.filter(item=item).count() == 1
