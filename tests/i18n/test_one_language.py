"""A test fails if a Dutch, French, German or English page shows a message of another language.

Every role's main pages, forms sent back with errors, the login page after a wrong password
and the account set-up of an invitation after a weak password are rendered in Dutch, French,
German and English in turn (`LANGUAGES`); `tests/i18n/languages.py` says what counts as another
language. The data made here is neutral (names and codes), so that only the interface can fail
the test. `tests/i18n/test_every_page.py` opens every other page too, in German.

Run it alone with `.venv/bin/pytest tests/i18n -q`. After `make messages`, translate every new
entry, and it passes; a failure names each page and the strings of another language on it.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.services.items import item_add
from cases.services.referrals import QualificationData, ReferralData, referral_qualify, referral_submit
from cases.services.seats import seat_participant
from livc.cells.models import Membership
from participants import services as participant_services
from participants.models import InvitationStatus
from participants.rules import acknowledgement_record
from tests.base import Cast, login_verified
from tests.factories import InvitationFactory, OrganisationFactory, ParticipantFactory
from tests.i18n.languages import LANGUAGES, foreign_messages, report

pytestmark = pytest.mark.django_db

WEAK_PASSWORD = "12345678"


@dataclass(frozen=True)
class Page:
    """One page as one member (or nobody) sees it: GET, or POST `data` for a form with errors."""

    who: str  # an attribute of the cast, or "" for an anonymous visitor
    name: str
    kwargs: Callable[["World"], dict[str, object]] = lambda world: {}
    data: dict[str, str] | None = None

    def url(self, world: "World") -> str:
        return reverse(self.name, kwargs={"cell_slug": "alfa", **self.kwargs(world)})

    def __str__(self) -> str:
        return f"{self.name} as {self.who or 'a visitor'}{' (form with errors)' if self.data is not None else ''}"


@dataclass
class World:
    cast: Cast
    case: Case
    seat_pk: int


def case_of(world: World) -> dict[str, object]:
    return {"pk": world.case.pk}


PAGES = [
    # the coordinator
    Page("alice", "cells:home"),
    Page("alice", "cases:list"),
    Page("alice", "cases:detail", case_of),
    Page("alice", "cases:table", case_of),
    Page("alice", "cases:unseat", lambda w: {"pk": w.case.pk, "seat_pk": w.seat_pk}),
    Page("alice", "cases:close", case_of),
    Page("alice", "cases:close", case_of, data={"reason": ""}),
    Page("alice", "cases:informing", case_of, data={"kind": "deferred"}),
    Page("alice", "cases:relation_new", case_of, data={"kind": ""}),
    Page("alice", "cases:identity", case_of),
    Page("alice", "cases:referrals"),
    Page("alice", "cases:referral_new", data={"pseudonym": ""}),
    Page("alice", "cases:search", data={"first_name": "Tom", "last_name": "", "birth_date": "1999-02-31"}),
    Page("alice", "participants:participants"),
    Page("alice", "participants:organisations", data={"name": ""}),
    Page("alice", "participants:invitations"),
    Page("alice", "participants:invitation_new", data={"name": ""}),
    Page("alice", "participants:rules"),
    Page("alice", "meetings:list"),
    Page("alice", "meetings:new", data={"title": ""}),
    Page("alice", "retention:upcoming"),
    # a participant at the case's table
    Page("bob", "cells:home"),
    Page("bob", "cases:list"),
    Page("bob", "cases:search"),
    Page("bob", "cases:detail", case_of),
    Page("bob", "cases:item_new", case_of, data={"category": ""}),
    # the mayor and the information officer
    Page("mayor", "participants:approvals"),
    Page("mayor", "cases:identity_requests"),
    Page("mayor", "statistics:report"),
    Page("officer", "cases:informing", case_of),
    # the DPO
    Page("dpo", "audit:home"),
    Page("dpo", "audit:log"),
    Page("dpo", "audit:people"),
    Page("dpo", "audit:unusual"),
    Page("dpo", "audit:breaches"),
    Page("dpo", "audit:breach_new", data={"description": ""}),
    Page("dpo", "audit:retention_records"),
]


@pytest.fixture
def world(cast: Cast) -> World:
    """A cell with a seated participant, a case with an item; names and texts in no language."""
    members = {m.user_id: m for m in Membership.objects.filter(cell=cast.cell_a)}
    coordinator, participant = members[cast.alice.pk], members[cast.bob.pk]
    organisation = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")
    bob = ParticipantFactory(membership=participant, organisation=organisation)
    ParticipantFactory(membership=members[cast.officer.pk], organisation=organisation)
    for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo):
        acknowledgement_record(cell=cast.cell_a, user=user)
    referral = referral_submit(
        member=participant,
        data=ReferralData(
            referred_on=timezone.localdate() - datetime.timedelta(days=3),
            signals="X-17 / Q-4 / Z-9",
            pseudonym="Subject K-42",
            discussed_internally=True,
        ),
    )
    case = referral_qualify(
        member=coordinator,
        referral=referral,
        data=QualificationData(outcome="retained", aim_signals="X-17 / Q-4", seat_referrer=False),
    )
    assert case is not None
    seat = seat_participant(member=coordinator, case=case, participant=bob)
    item_add(member=participant, case=case, text="K-42 / 7", category="behaviour",
             shared_on=timezone.localdate(), consent=True)  # fmt: skip
    return World(cast, case, seat.pk)


def speak(world: World, language: str) -> None:
    for user in (world.cast.alice, world.cast.bob, world.cast.mayor, world.cast.officer, world.cast.dpo):
        user.language = language
        user.save(update_fields=["language"])


def render(world: World, page: Page, language: str) -> str:
    client = login_verified(Client(), getattr(world.cast, page.who))
    url = page.url(world)
    response = client.get(url) if page.data is None else client.post(url, page.data)
    assert response.status_code == 200, f"{page}: {response.status_code}"
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_of_every_role_speaks_one_language(world, language):
    speak(world, language)
    problems = []
    for page in PAGES:
        if found := foreign_messages(render(world, page, language), language):
            problems.append((language, str(page), found))
    assert not problems, report(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_login_page_after_a_wrong_password_speaks_one_language(db, cast, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(reverse("accounts:login"), {"username": cast.alice.email, "password": "wrong-one"})
    assert response.status_code == 200
    found = foreign_messages(response.content.decode(), language)
    assert not found, report([(language, "the login page after a wrong password", found)])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_set_up_after_a_weak_password_speaks_one_language(
    cast, django_capture_on_commit_callbacks, language
):
    organisation = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa", type="clb")
    invitation = InvitationFactory(
        cell=cast.cell_a, organisation=organisation, proposed_by=cast.alice, language=language,
        status=InvitationStatus.PENDING, email="k42@example.test", name="K-42", motivation="K-42 / 7",
    )  # fmt: skip
    mayor = Membership.objects.get(cell=cast.cell_a, user=cast.mayor)
    with django_capture_on_commit_callbacks(execute=True):
        participant_services.invitation_approve(member=mayor, invitation=invitation)
    link = re.search(r"https?://\S+?(/invitation/\S+/)", mail.outbox[-1].body).group(1)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    data = {"name": "K-42", "password1": WEAK_PASSWORD, "password2": WEAK_PASSWORD, "acknowledge": "on"}
    response = client.post(link, data)
    assert response.status_code == 200
    found = foreign_messages(response.content.decode(), language)
    assert not found, report([(language, "the invitation's account set-up after a weak password", found)])


def test_the_check_catches_a_label_in_another_language():
    """The check itself: an English label on a Dutch page, a Dutch message on a French one."""
    dutch_page = '<html lang="nl"><body><label>Confidentiality acknowledgement</label></body></html>'
    assert foreign_messages(dutch_page, "nl") == ["Confidentiality acknowledgement"]
    french_page = (
        '<html lang="fr"><body><p>Dit veld is verplicht.</p><p lang="nl">Nederlands</p></body></html>'
    )
    assert foreign_messages(french_page, "fr") == ["Dit veld is verplicht"]
    assert foreign_messages("<p>Ce champ est obligatoire.</p>", "fr") == []
    german_page = (
        '<html lang="de"><body><p>This field is required.</p><p>Dieses Feld ist zwingend erforderlich.</p>'
    )
    assert foreign_messages(german_page, "de") == ["This field is required"]
    assert foreign_messages("<p>Dieses Feld ist zwingend erforderlich.</p>", "nl") == [
        "Dieses Feld ist zwingend erforderlich"
    ]
