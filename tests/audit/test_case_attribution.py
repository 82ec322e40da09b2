"""Access accounting by construction: every response that shows case content names, in its access
entry, exactly the cases it showed (`livc/audit/access.py::record_access`'s `cases`), so that the
DPO's "who saw case X" finds every reader.

Each case gets a canary, a made-up word written into everything of it a page could show: the
pseudonym, the identity, the referral's signals, an information item, a relation, the minutes of
its agenda items, a decision and an action. Every marked view is then asked for by every member,
under both cells' addresses; for each successful request, the cases whose canary appears in the
body (HTML, CSV, or the text of a PDF) must be exactly the cases its access entry names: a case
shown but not named is a reader the DPO would miss, a case named but not shown is a false trail.
"""

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader

from cases.models import Case
from cases.services.cases import relation_add
from cases.services.items import item_add
from cases.services.seats import seat_participant
from dpo.services import breach_create
from livc.audit.access import is_marked
from livc.audit.models import AccessedCase, LogAction, LogEntry
from livc.cells.models import Membership, Role
from meetings.minutes_pdf import document_fill
from meetings.models import AgendaItem, Meeting, MinutesDocument
from meetings.services import actions as action_services
from meetings.services import decisions as decision_services
from meetings.services import meetings as meeting_services
from participants.models import Participant, RulesOfProcedure, RulesStatus
from participants.rules import acknowledgement_record
from tests.base import earlier_today, login_verified
from tests.cases.conftest import make_case
from tests.factories import InvitationFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

# Made-up words, none a part of another, that no page prints by itself.
CANARIES = {"one": "Kanarieuno", "two": "Kanariedue", "three": "Kanarietre", "four": "Kanariequattro"}


@dataclass
class World:
    cast: Any
    cases: dict[str, Case]  # by canary key; "four" is cell B's
    running: Meeting  # cell A, in progress, every case on the agenda
    finalised: Meeting  # cell A, minutes finalised, every case on the agenda, PDFs made
    seats: dict[str, Any] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def canaries_in(self, body: str) -> set[str]:
        return {str(self.cases[key].pk) for key, word in CANARIES.items() if word in body}


def _member(user, cell) -> Membership:
    return Membership.objects.get(user=user, cell=cell)


def _rules_in_force(cell, cast) -> None:
    RulesOfProcedure.objects.create(cell=cell, version=1, text="R", status=RulesStatus.IN_FORCE,
                                    drafted_by=cast.alice, approved_by=cast.mayor)  # fmt: skip


def _fill(case: Case, key: str, coordinator: Membership, owner: Membership, world: World) -> None:
    word = CANARIES[key]
    world.items[key] = item_add(member=owner, case=case, text=f"Gezien op school, {word}.",
                                category="identification", shared_on=timezone.localdate(), consent=True)  # fmt: skip
    world.relations[key] = relation_add(member=coordinator, case=case, kind="parent", name=f"Ouder {word}",
                                        birth_date=None, notes=f"Noot {word}", is_minor=False)  # fmt: skip


def _meeting(cell, coordinator: Membership, cases: list[Case], *, title: str) -> Meeting:
    meeting = meeting_services.meeting_create(member=coordinator, kind="operational", title=title,
                                              starts_at=earlier_today(hours=1))  # fmt: skip
    for case in cases:
        meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=case)
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    for participant in Participant.objects.filter(cell=cell):
        meeting_services.attendance_record(member=coordinator, meeting=meeting, participant=participant,
                                           status="present", acknowledged=True)  # fmt: skip
    return meeting


def _minutes(meeting: Meeting, coordinator: Membership, owner: Participant) -> None:
    for item in AgendaItem.objects.filter(meeting=meeting).select_related("case__subject"):
        word = next(w for k, w in CANARIES.items() if w in item.case.subject.pseudonym)
        meeting_services.minutes_save(member=coordinator, item=item, version=item.version,
                                      signals=f"Signalen {word}", assessment=f"Inschatting {word}",
                                      agreements=f"Afspraken {word}")  # fmt: skip
        decision_services.decision_record(member=coordinator, item=item, kind="follow_up_plan",
                                          text=f"Plan {word}")  # fmt: skip
        action_services.action_create(member=coordinator, case=item.case, item=item, owner=owner,
                                      description=f"Actie {word}",
                                      due_on=timezone.localdate() + datetime.timedelta(days=7))  # fmt: skip


@pytest.fixture
def world(cast) -> World:
    a, b = cast.cell_a, cast.cell_b
    _rules_in_force(a, cast)
    _rules_in_force(b, cast)
    organisation = OrganisationFactory(cell=a)
    profiles = {user: ParticipantFactory(membership=_member(user, a), organisation=organisation)
                for user in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dries)}  # fmt: skip
    for membership in Membership.objects.filter(cell=a):
        acknowledgement_record(cell=a, user=membership.user)
    dries_b = ParticipantFactory(membership=_member(cast.dries, b), organisation=OrganisationFactory(cell=b))
    ParticipantFactory(membership=_member(cast.charlie, b), organisation=dries_b.organisation)
    for user in (cast.charlie, cast.dries):
        acknowledgement_record(cell=b, user=user)

    coordinator, bob = _member(cast.alice, a), _member(cast.bob, a)
    in_a = {"coordinator": coordinator, "participant": bob}
    cases = {key: make_case(in_a, pseudonym=f"Persoon {CANARIES[key]}", first_name=CANARIES[key],
                            last_name="Testeling") for key in ("one", "two", "three")}  # fmt: skip
    in_b = {"coordinator": _member(cast.charlie, b), "participant": _member(cast.dries, b)}
    cases["four"] = make_case(in_b, pseudonym=f"Persoon {CANARIES['four']}", first_name=CANARIES["four"])
    world = World(cast=cast, cases=cases, running=None, finalised=None)  # type: ignore[arg-type]
    # bob sits at cases one and two; dries at three in cell A, and at four in cell B.
    for key, user in (("one", cast.bob), ("two", cast.bob), ("three", cast.dries)):
        world.seats[key] = seat_participant(member=coordinator, case=cases[key], participant=profiles[user])
    world.seats["four"] = seat_participant(
        member=in_b["coordinator"], case=cases["four"], participant=dries_b
    )
    for key, owner in (("one", bob), ("two", bob), ("three", _member(cast.dries, a))):
        _fill(cases[key], key, coordinator, owner, world)
    _fill(cases["four"], "four", in_b["coordinator"], in_b["participant"], world)
    action_services.action_create(member=in_b["coordinator"], case=cases["four"], owner=dries_b,
                                  description=f"Actie {CANARIES['four']}",
                                  due_on=timezone.localdate() + datetime.timedelta(days=7))  # fmt: skip

    in_order = [cases["one"], cases["two"], cases["three"]]
    world.finalised = _meeting(a, coordinator, in_order, title="Overleg oktober")
    _minutes(world.finalised, coordinator, profiles[cast.bob])
    meeting_services.meeting_end(member=coordinator, meeting=world.finalised)
    meeting_services.meeting_finalise(member=coordinator, meeting=world.finalised)
    for membership in Membership.objects.filter(cell=a).exclude(role=Role.DPO):
        document = MinutesDocument.objects.create(meeting=world.finalised, recipient=membership.user)
        document_fill(document)
    world.running = _meeting(a, coordinator, in_order, title="Overleg november")
    _minutes(world.running, coordinator, profiles[cast.bob])
    world.extra["invitation"] = InvitationFactory(cell=a, proposed_by=cast.alice)
    world.extra["participant"] = profiles[cast.bob]
    world.extra["breach"] = breach_create(cell=a, recorded_by=cast.dpo, data={
        "discovered_at": timezone.now() - datetime.timedelta(hours=1), "description": "x", "data_concerned": "y",
    })  # fmt: skip
    _access_requests(world, _member(cast.dpo, a))
    _proposals(world, coordinator, bob, _member(cast.dries, a))
    return world


PROPOSED = ("proposal_one", "proposal_three")


def _proposals(world: World, coordinator: Membership, bob: Membership, dries: Membership) -> None:
    """bob proposes case one and dries case three for a meeting's agenda; bob's proposal of case
    two is declined (the coordinator's message and his reason name it)."""
    from meetings.services.proposals import proposal_decline, proposal_submit

    for key, member in (("one", bob), ("two", bob), ("three", dries)):
        world.extra[f"proposal_{key}"] = proposal_submit(member=member, case=world.cases[key],
                                                         reason=f"Bespreken: {CANARIES[key]}.")  # fmt: skip
    proposal_decline(member=coordinator, proposal=world.extra["proposal_two"], message="Volgende keer.")


def _access_requests(world: World, dpo: Membership) -> None:
    """Two requests for access: about case one's person, answered (its letter gives case one's
    item); about case two's, open (bob and the officer are asked about it)."""
    from dpo.access_requests import question_answer, request_answer, request_record
    from dpo.models import ExceptionQuestion

    for key in ("one", "two"):
        world.extra[f"access_{key}"] = request_record(
            member=dpo, first_name=CANARIES[key], last_name="Testeling", birth_date=datetime.date(1999, 1, 2),
            language="nl", identity_check="Identiteitskaart.", received_on=timezone.localdate(),
        )  # fmt: skip
    for question in ExceptionQuestion.objects.filter(details__request=world.extra["access_one"]):
        question_answer(member=question.asked, question=question, applies=False)
    request_answer(member=dpo, request=world.extra["access_one"])
    world.extra["access_question"] = ExceptionQuestion.objects.get(
        details__request=world.extra["access_two"], item=world.items["two"]
    )


# --- Which addresses to ask for ------------------------------------------------------------------

Kwargs = Callable[[World], Iterator[dict[str, Any]]]


def per_case(*keys: str) -> Kwargs:
    return lambda w: ({"pk": w.cases[key].pk} for key in keys)


def _items_of(meeting_attr: str) -> Kwargs:
    def build(w: World) -> Iterator[dict[str, Any]]:
        meeting = getattr(w, meeting_attr)
        for item in AgendaItem.objects.filter(meeting=meeting).order_by("position"):
            yield {"pk": meeting.pk, "item_pk": item.pk}

    return build


CASE_PAGES = ("one", "three", "four")
QUERY = "?"  # in a builder's arguments: the query string to add to the address (a search's)
# URL name -> the URL arguments (besides the cell) to ask for; a name without arguments is
# asked for once. Every marked view must be here: a new one fails `test_every_marked_view_is_asked_for`.
ADDRESSES: dict[str, Kwargs | None] = {
    "cells:home": None,
    "cases:list": None,
    "cases:search": lambda w: (
        {QUERY: query} for query in ("", "?text=persoon", f"?meeting={w.finalised.pk}", "?status=open")
    ),
    "cases:detail": per_case(*CASE_PAGES),
    "cases:table": per_case(*CASE_PAGES),
    "cases:close": per_case(*CASE_PAGES),
    "cases:identity": per_case(*CASE_PAGES),
    "cases:identity_request": per_case(*CASE_PAGES),
    "cases:identity_requests": None,
    "cases:my_item_uses": None,
    "cases:item_new": per_case(*CASE_PAGES),
    "cases:relation_new": per_case(*CASE_PAGES),
    "cases:invite": per_case(*CASE_PAGES),
    "cases:informing": per_case(*CASE_PAGES),
    "cases:known_to_service": per_case(*CASE_PAGES),  # POST only: asked, answered 405
    "cases:unseat": lambda w: ({"pk": w.cases[k].pk, "seat_pk": w.seats[k].pk} for k in CASE_PAGES),
    "cases:item_withdraw": lambda w: ({"pk": w.cases[k].pk, "item_pk": w.items[k].pk} for k in CASE_PAGES),
    "cases:relation_delete": lambda w: (
        {"pk": w.cases[k].pk, "relation_pk": w.relations[k].pk} for k in CASE_PAGES
    ),
    "cases:referrals": None,
    "cases:referral_detail": lambda w: ({"pk": w.cases[k].referral_id} for k in CASE_PAGES),
    "cases:referral_qualify": lambda w: ({"pk": w.cases[k].referral_id} for k in CASE_PAGES),
    "cases:referral_identity": lambda w: ({"pk": w.cases[k].referral_id} for k in CASE_PAGES),
    "meetings:detail": lambda w: ({"pk": m.pk} for m in (w.running, w.finalised)),
    "meetings:minutes": lambda w: ({"pk": m.pk} for m in (w.running, w.finalised)),
    "meetings:run": lambda w: iter([{"pk": w.running.pk}]),
    "meetings:item": _items_of("running"),
    "meetings:pdf": lambda w: iter([{"pk": w.finalised.pk}]),
    "meetings:propose_case": per_case(*CASE_PAGES),
    "meetings:proposals": None,
    "meetings:my_proposals": None,
    "meetings:proposal_decide": lambda w: (
        {"pk": w.extra[key].pk, "step": "accept"} for key in PROPOSED
    ),  # 405
    "meetings:actions": None,
    "meetings:minutes_save": _items_of("running"),  # POST only: asked, answered 405
    "meetings:decision_new": _items_of("running"),
    "meetings:action_new": _items_of("running"),
    "participants:participants": None,
    "participants:participant_edit": lambda w: iter([{"pk": w.extra["participant"].pk}]),
    "participants:invitations": None,
    "participants:invitation_detail": lambda w: iter([{"pk": w.extra["invitation"].pk}]),
    "participants:approvals": None,
    "audit:home": None,
    "audit:log": None,
    "audit:log_csv": None,
    "audit:log_pdf": None,
    "audit:user_accesses": lambda w: iter([{"user_id": w.cast.bob.pk}]),
    "audit:object_accesses": None,
    "audit:people": None,
    "audit:people_pdf": None,
    "audit:unusual": None,
    "audit:breaches": None,
    "audit:breach": lambda w: iter([{"pk": w.extra["breach"].pk}]),
    "audit:breach_edit": lambda w: iter([{"pk": w.extra["breach"].pk}]),
    "audit:minutes_copy": None,
    "audit:access_requests": None,
    "audit:access_request": lambda w: ({"pk": w.extra[key].pk} for key in ("access_one", "access_two")),
    "audit:access_request_extend": lambda w: iter([{"pk": w.extra["access_two"].pk}]),  # POST only: 405
    "audit:access_letter": lambda w: iter([{"pk": w.extra["access_one"].pk}]),
    "audit:access_questions": None,
    "audit:access_question_answer": lambda w: iter([{"pk": w.extra["access_question"].pk}]),
    "audit:item_uses": None,
}
HTMX = {"meetings:item"}


def marked_view_names() -> set[str]:
    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern) and pattern.name and is_marked(pattern.callback):
                yield f"{namespace}{pattern.name}"

    return set(walk(get_resolver().url_patterns, ""))


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode()


def test_every_marked_view_is_asked_for():
    missing = marked_view_names() - set(ADDRESSES)
    assert not missing, f"add the views to ADDRESSES: {sorted(missing)}"


def _ask(client: Client, world: World, name: str, address: str) -> tuple[int, set[str] | None, set[str]]:
    """(status, the cases the access entry names or None if no entry, the cases whose canary shows)."""
    before = (
        LogEntry.objects.filter(action=LogAction.ACCESS).order_by("-id").values_list("id", flat=True).first()
    )
    response = client.get(address, **({"HTTP_HX_REQUEST": "true"} if name in HTMX else {}))
    written = LogEntry.objects.filter(action=LogAction.ACCESS, id__gt=before or 0)
    if response.status_code != 200:
        assert not written.exists(), f"{address}: {response.status_code} logged an access"
        return response.status_code, None, set()
    assert written.count() == 1, f"{address}: {written.count()} access entries"
    named = set(AccessedCase.objects.filter(entry=written.get()).values_list("case_pk", flat=True))
    return 200, named, world.canaries_in(body_text(response))


def test_each_access_entry_names_exactly_the_cases_whose_content_the_response_shows(world):
    cast = world.cast
    people = {
        cast.cell_a.slug: [cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo, cast.dries],
        cast.cell_b.slug: [cast.charlie, cast.dries],
    }
    asked, shown, wrong = 0, 0, []
    for slug, users in people.items():
        for user in users:
            client = login_verified(Client(), user)
            for name, build in ADDRESSES.items():
                for kwargs in build(world) if build else [{}]:
                    query = kwargs.pop(QUERY, "")
                    address = reverse(name, kwargs={"cell_slug": slug, **kwargs}) + query
                    status, named, seen = _ask(client, world, name, address)
                    asked += 1
                    if status != 200:
                        continue
                    shown += bool(seen)
                    if named != seen:
                        wrong.append(f"{user.name} {address}: named {len(named)} {named - seen} "
                                     f"extra, missing {seen - named}")  # fmt: skip
    assert not wrong, "\n".join(wrong)
    assert shown > 50, f"only {shown} of {asked} answers showed a case: the canaries are not reached"


def test_the_dpo_finds_a_reader_of_the_minutes_under_the_case(world):
    """The use: "who saw case X" lists bob, who read X only in the minutes and the PDF."""
    from dpo.lookups import entries_about_case

    cast = world.cast
    client = login_verified(Client(), cast.bob)
    minutes = reverse("meetings:minutes", kwargs={"cell_slug": "alfa", "pk": world.finalised.pk})
    pdf = reverse("meetings:pdf", kwargs={"cell_slug": "alfa", "pk": world.finalised.pk})
    assert client.get(minutes).status_code == 200 and client.get(pdf).status_code == 200
    about = entries_about_case(cast.cell_a, world.cases["one"].reference)
    readers = LogEntry.objects.filter(about, cell=cast.cell_a, action=LogAction.ACCESS, actor=cast.bob)
    assert set(readers.values_list("additional_data__view", flat=True)) == {
        "meetings:minutes",
        "meetings:pdf",
    }
    not_seated = entries_about_case(cast.cell_a, world.cases["three"].reference)
    assert not LogEntry.objects.filter(not_seated, actor=cast.bob).exists()
