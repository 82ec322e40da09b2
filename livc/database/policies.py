"""Which tables are a cell's, and the row-level security policy of each (docs/adr/0011).

A model says whose rows it holds with `cell_path`:

- `"cell"`: its own `cell` column;
- the name of a foreign key to another tenant model (`"case"`, `"meeting"`): its rows are those
  whose parent the current transaction may see (the parent's own policy decides).

Some models say a little more. `Membership` also shows a person their own memberships
(`person_path = "user"`): the cell switcher lists them before any cell is chosen; the case grants
show a person her own, which spares her case list a hash of every case of the cell. The audit log
keeps entries with no cell (logins, platform events) visible (`rows_without_cell = True`): they
belong to no tenant.

`tenant_problems()` lists models that reach a cell through a foreign key but declare nothing: a
new model cannot silently stay outside the policies (check `livc_database.E001`).
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, models, router

POLICY = "livc_cell"
CURRENT_CELL = "NULLIF(current_setting('livc.cell', true), '')::bigint"
CURRENT_PERSON = "NULLIF(current_setting('livc.person', true), '')::bigint"
# Models with a foreign key to a cell that hold no tenant data, and why.
NOT_TENANT_OWNED: dict[str, str] = {}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None
    return _quote(field.column)


def tenant_models() -> list[type[models.Model]]:
    """The models of the main database that declare whose cell their rows are, by table name."""
    found = [
        model
        for model in apps.get_models()
        if getattr(model, "cell_path", None)
        and not model._meta.proxy
        and model._meta.managed
        and router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
    ]
    return sorted(found, key=lambda model: model._meta.db_table)


def _parent(model: type[models.Model]) -> tuple[models.ForeignKey, type[models.Model]] | None:
    path: str = model.cell_path  # type: ignore[attr-defined]
    if path == "cell":
        return None
    field = model._meta.get_field(path)
    if not isinstance(field, models.ForeignKey) or field.related_model is None:
        raise ValueError(f"{model._meta.label}.cell_path = {path!r} is not a foreign key.")
    parent = field.related_model
    assert isinstance(parent, type)
    if not getattr(parent, "cell_path", None):
        raise ValueError(
            f"{model._meta.label}.cell_path = {path!r} leads to {parent._meta.label}, not a tenant model."
        )
    return field, parent


def predicate(model: type[models.Model]) -> str:
    """The SQL condition under which the current transaction sees (and may write) a row."""
    table = _quote(model._meta.db_table)
    found = _parent(model)
    if found is None:
        condition = f"{_column(model, 'cell')} = {CURRENT_CELL}"
    else:
        field, parent = found
        parent_table = _quote(parent._meta.db_table)
        parent_pk = _column(parent, parent._meta.pk.name)
        column = _quote(field.column)
        where = f"{parent_table}.{parent_pk} = {table}.{column}"
        condition = f"EXISTS (SELECT 1 FROM {parent_table} WHERE {where})"  # noqa: S608  names from the models
    if getattr(model, "rows_without_cell", False):
        condition = f"{_column(model, 'cell')} IS NULL OR {condition}"
    if person := getattr(model, "person_path", None):
        # First: PostgreSQL evaluates an OR in the order written, and this costs nothing, where
        # the cell's condition may hash every case of the cell before the first row.
        condition = f"{_column(model, person)} = {CURRENT_PERSON} OR {condition}"
    return condition


def policy_statements(model: type[models.Model]) -> list[str]:
    """Switch row-level security on for the model's table and (re)create its one policy."""
    table = _quote(model._meta.db_table)
    condition = predicate(model)
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({condition}) WITH CHECK ({condition})",
    ]


def linked_models() -> list[type[models.Model]]:
    """Tenant models whose rows a signed link names before any cell is known (`found_by_signed_link`):
    the invitation an e-mailed link opens. `livc_cell_of_link` tells their cell, and nothing else."""
    return [model for model in tenant_models() if getattr(model, "found_by_signed_link", False)]


def tenant_problems() -> list[str]:
    """Models of the main database that reach a cell through a required foreign key but declare no
    `cell_path` (nor are listed in NOT_TENANT_OWNED), and declarations that do not hold."""
    problems = []
    tenants = set(tenant_models())
    for model in apps.get_models():
        if model._meta.proxy or not router.allow_migrate_model(DEFAULT_DB_ALIAS, model):
            continue
        if model in tenants:
            try:
                predicate(model)
            except (ValueError, LookupError) as error:
                problems.append(str(error))
            continue
        if model._meta.label in NOT_TENANT_OWNED:
            continue
        for field in model._meta.fields:
            related = field.related_model if field.is_relation else None
            if related is None or field.null:
                continue
            if related._meta.label == "cells.Cell" or related in tenants:
                problems.append(
                    f"{model._meta.label} belongs to a cell through {field.name!r} but declares no cell_path."
                )
                break
    return problems
