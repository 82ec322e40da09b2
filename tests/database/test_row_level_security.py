"""Row-level security per cell (docs/adr/0011): what a forgotten cell filter would have shown, the
database does not; a transaction in no cell sees no tenant row."""

import pytest
from django.db import ProgrammingError, connection, transaction
from django.urls import reverse

import cases.access
import cases.selectors
from cases.models import Case
from livc.audit.models import LogEntry
from livc.cells.models import Membership
from livc.database.policies import tenant_models, tenant_problems
from livc.database.tenancy import cell_scope, scope

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} {where}")  # noqa: S608  the tests' own names
        return cursor.fetchone()[0]


@pytest.fixture
def no_cell_filter(monkeypatch):
    """The case selector with its cell filter forgotten: every case of every cell."""

    def every_case(*, member):
        return Case.objects.all()

    monkeypatch.setattr(cases.selectors, "case_visible_list", every_case)
    monkeypatch.setattr(cases.access, "case_visible_list", every_case)


def test_a_request_of_cell_a_shows_no_case_of_cell_b_even_without_the_cell_filter(
    cast, as_user, case_a, case_b, no_cell_filter
):
    assert Case.objects.count() == 2  # the test itself is the superuser: it sees both
    coordinator = as_user(cast.alice)

    page = coordinator.get(reverse("cases:list", kwargs={"cell_slug": "alfa"}))
    assert page.status_code == 200
    assert b"Persoon Eik" in page.content  # case_a's pseudonym (both cells' first case is 2026-0001)
    assert b"Persoon Wilg" not in page.content  # case_b's

    detail = coordinator.get(reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case_b.pk}))
    assert detail.status_code == 404


def test_without_the_filter_the_list_would_have_leaked(
    cast, as_user, case_a, case_b, no_cell_filter, settings
):
    """The test above proves something: with the policies bypassed, the same request shows cell B's case."""
    settings.LIVC_DATABASE_APP_ROLE = "none"  # the session's superuser, for whom no policy holds
    page = as_user(cast.alice).get(reverse("cases:list", kwargs={"cell_slug": "alfa"}))
    assert b"Persoon Wilg" in page.content


def test_a_transaction_in_no_cell_sees_no_tenant_row(cast, case_a, case_b):
    populated = {model._meta.db_table for model in tenant_models() if model._base_manager.exists()}
    assert {
        "cases_case",
        "cases_seat",
        "cases_subject",
        "cases_referral",
        "participants_participant",
    } <= populated
    with scope():
        for table in sorted(populated):
            where = "WHERE cell_id IS NOT NULL" if table == LogEntry._meta.db_table else ""
            assert count(table, where) == 0, table


def test_a_transaction_in_a_cell_sees_that_cell_s_rows_only(cast, case_a, case_b):
    with cell_scope(cast.cell_a.pk):
        assert list(Case.objects.values_list("pk", flat=True)) == [case_a.pk]
        assert count("cases_seat") == case_a.seats.count()
        assert count("participants_participant", f"WHERE cell_id = {cast.cell_b.pk}") == 0
    with cell_scope(cast.cell_b.pk):
        assert list(Case.objects.values_list("pk", flat=True)) == [case_b.pk]


def test_a_row_of_another_cell_cannot_be_written(cast, case_b):
    with transaction.atomic(), cell_scope(cast.cell_a.pk), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET cell_id = %s", [cast.cell_a.pk])
        assert cursor.rowcount == 0  # cell B's case is not even seen
    insert = "INSERT INTO cases_casesequence (cell_id, year, last) VALUES (%s, 2099, 1)"
    with pytest.raises(ProgrammingError) as refusal, transaction.atomic(), cell_scope(cast.cell_a.pk):
        connection.cursor().execute(insert, [cast.cell_b.pk])
    assert refusal.value.__cause__.sqlstate == "42501"  # new row violates row-level security policy


def test_a_person_sees_their_own_memberships_in_no_cell_and_no_one_else_s(cast):
    with scope(person_id=cast.alice.pk):
        assert set(Membership.objects.values_list("user_id", flat=True)) == {cast.alice.pk}
    with scope():
        assert not Membership.objects.exists()


def test_the_scope_leaves_the_transaction_as_it_found_it(cast, case_a):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        before = cursor.fetchone()
        with cell_scope(cast.cell_a.pk):
            cursor.execute("SELECT current_user, current_setting('livc.cell', true)")
            assert cursor.fetchone() == ("livc_app", str(cast.cell_a.pk))
        cursor.execute("SELECT current_user, current_setting('livc.cell', true)")
        assert cursor.fetchone() == (before[0], "")


def test_every_model_that_belongs_to_a_cell_declares_it():
    assert tenant_problems() == []
    assert len(tenant_models()) >= 30


def test_a_streamed_export_is_read_in_its_cell_after_the_request_s_transaction(cast, as_user):
    from tests.audit.conftest import console, make_access

    make_access(cast.cell_a, cast.alice, cast.bob, repr_text="Bob Bosmans")
    make_access(cast.cell_b, cast.charlie, cast.charlie, repr_text="Charlie Claes")
    response = as_user(cast.dpo).get(console("log_csv"))
    assert response.status_code == 200
    with scope():  # as the web reads a streamed body: the application role, no cell
        body = b"".join(response.streaming_content).decode()
    assert "alice@example.test" in body or "Alice Aerts" in body
    assert "Charlie" not in body


def test_a_cell_s_task_reads_in_that_cell_whatever_role_the_worker_has(cast, case_a, case_b, monkeypatch):
    """`send_cell_digest` runs in its cell's scope: even the workers' role, which bypasses row-level
    security, reads that cell's rows only there."""
    import retention.tasks
    from livc.database.tenancy import current_cell

    seen = {}

    def upcoming_get(*, cell):
        seen["cell"] = current_cell()
        seen["cases"] = set(Case.objects.values_list("pk", flat=True))  # no cell filter: the policy's
        return type("Upcoming", (), {"count": 0})()

    monkeypatch.setattr(retention.tasks.selectors, "upcoming_get", upcoming_get)
    assert Case.objects.count() == 2  # the test, like the workers' role, sees every cell
    retention.tasks.send_cell_digest(cell_id=cast.cell_b.pk)
    assert seen == {"cell": cast.cell_b.pk, "cases": {case_b.pk}}


def test_a_person_sees_her_own_case_grants_in_no_cell_and_the_cheap_condition_comes_first(cast, case_a):
    from cases.models import CaseUserObjectPermission
    from livc.database.policies import predicate

    assert CaseUserObjectPermission.objects.filter(user=cast.bob).exists()
    with scope(person_id=cast.bob.pk):
        assert set(CaseUserObjectPermission.objects.values_list("user_id", flat=True)) == {cast.bob.pk}
        assert not Case.objects.exists()  # her grants name cases; the cases stay behind their policy
    with scope():
        assert not CaseUserObjectPermission.objects.exists()
    # PostgreSQL evaluates an OR in the order written: the person's comparison before the EXISTS.
    assert predicate(CaseUserObjectPermission).startswith('"user_id" = ')
