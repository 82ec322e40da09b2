"""The case list at scale (issue 14, finding 2): its queries do not grow with the cell, its count
stops at a bound ("more than 1,000"), pages past the bound still work, and who sees which case
is unchanged: a participant her own tables in the current cell, the coordinator the whole cell."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from bench import seeding
from cases.models import Case, CaseUserObjectPermission, Subject
from livc.audit.models import AccessedCase, LogEntry

pytestmark = pytest.mark.django_db

LIST = reverse("cases:list", kwargs={"cell_slug": "alfa"})


def add_cases(cell, count, *, created_by, grant=(), start=0):
    """`count` cases in `cell`, opened a minute apart (the newest last), `grant`ed to these users."""
    now = timezone.now()
    cases = seeding.add_cases(
        cell,
        count,
        created_by=created_by,
        reference=lambda n: f"{cell.slug[:1]}-{start + n:05d}",
        pseudonym=lambda n: f"Persoon {start + n}",
        aim_signals="Signalen.",
    )
    for n, case in enumerate(cases):  # auto_now_add: the opening time is set afterwards
        Case.objects.filter(pk=case.pk).update(opened_at=now - datetime.timedelta(minutes=10_000 - start - n))
    view_case = Permission.objects.get(codename="view_case", content_type__app_label="cases")
    CaseUserObjectPermission.objects.bulk_create(
        CaseUserObjectPermission(user=user, permission=view_case, content_object=case)
        for case in cases
        for user in grant
    )
    return cases


def newest_first(cases):
    return [
        case.reference
        for case in sorted(cases, key=lambda c: Case.objects.get(pk=c.pk).opened_at, reverse=True)
    ]


def references(response):
    return re.findall(r">([ab]-\d{5})</a>", response.content.decode())


def acknowledge(cast):
    from participants.rules import acknowledgement_record

    for user in (cast.alice, cast.bob, cast.dries):
        acknowledgement_record(cell=cast.cell_a, user=user)
    acknowledgement_record(cell=cast.cell_b, user=cast.dries)


def queries_of(client, url):
    client.get(url)  # warm caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_list_runs_as_many_queries_at_60_cases_as_at_3(cast, as_user, who, django_assert_num_queries):
    acknowledge(cast)
    client = as_user(getattr(cast, who))
    add_cases(cast.cell_a, 3, created_by=cast.alice, grant=[cast.bob])
    few = queries_of(client, LIST)
    add_cases(cast.cell_a, 57, created_by=cast.alice, grant=[cast.bob], start=3)
    client.get(LIST)
    with django_assert_num_queries(few):
        response = client.get(LIST)
    assert len(references(response)) == 50
    with django_assert_num_queries(few):
        assert len(references(client.get(LIST + "?page=2"))) == 10


def test_the_participants_list_asks_for_her_grants_once_without_a_join_of_them_all(cast, as_user):
    acknowledge(cast)
    add_cases(cast.cell_a, 3, created_by=cast.alice, grant=[cast.bob])
    client = as_user(cast.bob)
    client.get(LIST)
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST)
    listing = [q["sql"] for q in captured.captured_queries if 'FROM "cases_case"' in q["sql"]]
    assert listing, "the list reads the cases"
    for sql in listing:
        assert sql.count("cases_caseuserobjectpermission") == 1, sql
        assert "DISTINCT" not in sql.upper(), sql
    page_query = next(sql for sql in listing if not sql.startswith("SELECT COUNT"))
    # newest first, the id breaking ties: the order of the index (cell, -opened_at, -id); the
    # opening time may be named by its place in the SELECT list
    assert re.search(r'ORDER BY ("cases_case"\."opened_at"|\d+) DESC, "cases_case"\."id" DESC', page_query)


@override_settings(LIVC_LIST_COUNT_BOUND=5)
def test_over_the_bound_the_list_says_more_than_and_every_page_still_works(cast, as_user, monkeypatch):
    monkeypatch.setattr("cases.views.cases.PAGE_SIZE", 2)
    acknowledge(cast)
    cases = add_cases(cast.cell_a, 11, created_by=cast.alice, grant=[cast.bob])
    expected = newest_first(cases)
    client = as_user(cast.alice)
    response = client.get(LIST)
    content = response.content.decode()
    assert "(more than 5)" in content and "<span>Page 1</span>" in content and "Page 1 of" not in content
    seen = []
    for number in range(1, 7):
        response = client.get(f"{LIST}?page={number}")
        assert response.status_code == 200
        seen += references(response)
        has_next = f"page={number + 1}" in response.content.decode()
        assert has_next == (number < 6), number
    assert seen == expected  # page 4 and beyond, past the bound's three pages, included
    # A page number past the end shows the last page, as Django's paginator does.
    assert references(client.get(f"{LIST}?page=40")) == expected[10:]
    assert references(client.get(f"{LIST}?page=x")) == expected[:2]


@override_settings(LIVC_LIST_COUNT_BOUND=5)
def test_within_the_bound_the_count_and_the_last_page_are_exact(cast, as_user, monkeypatch):
    monkeypatch.setattr("cases.views.cases.PAGE_SIZE", 2)
    acknowledge(cast)
    add_cases(cast.cell_a, 5, created_by=cast.alice)
    client = as_user(cast.alice)
    content = client.get(LIST).content.decode()
    assert "(5)" in content and "Page 1 of 3" in content and "more than" not in content


@override_settings(LIVC_LIST_COUNT_BOUND=5)
def test_past_the_bound_a_participant_still_sees_only_her_tables_in_this_cell(cast, as_user, monkeypatch):
    monkeypatch.setattr("cases.views.cases.PAGE_SIZE", 3)
    acknowledge(cast)
    hers = add_cases(cast.cell_a, 8, created_by=cast.alice, grant=[cast.dries])
    others = add_cases(cast.cell_a, 8, created_by=cast.alice, grant=[cast.bob], start=100)
    elsewhere = add_cases(cast.cell_b, 8, created_by=cast.charlie, grant=[cast.dries], start=200)
    client = as_user(cast.dries)
    seen = []
    for number in range(1, 4):
        seen += references(client.get(f"{LIST}?page={number}"))
    assert seen == newest_first(hers)
    assert not {c.reference for c in others + elsewhere} & set(seen)
    # The coordinator sees the whole cell, and nothing of the other one.
    coordinator = as_user(cast.alice)
    seen = []
    for number in range(1, 7):
        seen += references(coordinator.get(f"{LIST}?page={number}"))
    assert sorted(seen) == sorted(c.reference for c in hers + others)


@override_settings(LIVC_LIST_COUNT_BOUND=5)
def test_every_case_on_a_page_past_the_bound_is_in_the_access_log(cast, as_user, monkeypatch):
    monkeypatch.setattr("cases.views.cases.PAGE_SIZE", 3)
    acknowledge(cast)
    cases = add_cases(cast.cell_a, 12, created_by=cast.alice, grant=[cast.bob])
    shown = references(as_user(cast.bob).get(f"{LIST}?page=3"))
    assert shown == newest_first(cases)[6:9]
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).latest("pk")
    logged = set(AccessedCase.objects.filter(entry=entry).values_list("case_pk", flat=True))
    assert logged == {str(c.pk) for c in cases if c.reference in shown}


def test_filters_keep_working_with_the_bounded_list(cast, as_user):
    acknowledge(cast)
    cases = add_cases(cast.cell_a, 4, created_by=cast.alice, grant=[cast.bob])
    Case.objects.filter(pk=cases[0].pk).update(status="closed", involves_minor=True)
    client = as_user(cast.bob)
    assert references(client.get(LIST + "?status=closed")) == [cases[0].reference]
    assert references(client.get(LIST + "?minors=1")) == [cases[0].reference]
    assert len(references(client.get(LIST + "?status=open"))) == 3


REFERRALS = reverse("cases:referrals", kwargs={"cell_slug": "alfa"})


def add_referrals(cell, count, *, referred_by, start=0):
    from cases.models import Referral

    subjects = Subject.objects.bulk_create(
        Subject(cell=cell, pseudonym=f"Verwezen {start + n:03d}") for n in range(count)
    )
    return Referral.objects.bulk_create(
        Referral(
            cell=cell,
            subject=subject,
            referred_by=referred_by,
            referred_on=datetime.date(2026, 11, 1),
            signals="Signalen.",
        )
        for subject in subjects
    )


def test_the_referral_queue_pages_with_a_bounded_count_and_queries_that_do_not_grow(
    cast, as_user, monkeypatch
):
    """The coordinator's queue ("all" included) is read a page at a time, like the case list."""
    acknowledge(cast)
    client = as_user(cast.alice)
    add_referrals(cast.cell_a, 3, referred_by=cast.bob)
    few = queries_of(client, REFERRALS + "?status=all")
    add_referrals(cast.cell_a, 117, referred_by=cast.bob, start=3)
    assert queries_of(client, REFERRALS + "?status=all") == few
    with override_settings(LIVC_LIST_COUNT_BOUND=100):
        first = client.get(REFERRALS + "?status=all").content.decode()
        assert "More than 100 referrals" in first and "Page 1" in first
        assert first.count("Verwezen ") == 50
        third = client.get(REFERRALS + "?status=all&page=3").content.decode()
        assert third.count("Verwezen ") == 20  # 120 in all: the last page holds the rest
        assert "status=all&amp;page=2" in third  # the filter is kept in the links
    shown = set()
    for number in (1, 2, 3):
        page = client.get(REFERRALS + f"?status=all&page={number}").content.decode()
        shown |= set(re.findall(r"Verwezen \d{3}", page))
    assert len(shown) == 120  # no referral repeated or skipped between pages
