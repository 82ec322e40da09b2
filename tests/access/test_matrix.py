"""The declared access matrix: every URL by every kind of user → the answer it must get.

`tests/access/matrix.py` declares, for every URL name the resolver knows, who may reach it
with a GET and with a POST. This module walks the resolver and fails on any URL the table
does not declare, then sends every declared request in one world of two cells
(`tests/access/builders.py`) and compares each answer with the declaration.

The kinds of user: anonymous; logged in without a membership; each role of cell A (the
coordinator, the mayor, the information officer, the DPO, bob the participant seated at the
case, pia the participant seated nowhere); charlie (coordinator) and bert (participant) of
cell B, under cell A's address and under their own cell's address with cell A's object ids;
and dries, a participant of both cells seated at the case in cell A, under each cell's
address. A request under cell B's address never shows cell A's case (its pseudonym or id),
whatever its answer.

Each request runs in a transaction that is rolled back, so no request changes the world of
the next; the world is built once for the module.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.access import matrix
from tests.access.builders import CANARY_PSEUDONYM, HEADERS, POST_DATA, SETUP, URL_KWARGS, World
from tests.access.matrix import all_urls
from tests.base import login_verified, make_cast
from tests.factories import UserFactory


def undeclared() -> set[str]:
    """URL names that neither the table declares nor the named exclusions cover."""
    return {
        name
        for name, _route in all_urls()
        if name not in matrix.DECLARED and name not in matrix.EXCLUDED and not name.startswith("admin:")
    }


# --- The world --------------------------------------------------------------------------------------


class Stage:
    """The world, the logged-in sessions of each user and the kinds of request."""

    def __init__(self) -> None:
        self.cast = make_cast()
        self.world = World(self.cast)
        self.stranger = UserFactory(email="stranger@example.test", name="Sam Stranger")
        world, cast = self.world, self.cast
        users = {
            "alice": cast.alice, "mayor": cast.mayor, "officer": cast.officer, "dpo": cast.dpo,
            "bob": cast.bob, "pia": world.pia, "charlie": cast.charlie, "bert": world.bert,
            "dries": cast.dries, "stranger": self.stranger,
        }  # fmt: skip
        _ = world.rules  # everyone acknowledged the secrecy in each of their cells
        # Build every object now, in the module's transaction: one built inside a test would be
        # rolled back with it, and the world would remember an object that no longer exists.
        for build in (*URL_KWARGS.values(), *SETUP.values(), *POST_DATA.values()):
            build(world)
        self.sessions = {
            name: login_verified(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
            for name, user in users.items()
        }

    def client(self, user: str | None) -> Client:
        client = Client()
        if user is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[user]
        return client


@pytest.fixture(scope="module")
def stage(django_db_setup: None, django_db_blocker: Any) -> Iterator[Stage]:
    """One world for the whole module, rolled back at its end: in the database and in the key
    store, where its cases' data keys are made."""
    with django_db_blocker.unblock():
        atomics = {alias: transaction.atomic(using=alias) for alias in ("default", "keys")}
        for atomic in atomics.values():
            atomic.__enter__()
        try:
            yield Stage()
        finally:
            for alias, atomic in reversed(atomics.items()):
                transaction.set_rollback(True, using=alias)
                atomic.__exit__(None, None, None)


def answer_of(response: Any) -> str:
    """The answer as the table names it: ok, 401, 403, 404, 405, 500, login, verify (the second-factor
    page), ack (the acknowledgement page)."""
    status = response.status_code
    if status in (404, 403, 405, 500, 401):
        return str(status)
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith(reverse(settings.LOGIN_URL)) or location.startswith(reverse("admin:login")):
            return "login"
        if "/acknowledge/" in location:
            return "ack"
        if location.startswith((reverse("accounts:verify"), reverse("accounts:setup"))):
            return "verify"
    return "ok"


def request(stage: Stage, kind: matrix.Kind, name: str, method: str) -> tuple[str, bytes]:
    """Send one request of the kind, in a transaction rolled back afterwards."""
    world = stage.world
    cell = stage.cast.cell_a if kind.address == "a" else stage.cast.cell_b
    kwargs = URL_KWARGS[name](world) if name in URL_KWARGS else {}
    if "<slug:cell_slug>" in matrix.ROUTES[name]:
        kwargs = {"cell_slug": cell.slug, **kwargs}
    url = reverse(name, kwargs=kwargs)
    client = stage.client(kind.user)
    with transaction.atomic():
        if method == "POST":
            data = POST_DATA[name](world) if name in POST_DATA else {}
            response = client.post(url, data, **HEADERS.get(name, {}))
        else:
            response = client.get(url, **HEADERS.get(name, {}))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    cache.clear()  # throttles and lockouts start afresh for the next request
    return answer_of(response), body


def violations_of(stage: Stage, name: str) -> list[str]:
    """Every request of the URL whose answer differs from the declaration, or that leaks cell A's case."""
    world = stage.world
    if name in SETUP:
        SETUP[name](world)
    canaries = [CANARY_PSEUDONYM.encode(), str(world.case.pk).encode()]
    found = []
    for kind in matrix.KINDS:
        for method in ("GET", "POST"):
            expected = matrix.expected(name, kind, method)
            got, body = request(stage, kind, name, method)
            if got != expected:
                found.append(f"{method} {name} as {kind.name}: {got}, declared {expected}")
            if kind.blind and got == "ok" and any(canary in body for canary in canaries):
                found.append(f"{method} {name} as {kind.name}: shows cell A's case")
    return found


# --- The table covers every URL ----------------------------------------------------------------------


def test_every_url_is_declared():
    missing = undeclared()
    assert not missing, (
        f"URLs without a declaration in tests/access/matrix.py (say who may reach them): {sorted(missing)}"
    )


def test_the_table_declares_no_url_that_does_not_exist():
    names = {name for name, _route in all_urls()}
    assert not (set(matrix.DECLARED) - names)
    assert not (set(matrix.EXCLUDED) - names)


def test_a_new_url_without_a_declaration_is_reported(monkeypatch):
    from django.http import HttpResponse
    from django.urls import clear_url_caches, include, path

    import livc.urls

    new = [
        path(
            "c/<slug:cell_slug>/",
            include(([path("secret/", lambda r: HttpResponse(), name="peek")], "newapp")),
        )
    ]
    monkeypatch.setattr(livc.urls, "urlpatterns", [*livc.urls.urlpatterns, *new])
    clear_url_caches()
    try:
        assert undeclared() == {"newapp:peek"}
    finally:
        monkeypatch.undo()
        clear_url_caches()
    assert undeclared() == set()


# --- The matrix -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(matrix.DECLARED))
def test_the_declared_answers_hold(stage, name):
    found = violations_of(stage, name)
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_the_admin_is_for_staff_with_a_verified_second_factor_only(stage):
    """Every admin URL: anonymous and every member of the cast (none is staff) are sent to the
    login, and a staff user who has not given the second factor to the second-factor page."""
    staff = UserFactory(email="platform@example.test", name="Pat Platform", is_staff=True, is_superuser=True)
    unverified = Client()
    unverified.force_login(staff)
    cookie = settings.SESSION_COOKIE_NAME
    sessions = {
        "anonymous": None,
        "alice": stage.sessions["alice"],
        "staff without second factor": unverified.cookies[cookie].value,
        "staff": login_verified(Client(), staff).cookies[cookie].value,
    }
    found = []
    for name, route in all_urls():
        if not name.startswith("admin:"):
            continue
        url = matrix.admin_url(route, staff)
        for who, session in sessions.items():
            for method in ("GET", "POST"):
                client = Client()
                if session is not None:
                    client.cookies[cookie] = session
                with transaction.atomic():
                    response = (client.post if method == "POST" else client.get)(url)
                    transaction.set_rollback(True)
                got = answer_of(response)
                expected = matrix.admin_expected(name, who, method)
                if got != expected:
                    found.append(f"{method} {url} ({name}) as {who}: {got}, declared {expected}")
    assert not found, "\n".join(found)


# --- The matrix finds what it must ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_matrix_finds_a_participant_who_sees_a_case_of_his_other_cell(stage, monkeypatch, settings):
    """The mutant of issue 12: the participant branch of `case_visible_list` without its cell filter.

    With row-level security bypassed (the requests keep the tests' superuser): on PostgreSQL the
    database stops this leak by itself (tests/database/test_row_level_security.py), and the
    matrix must still find it where only the code keeps the cells apart."""
    settings.LIVC_DATABASE_APP_ROLE = "none"
    from guardian.shortcuts import get_objects_for_user

    from cases import access
    from cases.models import Case
    from cases.services.seats import VIEW_CASE_CODENAME
    from livc.cells.models import Role

    original = access.case_visible_list

    def without_cell_filter(*, member):
        if member.role != Role.PARTICIPANT:
            return original(member=member)
        return get_objects_for_user(member.user, VIEW_CASE_CODENAME, klass=Case.objects.all(),
                                    accept_global_perms=False, use_groups=False, with_superuser=False)  # fmt: skip

    monkeypatch.setattr(access, "case_visible_list", without_cell_filter)
    found = violations_of(stage, "cases:detail")
    assert "GET cases:detail as two cells, at B with A's ids (dries): ok, declared 404" in found
    assert "GET cases:detail as two cells, at B with A's ids (dries): shows cell A's case" in found


# --- Seating: the three guards of `seat()` ------------------------------------------------------------


def _not_seatable(stage: Stage) -> dict[str, Any]:
    """Three seat profiles that may not sit at cell A's case: of cell B, no longer active, not a participant."""
    from tests.factories import MembershipFactory, ParticipantFactory

    world = stage.world
    gone = MembershipFactory(cell=stage.cast.cell_a, user=UserFactory(name="Ivo Inactief"), is_active=False)
    return {
        "of another cell": world.profiles["bert"],
        "no longer active": ParticipantFactory(membership=gone, organisation=world.organisation),
        "not a participant": world.profiles["officer"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["of another cell", "no longer active", "not a participant"])
def test_seat_refuses_whom_the_table_may_not_have(stage, who):
    from django.core.exceptions import ValidationError
    from guardian.shortcuts import get_perms

    from cases.models import Seat
    from cases.services.seats import seat, seat_participant

    world = stage.world
    participant = _not_seatable(stage)[who]
    with pytest.raises(ValidationError):
        seat(case=world.case, participant=participant, seated_by=None)
    with pytest.raises(ValidationError):
        seat_participant(member=world.members["coordinator"], case=world.case, participant=participant)
    assert not Seat.objects.filter(case=world.case, participant=participant).exists()
    assert get_perms(participant.membership.user, world.case) == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["of another cell", "no longer active", "not a participant"])
@pytest.mark.parametrize("form_lets_through", [False, True], ids=["form", "service"])
def test_the_table_page_refuses_to_seat_whom_the_table_may_not_have(
    stage, monkeypatch, who, form_lets_through
):
    """A crafted POST to the table page: refused with a message, no seat. With the form's choices
    opened to every seat profile, the service's guard alone must still refuse."""
    from cases.forms import SeatForm
    from cases.models import Seat
    from participants.models import Participant

    world = stage.world
    participant = _not_seatable(stage)[who]
    if form_lets_through:
        original = SeatForm.__init__

        def open_choices(self, *args, **kwargs):
            original(self, *args, **kwargs)
            self.fields["participant"].queryset = Participant.objects.all()

        monkeypatch.setattr(SeatForm, "__init__", open_choices)
    url = reverse("cases:table", kwargs={"cell_slug": stage.cast.cell_a.slug, "pk": world.case.pk})
    response = stage.client("alice").post(url, {"participant": participant.pk})
    assert response.status_code == 200  # the form again, with what went wrong
    assert response.context["form"].errors
    assert not Seat.objects.filter(case=world.case, participant=participant).exists()
