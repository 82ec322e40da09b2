"""What `migrate` sets up in PostgreSQL after the tables, as their owner (docs/adr/0011).

- **Roles.** The application role (`LIVC_DATABASE_APP_ROLE`, the web) and the jobs role
  (`LIVC_DATABASE_JOBS_ROLE`, workers and beat: the application's grants, and row-level
  security's bypass for the cross-cell jobs). In production an administrator creates both with
  their passwords (docker-compose's `deploy/postgres/roles.sh`, the README's production section);
  a development server's superuser creates what is missing, without a password.
- **Grants.** The application reads and writes every table, but the audit log and the chain's
  checkpoints, where it may only INSERT and SELECT, and the migration history (SELECT).
- **Row-level security** on every tenant-owned table (`livc.database.policies`).
- **Functions** that run as the owner (`SECURITY DEFINER`) for the two changes the audit log
  allows: blanking the entries of purged objects (`livc_audit_scrub`), and sealing entries into
  their chain (`livc_audit_seal`); the sealing backlog across cells for the health check
  (`livc_audit_unsealed`); and the cell of a row that a signed link names, before any cell is
  known (`livc_cell_of_link`: an invitation, for the invitee who has no membership yet).

Run again after every `migrate`: every statement replaces what it finds. The key store's
database gets its grants too; it has no tenant table.
"""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper

from livc.database.policies import _quote, linked_models, policy_statements, tenant_models

# Tables the application may only append to and read (UPDATE and DELETE go through the functions).
APPEND_ONLY_TABLES = ("audit_logentry", "audit_accessedcase", "audit_chaincheckpoint")
READ_ONLY_TABLES = ("django_migrations",)
# The owner's map from content type to table, for the scrub's check that an object is gone.
PURGEABLE_TABLE = "livc_purgeable"


def secure_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate: roles, grants, policies and functions of the database just migrated."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    secure(connection, tenants=using == "default")


def secure(connection: BaseDatabaseWrapper, *, tenants: bool) -> None:
    app, jobs = settings.LIVC_DATABASE_APP_ROLE, settings.LIVC_DATABASE_JOBS_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = str(cursor.fetchone()[0])
        _ensure_roles(cursor, app, jobs)
        if tenants:
            _purgeable(cursor, connection)
        for statement in _grants(connection, app, schema, tenants=tenants):
            cursor.execute(statement)
        if tenants:
            for model in tenant_models():
                for statement in policy_statements(model):
                    cursor.execute(statement)
            for statement in _functions(connection, app, schema):
                cursor.execute(statement)


def _ensure_roles(cursor: Any, app: str, jobs: str) -> None:
    cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
    superuser, createrole = cursor.fetchone()
    for role, bypass in ((app, False), (jobs, True)):
        cursor.execute("SELECT rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is not None:
            if found[0] != bypass:
                raise ImproperlyConfigured(
                    f"The database role {role} must {'have' if bypass else 'not have'} BYPASSRLS "
                    "(README, Production: the database's roles)."
                )
            continue
        if not (superuser or (createrole and not bypass)):
            raise ImproperlyConfigured(
                f"The database role {role} does not exist and {cursor.connection.info.user} may not "
                "create it: create it as the README's production section says, then migrate again."
            )
        cursor.execute(f"CREATE ROLE {_quote(role)} NOLOGIN{' BYPASSRLS' if bypass else ''}")
    cursor.execute(
        "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        "JOIN pg_roles member ON member.oid = m.member WHERE r.rolname = %s AND member.rolname = %s",
        [app, jobs],
    )
    if cursor.fetchone() is None:
        cursor.execute(f"GRANT {_quote(app)} TO {_quote(jobs)}")  # the jobs role has the app's grants


def _grants(connection: BaseDatabaseWrapper, app: str, schema_name: str, *, tenants: bool) -> list[str]:
    role = _quote(app)
    schema = _quote(schema_name)
    tables = set(connection.introspection.table_names())
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
    ]
    for table in READ_ONLY_TABLES:
        if table in tables:
            statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {_quote(table)} FROM {role}")
    if tenants:
        for table in APPEND_ONLY_TABLES:
            statements.append(f"REVOKE UPDATE, DELETE ON {_quote(table)} FROM {role}")
        statements.append(f"REVOKE ALL ON {_quote(PURGEABLE_TABLE)} FROM {role}")
    return statements


def _purgeable(cursor: Any, connection: BaseDatabaseWrapper) -> None:
    """The owner's table of what the scrub may consider purged: per content type, its table, its
    key column, and, for rows the purge erases rather than deletes, the query of erased keys."""
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {_quote(PURGEABLE_TABLE)} ("
        "content_type_id integer PRIMARY KEY, table_name text NOT NULL, pk_column text NOT NULL, "
        "pk_type text NOT NULL, erased text)"
    )
    rows = []
    candidates = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(connection.alias, model)
    ]
    types = ContentType.objects.db_manager(connection.alias).get_for_models(
        *candidates, for_concrete_models=True
    )
    for model in candidates:
        erased = _erased_query(model)
        pk = model._meta.pk
        assert pk is not None
        rows.append((types[model].pk, model._meta.db_table, pk.column, pk.rel_db_type(connection), erased))
    cursor.execute(f"TRUNCATE {_quote(PURGEABLE_TABLE)}")
    cursor.executemany(f"INSERT INTO {_quote(PURGEABLE_TABLE)} VALUES (%s, %s, %s, %s, %s)", rows)  # noqa: S608


def _erased_query(model: type[models.Model]) -> str | None:
    """The SQL of the keys of the model's erased rows (`erased_when`, lookups without values)."""
    lookups = getattr(model, "erased_when", None)
    if not lookups:
        return None
    query = model._base_manager.filter(**lookups).order_by().values("pk").query
    sql, params = query.sql_with_params()
    if params:
        raise ValueError(f"{model._meta.label}.erased_when must compare with no value (isnull lookups).")
    return str(sql)


def _functions(connection: BaseDatabaseWrapper, app: str, schema: str) -> list[str]:
    from livc.audit.models import SCRUB_SETTING, SCRUBBABLE_FIELDS, LogEntry
    from livc.audit.services import BLANK

    role = _quote(app)
    log = _quote(LogEntry._meta.db_table)
    blank = ", ".join(f"{_quote(name)} = {BLANK[name]}" for name in SCRUBBABLE_FIELDS)
    scrub = f"""
CREATE OR REPLACE FUNCTION livc_audit_scrub(
    p_content_type integer, p_object_pks text[], p_scrubbed_at timestamptz, p_keep_event text
) RETURNS TABLE (cell_id bigint, object_pk text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {_quote(schema)}, pg_temp AS $fn$
DECLARE
    target record;
    remaining text[];
BEGIN
    SELECT * INTO target FROM {_quote(PURGEABLE_TABLE)} WHERE content_type_id = p_content_type;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit scrub refused: objects of content type % are never purged', p_content_type
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format(
        'SELECT array_agg(t.%1$I::text) FROM %2$I AS t WHERE t.%1$I = ANY($1::%3$s[])'
        || CASE WHEN target.erased IS NULL THEN '' ELSE ' AND t.%1$I NOT IN (' || target.erased || ')' END,
        target.pk_column, target.table_name, target.pk_type
    ) INTO remaining USING p_object_pks;
    IF remaining IS NOT NULL THEN
        RAISE EXCEPTION 'audit scrub refused: % of %.% not purged', array_length(remaining, 1),
            target.table_name, target.pk_column USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('{SCRUB_SETTING}', 'on', true);
    RETURN QUERY
        UPDATE {log} AS entry SET {blank}, scrubbed_at = p_scrubbed_at
        WHERE entry.content_type_id = p_content_type AND entry.object_pk = ANY(p_object_pks)
          AND entry.scrubbed_at IS NULL AND entry.event <> p_keep_event
        RETURNING entry.cell_id::bigint, entry.object_pk::text;
    PERFORM set_config('{SCRUB_SETTING}', 'off', true);
END
$fn$"""  # noqa: S608  names from the models, nothing from a user
    seal = f"""
CREATE OR REPLACE FUNCTION livc_audit_seal(
    p_ids bigint[], p_seqs bigint[], p_prev text[], p_hashes text[]
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {_quote(schema)}, pg_temp AS $fn$
DECLARE
    changed bigint;
BEGIN
    UPDATE {log} AS entry
    SET chain_seq = link.seq, prev_hash = link.prev, entry_hash = link.hash
    FROM unnest(p_ids, p_seqs, p_prev, p_hashes) AS link (id, seq, prev, hash)
    WHERE entry.id = link.id AND entry.chain_seq IS NULL;
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed;
END
$fn$"""  # noqa: S608  names from the models, nothing from a user
    backlog = f"""
CREATE OR REPLACE FUNCTION livc_audit_unsealed() RETURNS TABLE (pending bigint, oldest timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {_quote(schema)}, pg_temp AS $fn$
    SELECT count(*), min(timestamp) FROM {log} WHERE chain_seq IS NULL
$fn$"""  # noqa: S608  names from the models, nothing from a user
    branches = "".join(
        f"""
    IF p_table = '{model._meta.db_table}' THEN
        RETURN (SELECT cell_id FROM {_quote(model._meta.db_table)}
                WHERE {_quote(str(model._meta.pk.column))} = p_pk::{model._meta.pk.rel_db_type(connection)});
    END IF;"""  # noqa: S608  names from the models
        for model in linked_models()
        if model._meta.pk is not None
    )
    link = f"""
CREATE OR REPLACE FUNCTION livc_cell_of_link(p_table text, p_pk text) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {_quote(schema)}, pg_temp AS $fn$
BEGIN{branches}
    RAISE EXCEPTION 'no signed link names rows of %', p_table USING ERRCODE = 'insufficient_privilege';
END
$fn$"""
    statements = [scrub, seal, backlog, link]
    for signature in (
        "livc_audit_scrub(integer, text[], timestamptz, text)",
        "livc_audit_seal(bigint[], bigint[], text[], text[])",
        "livc_audit_unsealed()",
        "livc_cell_of_link(text, text)",
    ):
        statements.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {role}")
    return statements
