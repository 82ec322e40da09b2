"""Per-request work done once (issue 14): the pages every member opens read each thing once —
the rules in force, the acknowledgement, the retention settings, the notices — the purge
notice comes from the cache, and the session is not written on every page. The query counts
are pinned so that a regression shows; lower them when a change lowers them."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.retention.conftest import KEEP_UNTIL, at

pytestmark = pytest.mark.django_db

# Queries of a page seen a second time in the same session (the first renews the session and
# fills the notice cache), measured on PostgreSQL. Before issue 14: 33, 27, 32, 20; once-per-
# request reads, the notice cache and the session renewal: 24, 23, 24, 17; the audit chain's
# deferred sealing: 4 fewer on each page. Row-level security's scope (issue 16, docs/adr/0011):
# 3 more in a test (the request's role and person, its cell, and setting back what the test's
# own transaction had), 2 in production, where the request is its own transaction. The home's
# waiting list of the owner's uses that wait for consent (issue 18): 1 more on each home. The
# member's unread notifications, counted once for the menu and the home's list (issue 19): 1 more
# on each page; the coordinator's waiting agenda proposals, counted once for her menu and home: 1 more.
# A participant's home says where she stands in for a fixed representative (issue 19): 1 more.
MAX_QUERIES = {
    "coordinator case detail": 21,
    "participant case detail": 20,
    "coordinator home": 25,
    "participant home": 18,
}
READ_ONCE = {
    "rules in force": 'FROM "participants_rulesofprocedure"',
    "acknowledgement": 'FROM "participants_confidentialityacknowledgement"',
    "retention settings": 'FROM "retention_retentionsettings"',
    "session write": 'UPDATE "django_session"',
    "overdue actions (notice)": 'SELECT COUNT(*) AS "__count" FROM "meetings_action"',
}


def pages(scenario, cast):
    case = reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": scenario["case_a"].pk})
    home = reverse("cells:home", kwargs={"cell_slug": "alfa"})
    return {
        "coordinator case detail": (cast.alice, case),
        "participant case detail": (cast.bob, case),
        "coordinator home": (cast.alice, home),
        "participant home": (cast.bob, home),
    }


def queries_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


@pytest.fixture
def warned(clock, scenario):
    """Ten days before both cases' data goes: the coordinator's notice has something to say."""
    clock.move_to(at(KEEP_UNTIL.replace(day=KEEP_UNTIL.day - 10)), tick=False)
    return scenario


@pytest.mark.parametrize("page", list(MAX_QUERIES))
def test_a_page_reads_each_thing_once(warned, cast, as_user, page):
    user, url = pages(warned, cast)[page]
    client = as_user(user)
    client.get(url)
    sql = queries_of(client, url)
    assert len(sql) <= MAX_QUERIES[page], "\n".join(sql)
    for what, marker in READ_ONCE.items():
        assert sum(marker in query for query in sql) <= (0 if what == "session write" else 1), what
    normalised = Counter(re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "?", query) for query in sql)
    repeated = [query for query, count in normalised.items() if count > 1]
    assert not repeated, repeated


def test_the_coordinators_pages_show_the_notice_without_walking_the_cases(warned, cast, as_user):
    client = as_user(cast.alice)
    for url in [url for user, url in pages(warned, cast).values() if user == cast.alice] * 2:
        content = client.get(url).content.decode()
        assert "2 cases will be purged under the retention rule by" in content
    sql = queries_of(client, reverse("cells:home", kwargs={"cell_slug": "alfa"}))
    assert not any('FROM "cases_case" WHERE' in query and "last_discussed_on" in query for query in sql)
