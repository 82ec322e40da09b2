"""The database's roles (docs/adr/0011): what the application's role may not do to the audit log,
and the one function through which the purge blanks the entries of what it deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import ProgrammingError, connection, transaction
from django.test import override_settings

from livc.audit.models import LogEntry
from livc.audit.services import scrub_entries_for_objects
from livc.database.checks import check_application_role
from livc.database.tenancy import scope
from participants.models import Organisation
from tests.audit.conftest import make_access
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def refused(sql: str, params: list | None = None) -> str:
    """Run `sql` as the application role in a savepoint; return the SQLSTATE it was refused with."""
    with (
        pytest.raises(ProgrammingError) as refusal,
        transaction.atomic(),
        scope(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params or [])
    return refusal.value.__cause__.sqlstate


def test_the_application_role_may_neither_update_nor_delete_nor_truncate_the_audit_log(cast):
    entry = make_access(cast.cell_a, cast.alice, cast.bob, repr_text="Bob Bosmans")

    assert refused("UPDATE audit_logentry SET object_repr = '' WHERE id = %s", [entry.pk]) == "42501"
    assert refused("DELETE FROM audit_logentry WHERE id = %s", [entry.pk]) == "42501"
    assert refused("TRUNCATE audit_logentry") == "42501"
    assert refused("DELETE FROM audit_chaincheckpoint") == "42501"
    assert refused("INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())") == "42501"
    entry.refresh_from_db()
    assert entry.object_repr == "Bob Bosmans"


def test_the_application_role_may_not_drop_the_append_only_trigger_nor_switch_policies_off():
    trigger = _append_only_trigger()
    assert refused(f'DROP TRIGGER "{trigger}" ON audit_logentry') == "42501"  # must be owner
    assert refused(f'ALTER TABLE audit_logentry DISABLE TRIGGER "{trigger}"') == "42501"
    assert refused("ALTER TABLE cases_case DISABLE ROW LEVEL SECURITY") == "42501"
    assert refused("DROP POLICY livc_cell ON cases_case") == "42501"
    assert refused("SELECT * FROM livc_purgeable") == "42501"  # the scrub's map is the owner's


def test_the_application_role_may_write_and_read_entries(cast):
    with scope(cell_id=cast.cell_a.pk):
        entry = make_access(cast.cell_a, cast.alice, cast.bob)
        assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_scrub_function_blanks_the_entries_of_a_purged_object(cast):
    gone = OrganisationFactory(cell=cast.cell_a, name="Jeugdhuis Nergens")
    entry = make_access(cast.cell_a, cast.alice, gone, repr_text="Jeugdhuis Nergens")
    gone_pk = gone.pk
    gone.delete()

    with scope(cell_id=cast.cell_a.pk):
        scrubbed = scrub_entries_for_objects([(Organisation, gone_pk)])

    about = LogEntry.objects.filter(object_pk=str(gone_pk), content_type__model="organisation").exclude(
        event="entries_scrubbed"
    )
    assert scrubbed == {
        ("participants.organisation", str(gone_pk)): about.count()
    }  # its creation, deletion, access
    assert (
        set(about.values_list("object_repr", flat=True)) == {""}
        and not about.filter(scrubbed_at=None).exists()
    )
    entry.refresh_from_db()
    assert entry.object_repr == "" and entry.scrubbed_at is not None


def test_the_scrub_function_refuses_an_object_that_still_exists_and_blanks_nothing(cast):
    kept = OrganisationFactory(cell=cast.cell_a, name="CLB Alfa")
    gone = OrganisationFactory(cell=cast.cell_a, name="Jeugdhuis Nergens")
    kept_entry = make_access(cast.cell_a, cast.alice, kept, repr_text="CLB Alfa")
    gone_entry = make_access(cast.cell_a, cast.alice, gone, repr_text="Jeugdhuis Nergens")
    gone_pk = gone.pk
    gone.delete()

    with (
        pytest.raises(ProgrammingError, match="not purged"),
        transaction.atomic(),
        scope(cell_id=cast.cell_a.pk),
    ):
        scrub_entries_for_objects([(Organisation, kept.pk), (Organisation, gone_pk)])

    for entry, text in ((kept_entry, "CLB Alfa"), (gone_entry, "Jeugdhuis Nergens")):
        entry.refresh_from_db()
        assert entry.object_repr == text and entry.scrubbed_at is None


def test_the_scrub_function_refuses_a_type_it_does_not_know(cast):
    entry = make_access(cast.cell_a, cast.alice, cast.bob, repr_text="Bob Bosmans")
    refusal = pytest.raises(ProgrammingError, match="never purged")
    with refusal, transaction.atomic(), scope(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM livc_audit_scrub(%s, %s, now(), '')", [-1, [entry.object_pk]])


def test_the_scrub_function_accepts_an_erased_agenda_item_only(cast):
    from meetings.models import AgendaItem

    content_type = ContentType.objects.get_for_model(AgendaItem)
    with connection.cursor() as cursor:
        cursor.execute("SELECT erased FROM livc_purgeable WHERE content_type_id = %s", [content_type.pk])
        (erased,) = cursor.fetchone()
    assert "removed_on" in erased and "IS NOT NULL" in erased


def test_the_jobs_role_bypasses_row_level_security_and_the_application_role_does_not():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolbypassrls, rolsuper FROM pg_roles WHERE rolname IN ('livc_app', 'livc_jobs') "
            "ORDER BY rolname"
        )
        assert cursor.fetchall() == [("livc_app", False, False), ("livc_jobs", True, False)]
        cursor.execute("SELECT pg_has_role('livc_jobs', 'livc_app', 'USAGE')")
        assert cursor.fetchone() == (True,)


def test_the_deployment_check_refuses_a_superuser_or_the_owner():
    # The tests log in as the server's superuser (requests take the application role).
    assert check_application_role() == []  # a database check: only when the database is named
    errors = check_application_role(databases=["default"])
    assert [error.id for error in errors] == ["livc_database.E002"]
    assert "superuser" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"livc_database\.E002"):
        call_command("check", "--deploy", "--database", "default", "--fail-level", "ERROR")


@override_settings(LIVC_DATABASE_APP_ROLE="livc_app")
def test_migrate_sets_everything_up_again_without_changing_it():
    def snapshot():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT polrelid::regclass::text, pg_get_expr(polqual, polrelid) FROM pg_policy ORDER BY 1"
            )
            policies = cursor.fetchall()
            cursor.execute("SELECT has_table_privilege('livc_app', 'audit_logentry', 'UPDATE')")
            return policies, cursor.fetchone()

    before = snapshot()
    from livc.database.setup import secure

    secure(connection, tenants=True)
    assert snapshot() == before
    assert len(before[0]) >= 30 and before[1] == (False,)


def _append_only_trigger() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_logentry'::regclass AND tgname LIKE %s",
            ["pgtrigger_audit_append_only%"],
        )
        return cursor.fetchone()[0]


def test_the_cell_of_a_signed_link_s_row_is_told_for_invitations_only(cast, case_a):
    from participants.models import Invitation
    from tests.factories import InvitationFactory

    invitation = InvitationFactory(cell=cast.cell_b)
    with scope(), connection.cursor() as cursor:
        assert not Invitation.objects.filter(pk=invitation.pk).exists()  # no cell: not seen
        cursor.execute("SELECT livc_cell_of_link(%s, %s)", ["participants_invitation", str(invitation.pk)])
        assert cursor.fetchone() == (cast.cell_b.pk,)
        cursor.execute("SELECT livc_cell_of_link(%s, %s)", ["participants_invitation", "999999999"])
        assert cursor.fetchone() == (None,)
    assert refused("SELECT livc_cell_of_link('cases_case', %s)", [str(case_a.pk)]) == "42501"
