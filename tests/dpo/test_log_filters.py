import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from livc.audit.events import EventKind, record_event
from livc.audit.models import LogEntry
from livc.cells.models import Membership
from tests.audit.conftest import console, make_access
from tests.cases.conftest import make_case

pytestmark = pytest.mark.django_db


def rows(response):
    return response.context["rows"]


def test_the_log_lists_the_cells_entries_newest_first(cast, as_user):
    old = make_access(cast.cell_a, cast.alice, object_pk=1, at=timezone.now() - datetime.timedelta(days=3))
    new = make_access(cast.cell_a, cast.bob, object_pk=2)
    ids = [row.id for row in rows(as_user(cast.dpo).get(console("log")))]
    assert ids.index(new.pk) < ids.index(old.pk)


def test_it_filters_by_period(cast, as_user):
    now = timezone.now()
    make_access(cast.cell_a, cast.alice, object_pk=11, at=now - datetime.timedelta(days=40))
    inside = make_access(cast.cell_a, cast.alice, object_pk=12, at=now - datetime.timedelta(days=10))
    start = (timezone.localdate() - datetime.timedelta(days=20)).isoformat()
    end = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    found = rows(as_user(cast.dpo).get(console("log"), {"date_from": start, "date_to": end}))
    assert [row.id for row in found] == [inside.pk]


def test_it_filters_by_user_action_object_type_and_id(cast, as_user):
    membership = cast.bob.memberships.get()
    make_access(cast.cell_a, cast.alice, membership)
    wanted = make_access(cast.cell_a, cast.bob, membership, kind="download")
    make_access(cast.cell_a, cast.bob, membership, kind="view")
    make_access(cast.cell_a, cast.bob, cast.cell_a)
    ct = ContentType.objects.get_for_model(Membership)
    query = {
        "user": cast.bob.pk,
        "action": "access:download",
        "object_type": ct.pk,
        "object_id": membership.pk,
    }
    assert [row.id for row in rows(as_user(cast.dpo).get(console("log"), query))] == [wanted.pk]


def test_it_filters_events_by_kind(cast, as_user):
    record_event(EventKind.LOGIN_FAILED, cell=cast.cell_a, instance=cast.bob)
    make_access(cast.cell_a, cast.bob)
    found = rows(as_user(cast.dpo).get(console("log"), {"action": "event:login_failed"}))
    assert [row.action for row in found] == ["login failed"]


def test_bad_input_is_explained_and_kept(cast, as_user):
    response = as_user(cast.dpo).get(
        console("log"), {"date_from": "2026-05-10", "date_to": "2026-05-01", "object_id": "17"}
    )
    content = response.content.decode()
    assert "The end of the period lies before its start." in content
    assert "Choose the type of the object whose id you typed." in content
    assert 'value="2026-05-10"' in content and 'value="17"' in content
    assert rows(response) == []


def test_pages_hold_fifty_entries_and_link_to_the_next(cast, as_user):
    for n in range(55):
        make_access(cast.cell_a, cast.alice, object_pk=1000 + n)
    client = as_user(cast.dpo)
    first = client.get(console("log"), {"user": cast.alice.pk})
    assert len(rows(first)) == 50
    assert "page=2" in first.content.decode() and f"user={cast.alice.pk}" in first.content.decode()
    second = client.get(console("log"), {"user": cast.alice.pk, "page": 2})
    assert len(rows(second)) == 5


def test_who_saw_what_lists_one_users_accesses(cast, as_user):
    mine = make_access(cast.cell_a, cast.bob, object_pk=31)
    make_access(cast.cell_a, cast.alice, object_pk=32)
    record_event(EventKind.LOGIN, cell=cast.cell_a, actor=cast.bob, instance=cast.bob)
    response = as_user(cast.dpo).get(console("user_accesses", user_id=cast.bob.pk))
    assert [row.id for row in rows(response)] == [mine.pk]
    assert "What Bob Bosmans saw" in response.content.decode()


def test_who_saw_this_object_sums_up_per_user(cast, as_user):
    membership = cast.bob.memberships.get()
    make_access(cast.cell_a, cast.alice, membership)
    make_access(cast.cell_a, cast.alice, membership)
    make_access(cast.cell_a, cast.mayor, membership)
    make_access(cast.cell_a, cast.mayor, cast.cell_a)
    ct = ContentType.objects.get_for_model(Membership)
    response = as_user(cast.dpo).get(
        console("object_accesses"), {"object_type": ct.pk, "object_id": membership.pk}
    )
    readers = {reader["actor__name"]: reader["count"] for reader in response.context["readers"]}
    assert readers == {"Alice Aerts": 2, "Mira Maes": 1}


def test_the_organisation_and_case_reference_filters_read_the_cells_own_records(
    cast, as_user, members, seats
):
    case = make_case(members)
    wanted = make_access(cast.cell_a, cast.bob, case)
    make_access(cast.cell_a, cast.alice, case)
    make_access(cast.cell_a, cast.bob, cast.cell_a)
    clb = str(seats["participant"].organisation_id)
    client = as_user(cast.dpo)
    found = rows(client.get(console("log"), {"organisation": clb, "case": case.reference}))
    assert [row.id for row in found] == [wanted.pk]
    assert rows(client.get(console("log"), {"case": "2099-9999"})) == []
    people = client.get(console("people")).context["persons"]
    assert {p.user.name: p.organisation for p in people}["Bob Bosmans"] == "CLB Alfa"


def test_the_log_page_needs_a_bounded_number_of_queries(cast, as_user, django_assert_max_num_queries):
    for n in range(30):
        make_access(cast.cell_a, cast.alice, object_pk=n)
    client = as_user(cast.dpo)
    client.get(console("log"))
    with django_assert_max_num_queries(25):
        client.get(console("log"))
    assert LogEntry.objects.filter(cell=cast.cell_a).count() > 30
