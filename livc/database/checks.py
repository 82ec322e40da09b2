"""Checks of the database's defences (docs/adr/0011).

- `livc_database.E001`: every model that belongs to a cell declares how (`cell_path`), so that
  row-level security covers it.
- `livc_database.E002` (deployment): the application does not connect as the tables' owner or
  as a superuser, for whom the audit log's grants and row-level security do not hold.
"""

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from livc.database.policies import tenant_problems


@register(Tags.models)
def check_tenant_models(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            problem, hint="Set cell_path on the model (livc/database/policies.py).", id="livc_database.E001"
        )
        for problem in tenant_problems()
    ]


@register(Tags.database, deploy=True)
def check_application_role(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    connection = connections[DEFAULT_DB_ALIAS]
    if not databases or DEFAULT_DB_ALIAS not in databases or connection.vendor != "postgresql":
        return []  # like Django's own database checks: only when asked (`check --database default`)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolname, r.rolsuper, EXISTS (SELECT 1 FROM pg_tables t "
                "WHERE t.schemaname = current_schema() AND t.tableowner = r.rolname) "
                "FROM pg_roles r WHERE r.rolname = session_user"
            )
            name, superuser, owner = cursor.fetchone()
    except DatabaseError as error:
        return [
            Error(f"The database could not be asked who the application is: {error}", id="livc_database.E003")
        ]
    if not (superuser or owner):
        return []
    what = "a superuser" if superuser else "the owner of its tables"
    return [
        Error(
            f"The application connects to the database as {name}, {what}: the audit log's grants and "
            "row-level security do not hold for it.",
            hint="Connect as the application's role (LIVC_DATABASE_APP_ROLE) and migrate as the owner "
            "(README, Production: the database's roles).",
            id="livc_database.E002",
        )
    ]
