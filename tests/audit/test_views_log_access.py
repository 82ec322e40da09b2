"""Every view under /c/<cell>/ that shows personal data writes exactly one access entry per request.

The views are found by their mark (`livc.audit.access.shows_personal_data`): each app marks
its own. The test walks the URL list, calls each marked view as every member of cell A in
turn and, for each request that succeeds, counts the access entries it wrote. A view whose
URL needs more than the cell (an object's id) needs a builder in `URL_KWARGS` below; until
one is written it is skipped with the reason shown. Later issues add theirs.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dpo.services import breach_create
from livc.audit.access import is_marked
from livc.audit.models import LogAction, LogEntry

CELL_PREFIX = "c/<slug:cell_slug>/"


def marked_views() -> Iterator[tuple[str, list[str]]]:
    """(namespaced URL name, URL arguments) of every marked view under the cell prefix."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, list[str]]]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, space)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and is_marked(pattern.callback)
                and route.startswith(CELL_PREFIX)
            ):
                yield f"{namespace}{pattern.name}", list(pattern.pattern.converters)

    seen = set()
    for name, arguments in walk(get_resolver().url_patterns, "", ""):
        if name not in seen:
            seen.add(name)
            yield name, arguments


def _breach(cast: Any) -> dict[str, Any]:
    import datetime

    from django.utils import timezone

    data = {
        "discovered_at": timezone.now() - datetime.timedelta(hours=1),
        "description": "x",
        "data_concerned": "y",
    }
    return {"pk": breach_create(cell=cast.cell_a, recorded_by=cast.dpo, data=data).pk}


def _case(cast: Any) -> Any:
    """A case of cell A with bob at its table; every member has acknowledged the secrecy."""
    from cases.services.seats import seat_participant
    from livc.cells.models import Membership
    from participants.rules import acknowledgement_record
    from tests.cases.conftest import make_case
    from tests.factories import OrganisationFactory, ParticipantFactory

    members = {
        m.role if m.user != cast.bob else "participant": m
        for m in Membership.objects.filter(cell=cast.cell_a)
    }
    organisation = OrganisationFactory(cell=cast.cell_a)
    for role in ("participant", "coordinator", "mayor", "information_officer"):
        ParticipantFactory(membership=members[role], organisation=organisation)
    for member in members.values():
        acknowledgement_record(cell=cast.cell_a, user=member.user)
    case = make_case(members)
    seat_participant(member=members["coordinator"], case=case, participant=members["participant"].participant)
    return case


def _invitation(cast: Any) -> dict[str, Any]:
    from tests.factories import InvitationFactory

    return {"pk": InvitationFactory(cell=cast.cell_a, proposed_by=cast.alice).pk}


def _seat(cast: Any) -> dict[str, Any]:
    from tests.factories import ParticipantFactory

    return {"pk": ParticipantFactory(membership=cast.bob.memberships.get()).pk}


def _meeting(cast: Any, *, finalised: bool = False) -> Any:
    """A meeting of cell A (case on the agenda, everyone present and acknowledged)."""
    import datetime

    from django.utils import timezone

    from meetings.models import MinutesDocument
    from meetings.services import meetings as meeting_services
    from participants.models import RulesOfProcedure, RulesStatus
    from participants.rules import acknowledgement_record

    RulesOfProcedure.objects.create(cell=cast.cell_a, version=1, text="R", status=RulesStatus.IN_FORCE,
                                    drafted_by=cast.alice, approved_by=cast.mayor)  # fmt: skip
    case = _case(cast)
    for member in cast.cell_a.memberships.all():
        acknowledgement_record(cell=cast.cell_a, user=member.user)
    coordinator = cast.alice.memberships.get(cell=cast.cell_a)
    meeting = meeting_services.meeting_create(member=coordinator, kind="operational", title="Overleg",
                                              starts_at=timezone.now() - datetime.timedelta(hours=1))  # fmt: skip
    meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=case)
    meeting_services.meeting_advance(member=coordinator, meeting=meeting)
    for participant in meeting.cell.participants.all():
        meeting_services.attendance_record(member=coordinator, meeting=meeting, participant=participant,
                                           status="present", acknowledged=True)  # fmt: skip
    if finalised:
        meeting_services.meeting_end(member=coordinator, meeting=meeting)
        meeting_services.meeting_finalise(member=coordinator, meeting=meeting)
        for member in cast.cell_a.memberships.all():
            MinutesDocument.objects.create(
                meeting=meeting, recipient=member.user, status="ready", content="JVBERi0="
            )
    return meeting


def _seat_of_case(cast: Any) -> dict[str, Any]:
    case = _case(cast)
    return {"pk": case.pk, "seat_pk": case.seats.get(participant__membership__user=cast.bob).pk}


def _item(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from cases.services.items import item_add

    case = _case(cast)
    item = item_add(member=cast.bob.memberships.get(), case=case, text="Gezien op school.",
                    category="identification", shared_on=timezone.localdate(), consent=True)  # fmt: skip
    return {"pk": case.pk, "item_pk": item.pk}


def _relation(cast: Any) -> dict[str, Any]:
    from cases.services.cases import relation_add

    case = _case(cast)
    coordinator = cast.alice.memberships.get(cell=cast.cell_a)
    relation = relation_add(member=coordinator, case=case, kind="parent", name="Ouder Testeling",
                            birth_date=None, notes="", is_minor=False)  # fmt: skip
    return {"pk": case.pk, "relation_pk": relation.pk}


# URL arguments beyond the cell, per view name.
URL_KWARGS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "audit:user_accesses": lambda cast: {"user_id": cast.bob.pk},
    "audit:breach": _breach,
    "audit:breach_edit": _breach,
    "participants:invitation_detail": _invitation,
    "participants:participant_edit": _seat,
    "cases:detail": lambda cast: {"pk": _case(cast).pk},
    "cases:table": lambda cast: {"pk": _case(cast).pk},
    "cases:close": lambda cast: {"pk": _case(cast).pk},
    "cases:unseat": _seat_of_case,
    "cases:item_withdraw": _item,
    "cases:relation_delete": _relation,
    "cases:informing": lambda cast: {"pk": _case(cast).pk},
    "cases:identity": lambda cast: {"pk": _case(cast).pk},
    "cases:referral_detail": lambda cast: {"pk": _case(cast).referral_id},
    "cases:referral_qualify": lambda cast: {"pk": _case(cast).referral_id},
    "cases:referral_identity": lambda cast: {"pk": _case(cast).referral_id},
    "meetings:detail": lambda cast: {"pk": _meeting(cast).pk},
    "meetings:minutes": lambda cast: {"pk": _meeting(cast).pk},
    "meetings:run": lambda cast: {"pk": _meeting(cast).pk},
    "meetings:pdf": lambda cast: {"pk": _meeting(cast, finalised=True).pk},
    "meetings:item": lambda cast: (lambda m: {"pk": m.pk, "item_pk": m.items.get().pk})(_meeting(cast)),
}

# Request headers some views need: the item panel is an htmx fragment.
HEADERS: dict[str, dict[str, str]] = {"meetings:item": {"HTTP_HX_REQUEST": "true"}}

# Set-up for views that need no URL argument but do need something to exist first.
SETUP: dict[str, Callable[[Any], Any]] = {
    "cases:list": _case,
    "cases:referrals": _case,
    "meetings:actions": _case,
}

MARKED = sorted(marked_views())


def test_the_walk_finds_the_marked_views():
    names = [name for name, _ in MARKED]
    assert "audit:log" in names and "audit:log_csv" in names
    assert "audit:thresholds" not in names  # not marked: shows no personal data


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "arguments"), MARKED, ids=[name for name, _ in MARKED])
def test_a_view_that_shows_personal_data_logs_exactly_one_access_per_request(cast, client, name, arguments):
    from tests.base import login_verified

    extra = [argument for argument in arguments if argument != "cell_slug"]
    if extra and name not in URL_KWARGS:
        pytest.skip(f"{name} needs {', '.join(extra)}: add a builder to URL_KWARGS in {__name__}")
    if name in SETUP:
        SETUP[name](cast)
    kwargs = {"cell_slug": cast.cell_a.slug, **(URL_KWARGS[name](cast) if extra else {})}
    url = reverse(name, kwargs=kwargs)
    opened = 0
    for member in (cast.alice, cast.bob, cast.mayor, cast.officer, cast.dpo):
        before = LogEntry.objects.filter(action=LogAction.ACCESS).count()
        response = login_verified(client, member).get(url, **HEADERS.get(name, {}))
        if response.streaming:
            b"".join(response.streaming_content)
        written = LogEntry.objects.filter(action=LogAction.ACCESS).count() - before
        if response.status_code == 200:
            opened += 1
            assert written == 1, f"{name} as {member.name}: {written} access entries for one request"
        else:
            assert written == 0, f"{name} as {member.name} answered {response.status_code} yet logged access"
    if not opened:
        pytest.skip(f"no member of the cast may open {name} without more set-up")
