"""Unique constraints kept at save, so that a race never ends in a 500.

A form or a service checks a unique rule before saving (`exists()`, `full_clean()`), but two
requests may both pass the check before either has saved: the database then refuses the second
with an IntegrityError. `unique_or_error` runs the save in a savepoint and turns that refusal,
for the constraints it is given, into the ValidationError (or PermissionDenied) the check itself
raises, so the second person gets the same form error, in their language, with what they typed.

The constraint is recognised by its name on PostgreSQL (psycopg's `diag.constraint_name`), and
by its columns or its index name on SQLite, whose message does not name a constraint on columns.
A constraint is a `UniqueConstraint` of the model, by its name, or a field with `unique=True`, by
the field's name. Any other IntegrityError is raised as it was. `unique_error` gives a constraint's
own `violation_error_message` as a form error, for the check and the save to say the same.
"""

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction

_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '(?P<name>[^']+)'")
_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w.]+(?:, [\w.]+)*)")
_POSTGRES_KEY = re.compile(r"^Key \((?P<columns>[\w\", ]+)\)=")


@dataclass(frozen=True)
class Violation:
    """What the database said it refused: a constraint or index name, or a table and its columns."""

    name: str | None
    table: str | None
    columns: frozenset[str]


def violation_of(error: IntegrityError) -> Violation | None:
    """The unique constraint an IntegrityError reports, or None if it reports no unique violation."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg)
        if getattr(error.__cause__, "sqlstate", None) != "23505":  # unique_violation
            return None
        key = _POSTGRES_KEY.match(diag.message_detail or "")
        columns = {c.strip().strip('"') for c in key.group("columns").split(",")} if key else set()
        return Violation(diag.constraint_name, diag.table_name, frozenset(columns))
    message = str(error)
    if found := _SQLITE_INDEX.search(message):
        return Violation(found.group("name"), None, frozenset())
    if found := _SQLITE_COLUMNS.search(message):
        qualified = [column.split(".", 1) for column in found.group("columns").split(", ")]
        tables = {table for table, _column in qualified}
        table = tables.pop() if len(tables) == 1 else None
        return Violation(None, table, frozenset(column for _table, column in qualified))
    return None


def _unique_constraint(model: type[models.Model], name: str) -> models.UniqueConstraint | None:
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.name == name:
            return constraint
    return None


def _columns(model: type[models.Model], name: str) -> frozenset[str] | None:
    """The columns of the model's unique constraint or unique field `name` (None: an expression)."""
    constraint = _unique_constraint(model, name)
    if constraint is not None:
        if not constraint.fields:
            return None
        return frozenset(_column(model, field) for field in constraint.fields)
    field = model._meta.get_field(name)  # raises FieldDoesNotExist for a name that is neither
    if not isinstance(field, models.Field) or not field.unique:
        raise ValueError(f"{model.__name__}.{name} is neither a unique constraint nor a unique field")
    return frozenset({_column(model, name)})


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None
    return field.column


def violates(violation: Violation, model: type[models.Model], name: str) -> bool:
    """Whether the refusal is the one of `model`'s unique constraint (or unique field) `name`."""
    if violation.name == name:
        return True
    if violation.name is not None and _unique_constraint(model, name) is not None:
        return False  # PostgreSQL named another constraint (perhaps on the same columns)
    columns = _columns(model, name)
    return columns is not None and violation.table == model._meta.db_table and violation.columns == columns


@contextmanager
def unique_or_error(model: type[models.Model], errors: Mapping[str, Exception]) -> Iterator[None]:
    """Run the block (the save) in a savepoint; a violation of one of `model`'s unique constraints
    named in `errors` raises the error given for it instead of the IntegrityError.

        with unique_or_error(Organisation, {"organisation_name_per_cell": duplicate}):
            organisation.save()
    """
    for name in errors:
        _columns(model, name)  # a misspelt name fails at once, not on the day of the race
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        violation = violation_of(error)
        if violation is not None:
            for name, replacement in errors.items():
                if violates(violation, model, name):
                    raise replacement from error
        raise


def unique_error(model: type[models.Model], name: str, *, field: str | None = None) -> ValidationError:
    """The error of the model's unique constraint `name` in its own words (its
    `violation_error_message`), on `field` of the form, or at the top of it."""
    constraint = _unique_constraint(model, name)
    if constraint is None:
        raise ValueError(f"{model.__name__} has no unique constraint {name!r}")
    message = constraint.get_violation_error_message()
    code = constraint.violation_error_code or "unique"
    return ValidationError({field or NON_FIELD_ERRORS: ValidationError(message, code=code)})
