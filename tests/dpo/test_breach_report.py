"""Any member reports a suspected breach (docs/rules.md, rule 16): the report opens an entry of
the register with its 72 hours, the DPO is mailed without the content, the register stays the
DPO's alone."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.core import mail
from django.http import Http404
from django.urls import reverse

from dpo.models import Breach, BreachStatus
from dpo.services import BREACH_REPORTED, breach_report, breach_update
from livc.audit.models import LogAction, LogEntry
from livc.cells.models import Membership, Role
from tests.audit.conftest import console
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOTICED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)  # 10:30 in Brussels
NOW = NOTICED + datetime.timedelta(hours=1)
SEEN = "The minutes of 2026-0004 were left on the printer at the Sint-Jozef school."
ROLES = ["alice", "bob", "mayor", "officer", "dpo"]


def report_url(cell_slug="alfa"):
    return reverse("audit:breach_report", kwargs={"cell_slug": cell_slug})


def done_url(breach, cell_slug="alfa"):
    return reverse("audit:breach_report_done", kwargs={"cell_slug": cell_slug, "pk": breach.pk})


def report_data(**overrides):
    data = {
        "description": SEEN,
        "discovered_at": "2026-03-02T10:30",
        "occurred_at": "",
        "token": str(uuid.uuid4()),
    }
    return {**data, **overrides}


def send(client, cell_slug="alfa", capture=None, **overrides):
    """Open the form (for its token), then send it; returns the response to the POST."""
    page = client.get(report_url(cell_slug))
    assert page.status_code == 200
    token = re.search(r'name="token" value="([0-9a-f-]+)"', page.content.decode())[1]
    data = report_data(token=token, **overrides)
    if capture is None:
        return client.post(report_url(cell_slug), data)
    with capture(execute=True):
        return client.post(report_url(cell_slug), data)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", ROLES)
def test_every_role_of_the_cell_reports_a_breach(cast, as_user, who):
    user = getattr(cast, who)
    client = as_user(user)
    assert "Report a data breach" in client.get("/c/alfa/").content.decode()  # in the menu
    response = send(client)
    breach = Breach.objects.get()
    assert response.status_code == 302 and response.url == done_url(breach)
    assert (breach.cell, breach.status, breach.reported_by, breach.description) == (
        cast.cell_a, BreachStatus.REPORTED, user, SEEN
    )  # fmt: skip
    done = client.get(done_url(breach)).content.decode()
    assert "Your report was received" in done and "Breach 1" in done
    assert "data-protection officer was notified" in done


@time_machine.travel(NOW, tick=False)
def test_the_entry_opens_with_72_hours_from_the_moment_it_was_noticed(cast, as_user):
    send(as_user(cast.bob), occurred_at="2026-03-01T22:00")
    breach = Breach.objects.get()
    assert breach.discovered_at == NOTICED
    assert breach.occurred_at == datetime.datetime(2026, 3, 1, 21, 0, tzinfo=datetime.UTC)
    assert breach.authority_due_at == NOTICED + datetime.timedelta(hours=72)
    listing = as_user(cast.dpo).get(console("breaches")).content.decode()
    assert "Breach 1" in listing and "to inform by 05/03/2026 10:30" in listing


@time_machine.travel(NOW, tick=False)
def test_the_dpo_is_mailed_without_the_content_or_the_reporters_name(cast, as_user,
                                                                     django_capture_on_commit_callbacks):  # fmt: skip
    send(as_user(cast.bob), capture=django_capture_on_commit_callbacks)
    breach = Breach.objects.get()
    assert [message.to for message in mail.outbox] == [[cast.dpo.email]]
    message = mail.outbox[0]
    everything = " ".join([message.subject, message.body, message.alternatives[0][0]])
    link = reverse("audit:breach", kwargs={"cell_slug": "alfa", "pk": breach.pk})
    assert link in message.body and "breach 1" in message.body
    for personal in (SEEN, "Sint-Jozef", "2026-0004", cast.bob.name, "Bob", cast.bob.email):
        assert personal not in everything


@time_machine.travel(NOW, tick=False)
def test_the_report_writes_an_audit_event_without_the_content(cast, as_user):
    send(as_user(cast.officer))
    breach = Breach.objects.get()
    event = LogEntry.objects.get(action=LogAction.EVENT, event=BREACH_REPORTED)
    assert (event.cell, event.actor, event.object_pk) == (cast.cell_a, cast.officer, str(breach.pk))
    assert event.additional_data == {"number": 1, "notified_role": "dpo", "notified": 1}
    assert SEEN not in str(list(LogEntry.objects.values()))


@time_machine.travel(NOW, tick=False)
def test_a_double_submit_opens_one_entry_and_mails_once(cast, as_user, django_capture_on_commit_callbacks):
    client = as_user(cast.bob)
    data = report_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(report_url(), data)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(report_url(), data)
    assert Breach.objects.count() == 1
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert len(mail.outbox) == 1


@time_machine.travel(NOW, tick=False)
def test_a_stolen_token_of_another_member_opens_nothing_and_shows_nothing(cast, as_user):
    data = report_data()
    as_user(cast.bob).post(report_url(), data)
    response = as_user(cast.alice).post(report_url(), {**data, "description": "Something else."})
    assert response.status_code == 200 and "already used" in response.content.decode()
    assert "Something else." in response.content.decode()
    assert Breach.objects.count() == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("overrides", "message", "kept"),
    [
        ({"description": "  "}, "Describe what you saw or what happened.", "2026-03-02T10:30"),
        ({"discovered_at": "2026-03-05T10:30"}, "The moment you noticed it cannot lie in the future.", SEEN),
        ({"discovered_at": ""}, "Give the moment you noticed it.", SEEN),
        ({"discovered_at": "yesterday"}, "Enter a valid date/time", SEEN),
        ({"occurred_at": "2026-03-02T10:45"}, "cannot have happened after it was noticed", SEEN),
        ({"token": "not-a-token"}, "could not be matched to the page", SEEN),
        ({"token": ""}, "could not be matched to the page", SEEN),
    ],
)
def test_bad_input_keeps_what_was_typed_and_says_what_is_wrong(cast, as_user, overrides, message, kept):
    client = as_user(cast.bob)
    response = client.post(report_url(), report_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and kept in page.replace("&#x27;", "'")
    assert not Breach.objects.exists()
    if "token" in overrides:  # a fresh token: sending the form again works
        token = re.search(r'name="token" value="([0-9a-f-]+)"', page)[1]
        assert client.post(report_url(), report_data(token=token)).status_code == 302


@pytest.mark.parametrize("page", ["form", "done"])
def test_a_member_of_another_cell_gets_404_under_this_cells_address(cast, as_user, page):
    with time_machine.travel(NOW, tick=False):
        send(as_user(cast.bob))
    breach = Breach.objects.get()
    charlie = as_user(cast.charlie)
    url = report_url() if page == "form" else done_url(breach)
    assert charlie.get(url).status_code == 404
    assert charlie.post(url, report_data()).status_code == 404
    assert Breach.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_reporter_cannot_read_the_register(cast, as_user):
    client = as_user(cast.bob)
    send(client)
    breach = Breach.objects.get()
    for url in (console("breach", pk=breach.pk), console("breach_edit", pk=breach.pk), console("breaches")):
        assert client.get(url).status_code == 404
    done = client.get(done_url(breach)).content.decode()
    assert "Open it in the breach register" not in done and SEEN not in done
    assert "Report a data breach" in done and "Breach register" not in done  # menu


@time_machine.travel(NOW, tick=False)
def test_only_the_reporter_sees_the_confirmation(cast, as_user):
    send(as_user(cast.bob))
    breach = Breach.objects.get()
    assert as_user(cast.alice).get(done_url(breach)).status_code == 404
    assert as_user(cast.dpo).get(done_url(breach)).status_code == 404  # the DPO reads the register
    assert as_user(cast.bob).get(done_url(breach)).status_code == 200


@time_machine.travel(NOW, tick=False)
def test_a_person_in_two_cells_reports_in_the_cell_of_the_address(cast, as_user,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    MembershipFactory(cell=cast.cell_b, user=cast.bob)
    client = as_user(cast.bob)
    response = send(client, cell_slug="bravo", capture=django_capture_on_commit_callbacks)
    breach = Breach.objects.get()
    assert breach.cell == cast.cell_b and breach.number == 1
    assert not Breach.objects.filter(cell=cast.cell_a).exists()
    assert response.url == done_url(breach, cell_slug="bravo")
    assert client.get(done_url(breach, cell_slug="alfa")).status_code == 404
    assert [message.to for message in mail.outbox] == [[cast.charlie.email]]  # B's coordinator: B has no DPO
    assert as_user(cast.dpo).get(console("breach", pk=breach.pk)).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_without_a_dpo_the_coordinators_are_mailed_and_the_page_says_so(cast, as_user,
                                                                        django_capture_on_commit_callbacks):  # fmt: skip
    Membership.objects.filter(cell=cast.cell_a, role=Role.DPO).delete()
    client = as_user(cast.bob)
    assert "no data-protection officer at the moment" in client.get(report_url()).content.decode()
    response = send(client, capture=django_capture_on_commit_callbacks)
    assert "coordinator was notified instead" in client.get(response.url).content.decode()
    assert [message.to for message in mail.outbox] == [[cast.alice.email]]
    message = mail.outbox[0]
    assert "no data-protection officer" in message.body
    assert "/audit/" not in message.body and SEEN not in message.body and cast.bob.name not in message.body


def test_the_dpo_sees_the_reporter_and_the_report_waits_on_their_home(cast, as_user):
    with time_machine.travel(NOW, tick=False):
        send(as_user(cast.mayor))
        breach = Breach.objects.get()
        dpo = as_user(cast.dpo)
        home = dpo.get("/c/alfa/").content.decode()
        assert "1 member&#x27;s report of a suspected breach waits for your assessment." in home
        assert console("breach", pk=breach.pk) in home
        detail = dpo.get(console("breach", pk=breach.pk)).content.decode()
        assert cast.mayor.name in detail and SEEN in detail and "not yet been assessed" in detail
        assert cast.mayor.name in dpo.get(console("breaches")).content.decode()
        assert "waits for your assessment" not in as_user(cast.alice).get("/c/alfa/").content.decode()
        breach_update(breach=breach, user=cast.dpo, data={"data_concerned": "Names in one set of minutes."})
    breach.refresh_from_db()
    assert breach.status == BreachStatus.RECORDED
    assert "waits for your assessment" not in as_user(cast.dpo).get("/c/alfa/").content.decode()


def test_the_dpo_must_say_which_data_when_completing_a_report(cast, as_user):
    with time_machine.travel(NOW, tick=False):
        send(as_user(cast.bob))
        breach = Breach.objects.get()
        response = as_user(cast.dpo).post(
            console("breach_edit", pk=breach.pk),
            {"discovered_at": "2026-03-02T10:30", "description": SEEN, "data_concerned": ""},
        )
    assert response.status_code == 200 and "data_concerned" in response.context["form"].errors


def test_the_service_refuses_someone_without_a_membership_of_the_cell(cast):
    with pytest.raises(Http404):
        breach_report(
            cell=cast.cell_a,
            reported_by=cast.charlie,
            token=uuid.uuid4(),
            description=SEEN,
            discovered_at=NOTICED,
        )
    assert not Breach.objects.exists()
