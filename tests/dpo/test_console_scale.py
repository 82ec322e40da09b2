"""The console at the scale of a national log (issue 14): pages whose cost does not grow with the
cell's entries, counts bounded as the case list's, and unusual-access signals computed in SQL."""

import datetime
import random
import re
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from cases.models import Case
from dpo import selectors
from dpo.services import audit_settings_update
from livc.audit.models import AccessedCase, AccessKind, LogAction, LogEntry
from livc.cells.models import Membership
from tests.audit.conftest import console, make_access
from tests.cases.conftest import make_case

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def query_count(client, url, params=None):
    client.get(url, params)  # warm: sessions, content types, menus
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured.captured_queries), [query["sql"] for query in captured.captured_queries]


def pages(cast, case):
    membership_type = ContentType.objects.get_for_model(Membership).pk
    return [
        (console("log"), None),
        (console("log"), {"user": cast.alice.pk, "action": "access"}),
        (console("user_accesses", user_id=cast.alice.pk), None),
        (console("object_accesses"), {"case": case.reference}),
        (
            console("object_accesses"),
            {"object_type": membership_type, "object_id": cast.bob.memberships.get().pk},
        ),
    ]


def add_accesses(cast, case, count):
    membership = cast.bob.memberships.get()
    for n in range(count):
        make_access(cast.cell_a, cast.alice, case if n % 2 else membership)


def test_the_log_and_who_saw_what_pages_need_as_many_queries_for_5_or_60_entries(cast, as_user, members):
    case = make_case(members)
    client = as_user(cast.dpo)
    add_accesses(cast, case, 5)
    few = [query_count(client, url, params)[0] for url, params in pages(cast, case)]
    add_accesses(cast, case, 55)
    many = [query_count(client, url, params)[0] for url, params in pages(cast, case)]
    assert few == many


@override_settings(LIVC_LIST_COUNT_BOUND=10)
def test_past_the_bound_the_log_says_more_than_and_pages_on_without_counting_everything(
    cast, as_user, members
):
    case = make_case(members)
    add_accesses(cast, case, 60)
    client = as_user(cast.dpo)
    for url, params in pages(cast, case)[:4]:
        _count, sql = query_count(client, url, params)
        page = client.get(url, params)
        text = page.content.decode()
        assert "more than 10 entries" in text, url
        if page.context["page"].has_next():  # the case's 30 accesses fit on one page
            assert "Page 1" in text and "Page 1 of" not in text, url
        counts = [query for query in sql if query.startswith("SELECT COUNT(*)") and "audit_logentry" in query]
        assert counts and all("LIMIT 11" in query for query in counts), counts
    # Pages past the bound still work (60 of Alice's accesses: 50 on page 1, 10 on page 2).
    second = client.get(console("log"), {"user": cast.alice.pk, "action": "access", "page": 2})
    assert len(second.context["rows"]) == 10 and not second.context["page"].has_next()
    assert "Page 2" in second.content.decode() and "Page 2 of" not in second.content.decode()
    beyond = client.get(console("log"), {"user": cast.alice.pk, "action": "access", "page": 99})
    assert beyond.context["page"].number == 2


def test_within_the_bound_the_log_still_gives_the_count_and_the_pages(cast, as_user):
    for n in range(3):
        make_access(cast.cell_a, cast.alice, object_pk=n)
    page = as_user(cast.dpo).get(console("log"), {"user": cast.alice.pk})
    assert "page 1 of 1, 3 entries" in page.content.decode()


def test_who_saw_a_case_finds_it_through_the_accesses_that_showed_it(cast, as_user, members):
    """The case filter reads the `AccessedCase` rows through the primary key (`= ANY(ARRAY(...))`),
    together with the entries about the case and what hangs off it."""
    case = make_case(members)
    direct = make_access(cast.cell_a, cast.bob, case)
    listed = make_access(cast.cell_a, cast.mayor, cast.cell_a, view="cases:list")
    AccessedCase.objects.create(cell=cast.cell_a, entry=listed, case_pk=str(case.pk))
    make_access(cast.cell_a, cast.alice, cast.cell_a)  # not about the case
    response = as_user(cast.dpo).get(console("object_accesses"), {"case": case.reference})
    assert {row.id for row in response.context["rows"]} == {direct.pk, listed.pk}
    readers = {reader["actor__name"]: reader["count"] for reader in response.context["readers"]}
    assert readers == {"Bob Bosmans": 1, "Mira Maes": 1}
    case_type = ContentType.objects.get_for_model(Case).pk
    by_object = as_user(cast.dpo).get(
        console("object_accesses"), {"object_type": case_type, "object_id": case.pk}
    )
    assert {row.id for row in by_object.context["rows"]} == {direct.pk, listed.pk}


# --- unusual-access signals ----------------------------------------------------------------


def random_accesses(cast, rng, start, count):
    """Accesses of three users (and nobody), dense enough for bursts, over a week and its weekend."""
    actors = [cast.alice, cast.bob, cast.mayor, None]
    moment = start
    for _n in range(count):
        moment += datetime.timedelta(seconds=rng.choice([5, 20, 60, 300, 3600, 4 * 3600]))
        actor = rng.choice(actors)
        entry = LogEntry(
            action=LogAction.ACCESS,
            access_kind=rng.choices(["view", "download", "export"], weights=[80, 10, 10])[0],
            cell=cast.cell_a,
            actor=actor,
            content_type=ContentType.objects.get_for_model(Case),
            object_pk=str(rng.randrange(12)),
            object_repr="x",
            additional_data={"view": "cases:detail"},
            timestamp=moment,
        )
        entry.save()
    return moment


RULES = [
    {},
    {"burst_objects": 3, "burst_minutes": 10},
    {"burst_objects": 5, "burst_minutes": 30, "exports_per_day": 1, "weekends_are_off_hours": False},
    {"burst_objects": 2, "burst_minutes": 5, "office_hours_start": 9, "office_hours_end": 17},
]


def as_tuples(signals):
    return [(s.kind, s.user_id, s.start, s.end, s.count) for s in signals]


@pytest.mark.postgres
@pytest.mark.parametrize("rules", RULES)
def test_the_signals_computed_in_sql_are_those_of_one_pass_over_every_access(cast, rules):
    rng = random.Random(14)
    start = datetime.datetime(2026, 3, 5, 6, 0, tzinfo=BRUSSELS)  # a Thursday: the weekend follows
    end = random_accesses(cast, rng, start, 400)
    if rules:
        audit_settings_update(cell=cast.cell_a, user=cast.dpo, data=rules)
    settings_row = selectors.audit_settings_get(cell=cast.cell_a)
    entries = LogEntry.objects.filter(cell=cast.cell_a, action=LogAction.ACCESS, timestamp__gte=start)
    walked = selectors._signals_walked(entries, settings_row)
    in_sql = selectors._signals_in_sql(entries, settings_row)
    assert sorted(as_tuples(in_sql), key=str) == sorted(as_tuples(walked), key=str)
    kinds = {s.kind for s in walked}
    assert "off_hours" in kinds and ("burst" in kinds if rules else True)  # the data has both
    listed = selectors.unusual_access_list(cell=cast.cell_a, user=cast.dpo, since=start, until=end)
    assert len(listed) == len(walked)


@pytest.mark.postgres
def test_a_burst_signal_ends_the_burst_and_the_next_starts_afresh(cast):
    start = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=BRUSSELS)
    for n in range(9):  # nine distinct objects a minute apart: with more than 3, two bursts
        make_access(cast.cell_a, cast.bob, object_pk=n, at=start + datetime.timedelta(minutes=n))
    audit_settings_update(cell=cast.cell_a, user=cast.dpo, data={"burst_objects": 3, "burst_minutes": 10})
    found = selectors.unusual_access_list(
        cell=cast.cell_a, user=cast.dpo, since=start, until=start + datetime.timedelta(hours=1)
    )
    bursts = sorted((s.start, s.end, s.count) for s in found if s.kind == "burst")
    minute = datetime.timedelta(minutes=1)
    assert bursts == [(start, start + 3 * minute, 4), (start + 4 * minute, start + 7 * minute, 4)]


def signal_line(client):
    text = client.get(console("home")).content.decode()
    match = re.search(r"(\d+) unusual-access signals? in the last 30 days", text)
    assert match, "the overview shows the signal count"
    return int(match.group(1))


def test_the_overview_counts_the_signals_and_shows_new_thresholds_at_once(cast, as_user, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    now = datetime.datetime.now(tz=BRUSSELS)
    client = as_user(cast.dpo)
    for n in range(4):  # four exports today
        make_access(
            cast.cell_a,
            cast.alice,
            kind=AccessKind.EXPORT,
            object_pk=n,
            at=now - datetime.timedelta(seconds=n),
        )
    audit_settings_update(
        cell=cast.cell_a,
        user=cast.dpo,
        data={
            "office_hours_start": 0,
            "office_hours_end": 24,
            "weekends_are_off_hours": False,
            "exports_per_day": 10,
        },
    )
    since = now - selectors.SIGNAL_PERIOD
    expected = len(selectors.unusual_access_list(cell=cast.cell_a, user=cast.dpo, since=since, until=now))
    assert signal_line(client) == expected == 0
    audit_settings_update(cell=cast.cell_a, user=cast.dpo, data={"exports_per_day": 3})
    assert signal_line(client) == 1  # not the count kept for the old thresholds


def test_the_overview_keeps_its_count_a_few_minutes_instead_of_reading_the_log(cast, as_user):
    client = as_user(cast.dpo)
    client.get(console("home"))
    with CaptureQueriesContext(connection) as captured:
        client.get(console("home"))
    reads = [
        q["sql"] for q in captured.captured_queries if "audit_logentry" in q["sql"] and "GROUP BY" in q["sql"]
    ]
    assert reads == []
