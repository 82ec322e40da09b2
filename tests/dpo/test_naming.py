"""The console names cases by their reference and pages by their title (issue 11, item 13)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dpo import lookups
from tests.audit.conftest import console, make_access
from tests.audit.test_views_log_access import marked_views
from tests.cases import conftest as cases_fixtures
from tests.cases.conftest import make_case

pytestmark = pytest.mark.django_db

members, seats, case_a = cases_fixtures.members, cases_fixtures.seats, cases_fixtures.case_a


def test_the_log_names_a_case_by_its_reference_not_its_id(cast, as_user, case_a):
    make_access(cast.cell_a, cast.bob, case_a, view="cases:detail")
    content = as_user(cast.dpo).get(console("log")).content.decode()
    assert f"Case {case_a.reference}" in content
    assert f"Case {case_a.pk}" not in content
    assert f"object_id={case_a.pk}" in content  # the link still selects the object by its id


def test_a_purged_case_is_named_so_with_its_id(cast, as_user, case_a):
    gone = uuid.uuid4()
    make_access(cast.cell_a, cast.bob, case_a, object_pk=gone)
    content = as_user(cast.dpo).get(console("log")).content.decode()
    assert f"purged case {gone}" in content


def test_another_cells_case_with_the_same_id_is_not_named(cast, as_user, members, seats):
    """References are resolved within the DPO's own cell only."""
    charlie = members["charlie"]
    case_b = make_case({"participant": charlie, "coordinator": charlie}, pseudonym="Persoon Berk")
    make_access(cast.cell_a, cast.alice, case_b)  # an entry of cell A pointing at cell B's case
    content = as_user(cast.dpo).get(console("log")).content.decode()
    assert f"purged case {case_b.pk}" in content


def test_the_log_names_pages_by_their_title(cast, as_user, case_a):
    make_access(cast.cell_a, cast.mayor, view="participants:approvals")
    make_access(cast.cell_a, cast.bob, case_a, view="cases:detail")
    make_access(cast.cell_a, cast.bob, view="someapp:unknown_page")
    content = as_user(cast.dpo).get(console("log")).content.decode()
    assert '<span title="participants:approvals">Approvals</span>' in content
    assert '<span title="cases:detail">Case</span>' in content
    assert '<span title="someapp:unknown_page">someapp:unknown_page</span>' in content  # falls back


def test_who_saw_what_and_who_saw_this_object_name_them_too(cast, as_user, case_a):
    make_access(cast.cell_a, cast.bob, case_a, view="cases:detail")
    client = as_user(cast.dpo)
    by_user = client.get(console("user_accesses", user_id=cast.bob.pk)).content.decode()
    assert f"Case {case_a.reference}" in by_user and ">Case</span>" in by_user


def test_every_page_that_logs_an_access_has_a_title():
    titles = lookups.page_titles()
    missing = [name for name, _ in marked_views() if name not in titles]
    assert not missing, f"add a title to dpo/lookups.py::PAGE_TITLES for {missing}"


def test_the_menu_lends_its_labels():
    titles = lookups.page_titles()
    assert str(titles["participants:approvals"]) == "Approvals"
    assert str(titles["retention:upcoming"]) == "Retention"


def _log_queries(client) -> int:
    client.get(console("log"))
    with CaptureQueriesContext(connection) as queries:
        client.get(console("log"))
    return len(queries)


def test_naming_the_cases_costs_one_query_per_page_not_one_per_row(cast, as_user, members, seats, case_a):
    make_access(cast.cell_a, cast.bob, case_a)
    client = as_user(cast.dpo)
    few = _log_queries(client)
    for n in range(6):
        case = make_case(members, pseudonym=f"Persoon {n}", first_name=f"Voornaam{n}")
        make_access(cast.cell_a, cast.alice, case)
    assert _log_queries(client) == few
