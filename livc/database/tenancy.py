"""Which cell the database shows: the transaction's scope for row-level security (docs/adr/0011).

On PostgreSQL every tenant-owned table has a policy that compares the row's cell with the cell
set for the current transaction (`livc.cell`, `SET LOCAL`). Nothing is set on the session, so a
server connection can go to another client between transactions (PgBouncer, transaction
pooling). A transaction with no cell set sees no tenant row.

- `scope()` opens (or joins) a transaction, takes the application role (`LIVC_DATABASE_APP_ROLE`)
  for it, and sets the person (whose own memberships the cell switcher lists) and the cell.
  `ScopeMiddleware` runs every request in one; `CellMiddleware` then sets the request's cell
  with `enter_cell()`. When the block ends, what was set before it is set again: a request made
  by a test inside its own transaction leaves the test where it was.
- `cell_scope(cell_id)` is the same for one cell, for work done outside a request (a chain's
  sealing); `in_each_cell` runs a scheduled task's work cell by cell; `streamed_in_cell` reads a
  streamed response's body in its cell.

What runs without a scope runs as the role the process logged in as: the web's role sees no
tenant row; the workers' role (`LIVC_DATABASE_JOBS_ROLE`) has row-level security's bypass, by
name, for the cross-cell jobs (docs/architecture.md, "Defence in the database").

On SQLite (development only) there is no row-level security: the scopes are plain transactions.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction

from livc.cells.models import Cell

T = TypeVar("T")
CELL = "livc.cell"
PERSON = "livc.person"
ROLE = "role"


def _on_postgresql() -> bool:
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql"


def _set(values: dict[str, str]) -> dict[str, str]:
    """Set these settings for the current transaction; returns what they were (one round trip)."""
    names = list(values)
    reads = ", ".join(
        "current_setting(%s)" if name == ROLE else "current_setting(%s, true)" for name in names
    )
    writes = ", ".join("set_config(%s, %s, true)" for _name in names)
    params: list[str] = [*names, *(part for name in names for part in (name, values[name]))]
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT {reads}, {writes}", params)
        row = cursor.fetchone()
    return {name: row[index] or "" for index, name in enumerate(names)}


def _write(values: dict[str, str]) -> None:
    """Set these settings for the current transaction, without reading what they were."""
    writes = ", ".join("set_config(%s, %s, true)" for _name in values)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT {writes}", [part for item in values.items() for part in item])


def _restore(previous: dict[str, str]) -> None:
    """Set again what was set before a nested scope (no need at a transaction's end)."""
    _write({name: (value or "none") if name == ROLE else value for name, value in previous.items()})


@contextmanager
def scope(*, person_id: int | None = None, cell_id: int | None = None) -> Iterator[None]:
    """One transaction (or a savepoint in one) as the application role, for this person and cell."""
    nested = connections[DEFAULT_DB_ALIAS].in_atomic_block
    with transaction.atomic():
        if not _on_postgresql():
            yield
            return
        previous = _set(
            {
                ROLE: settings.LIVC_DATABASE_APP_ROLE,
                PERSON: "" if person_id is None else str(person_id),
                CELL: "" if cell_id is None else str(cell_id),
            }
        )
        yield
        # Reached only without an exception: with one, the savepoint's rollback undoes the settings.
        # A scope that is its own transaction leaves nothing behind: SET LOCAL ends with it.
        if nested and not connections[DEFAULT_DB_ALIAS].needs_rollback:
            _restore(previous)


@contextmanager
def cell_scope(cell_id: int | None) -> Iterator[None]:
    """`scope()` for one cell (None: no cell, the rows of no tenant), for work outside a request."""
    with scope(cell_id=cell_id):
        yield


def in_each_cell(work: Callable[[Cell], int]) -> int:
    """Run `work` for every cell, each in its own scope: the scheduled tasks that act cell by cell
    (a deadline near, an action due). Returns the sum of what `work` returned."""
    done = 0
    for cell in Cell.objects.order_by("pk"):
        with cell_scope(cell.pk):
            done += work(cell)
    return done


def streamed_in_cell(cell_id: int, chunks: Iterator[T]) -> Iterator[T]:
    """A streamed response's chunks, read in the cell's scope: the body of a streamed response is
    read after the request's transaction has ended, where no cell is set any more."""
    with cell_scope(cell_id):
        yield from chunks


def enter_cell(cell_id: int) -> None:
    """Show this cell for the rest of the current scope (the cell middleware, once per request)."""
    if not _on_postgresql():
        return
    if not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        raise RuntimeError("enter_cell() needs a scope: a cell set outside a transaction would be lost.")
    _write({CELL: str(cell_id)})


def enter_cell_of_link(model: type[models.Model], pk: object) -> bool:
    """Show the cell of the row a verified signed link names (a model with `found_by_signed_link`),
    for the rest of the current scope; False if there is no such row. Call it only once the link's
    signature holds: the database tells the cell of any row of those tables."""
    if not _on_postgresql():
        return True
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT livc_cell_of_link(%s, %s)", [model._meta.db_table, str(pk)])
        cell_id = cursor.fetchone()[0]
    if cell_id is None:
        return False
    enter_cell(cell_id)
    return True


def current_cell() -> int | None:
    """The cell the current transaction shows (None: none, or not PostgreSQL)."""
    if not _on_postgresql():
        return None
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [CELL])
        value = cursor.fetchone()[0]
    return int(value) if value else None
