"""Set-based deletes for the purge: what `Model.delete()` cascades to, without loading a row.

Django's `delete()` collects every dependant object into memory and, because audit logging
listens to deletes, sends two signals for each one: some fifty objects per case, each
decrypted on load. That is what made the purge take half an hour for 10,000 cases. Here the
same cascade is worked out once per model from the models' own `on_delete` rules (`plan`), and
carried out for a whole batch of roots with one SELECT of primary keys and one DELETE per
dependant model (`delete_cascading`). Nothing is loaded, no signal is sent: the caller scrubs
the audit entries of what went itself (the purge's step 4).

Only CASCADE and SET_NULL are followed. Any other rule (PROTECT, RESTRICT, DO_NOTHING) that a
new model might bring is left to the database's foreign-key constraint, which then refuses
the whole transaction: the batch stays whole, the purge logs it, nothing is half-deleted.
"""

import functools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, models
from django.db.models.deletion import CASCADE, SET_NULL, get_candidate_relations_to_delete

ParamChunk = 500  # primary keys per IN (...) list: well under every database's parameter limit


@dataclass(frozen=True)
class Step:
    """Rows of `model` that go (or lose their link) with a root: `model.<path>` is the root's key."""

    model: type[models.Model]
    field: str  # the foreign key on `model` that is followed
    path: str  # lookup from `model` to the root's primary key, e.g. "decision__case"


@dataclass(frozen=True)
class Plan:
    deletes: tuple[Step, ...]  # deepest first: a row goes before what it points at
    set_null: tuple[Step, ...]


@functools.cache
def plan(root: type[models.Model]) -> Plan:
    """The cascade of `root`'s delete, read from the models' `on_delete` rules.

    A model that cascades to itself (a reply to a reply) is followed one level down only, so
    the walk ends; deeper chains of such rows are refused by the database, like any rule not
    followed here.
    """
    deletes: list[Step] = []
    set_null: list[Step] = []
    frontier: list[tuple[type[models.Model], str, tuple[type[models.Model], ...]]] = [(root, "", (root,))]
    while frontier:
        parent, parent_path, above = frontier.pop(0)
        for candidate in get_candidate_relations_to_delete(parent._meta):
            relation = cast(models.ForeignObjectRel, candidate)
            name = relation.field.name
            path = f"{name}__{parent_path}" if parent_path else name
            step = Step(model=relation.related_model, field=name, path=path)
            if relation.on_delete is CASCADE:
                deletes.append(step)
                if step.model not in above:
                    frontier.append((step.model, path, (*above, step.model)))
            elif relation.on_delete is SET_NULL:
                set_null.append(step)
    return Plan(deletes=tuple(reversed(deletes)), set_null=tuple(set_null))


@dataclass
class Removed:
    """What went or was erased: each row's key and owner (for the audit scrub and its counts),
    and counts per owner and model label. The owner is what the counts are kept for (the case)."""

    objects: list[tuple[type[models.Model], Any]] = field(default_factory=list)
    owner_of: dict[tuple[str, str], Hashable] = field(default_factory=dict)
    deleted: dict[Hashable, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    erased: dict[Hashable, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    keys_destroyed: Counter[Hashable] = field(default_factory=Counter)  # data keys, per owner

    def add(
        self, model: type[models.Model], rows: Iterable[tuple[Any, Hashable]], *, erased: bool = False
    ) -> list[Any]:
        """Note rows as (primary key, owner), deleted or (`erased`) blanked; return their keys."""
        counts = self.erased if erased else self.deleted
        pks = []
        for pk, owner in rows:
            pks.append(pk)
            self.objects.append((model, pk))
            self.owner_of[(model._meta.label_lower, str(pk))] = owner
            counts[owner][model._meta.label] += 1
        return pks


def chunks(values: list[Any], size: int = ParamChunk) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def delete_rows(model: type[models.Model], pks: list[Any]) -> int:
    """DELETE these rows with one statement per chunk: no loading, no signals, no cascade."""
    deleted = 0
    for chunk in chunks(pks):
        # `_raw_delete` is the statement Django's own Collector issues for its "fast deletes".
        deleted += model._base_manager.filter(pk__in=chunk)._raw_delete(connection.alias)
    return deleted


def delete_cascading(root: type[models.Model], owners: Mapping[Any, Hashable], removed: Removed) -> None:
    """Delete the roots (keys of `owners`) with everything their delete cascades to.

    `owners` maps each root's primary key to what the counts are kept for (the purged case).
    Rows reached by two paths are deleted and counted once.
    """
    root_pks = list(owners)
    if not root_pks:
        return
    the_plan = plan(root)
    for step in the_plan.set_null:
        for chunk in chunks(root_pks):
            step.model._base_manager.filter(**{f"{step.path}__in": chunk}).update(**{step.field: None})
    seen: set[tuple[type[models.Model], Any]] = set()
    for step in the_plan.deletes:
        rows: list[tuple[Any, Hashable]] = []
        for chunk in chunks(root_pks):
            for pk, root_pk in step.model._base_manager.filter(**{f"{step.path}__in": chunk}).values_list(
                "pk", step.path
            ):
                if (step.model, pk) not in seen:
                    seen.add((step.model, pk))
                    rows.append((pk, owners[root_pk]))
        delete_rows(step.model, removed.add(step.model, rows))
    delete_rows(root, removed.add(root, ((pk, owners[pk]) for pk in root_pks)))
