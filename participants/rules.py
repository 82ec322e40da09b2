"""Writes of the rules of procedure and of the acknowledgement of the secrecy of the table
(art. 458ter Sw.; docs/rules.md, rules 2 and 6): the coordinator drafts, a mayor puts a version
in force, and members acknowledge the secrecy under the version in force."""

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from livc import legal
from livc.accounts.models import User
from livc.cells.models import Cell, Membership, Role
from participants.models import (
    ConfidentialityAcknowledgement,
    RulesOfProcedure,
    RulesStatus,
)

# A cell's own data categories (livc/legal.py): at most this many in one version of its rules.
MAX_CATEGORIES = 40
CATEGORY_NAME_LIMIT = 150
CATEGORY_PURPOSE_LIMIT = 2000


@transaction.atomic
def rules_draft_save(
    *,
    member: Membership,
    text: str,
    draft: RulesOfProcedure | None = None,
    categories: Sequence[Mapping[str, object]] | None = None,
) -> RulesOfProcedure:
    """The coordinator saves the draft of the next version (one draft at a time; an approved
    version never changes). A new draft starts from the categories of the version in force.

    `categories` are the data categories the rules define, for a cell whose rules define them
    (`legal.rules_define_categories`): each a mapping with "name", "special", "purpose" and,
    for one carried from an earlier version, its "key". None leaves the draft's as they are. A
    refusal names the list ("categories") or one entry's field ("categories-<index>-name",
    "categories-<index>-purpose", the index in `categories`)."""
    member.require_role(Role.COORDINATOR)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("The rules of procedure cannot be empty.")]
    cell = Cell.objects.select_for_update().get(pk=member.cell_id)  # one draft at a time
    entries = None
    if categories is not None:
        if legal.rules_define_categories(cell):
            entries = _categories_checked(cell, categories, errors)
        elif categories:
            errors["categories"] = [
                _("The rules of procedure of this cell do not define its data categories."),
                str(legal.categories_source(cell)),
            ]
    if errors:
        raise ValidationError(errors)
    if draft is None:
        draft = RulesOfProcedure.objects.filter(cell=cell, status=RulesStatus.DRAFT).first()
    if draft is None:
        last = RulesOfProcedure.objects.filter(cell=cell).order_by("-version").first()
        in_force = RulesOfProcedure.objects.filter(cell=cell, status=RulesStatus.IN_FORCE).first()
        draft = RulesOfProcedure(
            cell=cell,
            version=(last.version + 1) if last else 1,
            drafted_by=member.user,
            data_categories=list(in_force.data_categories) if in_force else [],
        )
    elif draft.cell_id != member.cell_id or draft.status != RulesStatus.DRAFT:
        raise ValidationError(_("Only a draft can be changed; an approved version stays as it was."))
    draft.text = text.strip()
    if entries is not None:
        draft.data_categories = entries
    draft.full_clean()
    draft.save()
    return draft


def _categories_checked(
    cell: Cell, categories: Sequence[Mapping[str, object]], errors: dict[str, list[str]]
) -> list[dict[str, object]]:
    """The entries to store, each with its key; what is wrong goes into `errors`.

    Each category needs a name and the purpose it serves: why the purpose of the cell needs it
    (the federal law's purpose limitation). A key is stable across versions: a submitted key is
    kept only if one of this cell's versions already uses it and no earlier entry took it;
    every other entry gets a new key made from its name."""
    if len(categories) > MAX_CATEGORIES:
        errors["categories"] = [
            _("The rules of procedure define at most %(limit)s data categories.") % {"limit": MAX_CATEGORIES}
        ]
        return []
    entries: list[dict[str, object]] = []
    seen: set[str] = set()
    for index, category in enumerate(categories):
        name, purpose = str(category.get("name") or "").strip(), str(category.get("purpose") or "").strip()
        if not name:
            errors[f"categories-{index}-name"] = [_("Give the data category a name.")]
        elif len(name) > CATEGORY_NAME_LIMIT:
            errors[f"categories-{index}-name"] = [
                _("A name has at most %(limit)s characters.") % {"limit": CATEGORY_NAME_LIMIT}
            ]
        elif name.casefold() in seen:
            errors[f"categories-{index}-name"] = [_("Another data category has this name.")]
        seen.add(name.casefold())
        if not purpose:
            errors[f"categories-{index}-purpose"] = [
                _(
                    "Say why the purpose of the cell, preventing terrorist offences through case-based "
                    "follow-up, needs this data category."
                )
            ]
        elif len(purpose) > CATEGORY_PURPOSE_LIMIT:
            errors[f"categories-{index}-purpose"] = [
                _("A purpose has at most %(limit)s characters.") % {"limit": CATEGORY_PURPOSE_LIMIT}
            ]
        entries.append(
            {
                "key": category.get("key"),
                "name": name,
                "special": bool(category.get("special")),
                "purpose": purpose,
            }
        )
    known = _category_keys(cell)
    taken: set[str] = set()
    for entry in entries:  # first the keys carried over, so that no new entry takes one of them
        key = entry["key"]
        if isinstance(key, str) and key in known and key not in taken:
            taken.add(key)
        else:
            entry["key"] = None
    for entry in entries:
        if entry["key"] is None:
            entry["key"] = _new_key(str(entry["name"]), taken | known)
            taken.add(str(entry["key"]))
    return entries


def _category_keys(cell: Cell) -> set[str]:
    """Every key one of the cell's versions of the rules gave a data category."""
    keys: set[str] = set()
    for listed in RulesOfProcedure.objects.filter(cell=cell).values_list("data_categories", flat=True):
        keys.update(entry["key"] for entry in listed or [] if isinstance(entry, dict) and entry.get("key"))
    return keys


def _new_key(name: str, taken: set[str]) -> str:
    """A key made from the name, never one in use: "c-housing", else "c-housing-2", and so on."""
    base = legal.OWN_CATEGORY_PREFIX + (slugify(name)[:40].strip("-") or "category")
    key, number = base, 1
    while key in taken:
        number += 1
        key = f"{base}-{number}"
    return key


@transaction.atomic
def rules_approve(*, member: Membership, rules: RulesOfProcedure) -> RulesOfProcedure:
    """A mayor puts a draft in force; the version in force until now is superseded."""
    member.require_role(Role.MAYOR)
    Cell.objects.select_for_update().get(pk=member.cell_id)
    rules = RulesOfProcedure.objects.get(pk=rules.pk, cell=member.cell)
    if rules.status != RulesStatus.DRAFT:
        raise ValidationError(_("This version is not a draft."))
    RulesOfProcedure.objects.filter(cell=member.cell, status=RulesStatus.IN_FORCE).update(
        status=RulesStatus.SUPERSEDED
    )
    rules.status, rules.approved_by, rules.approved_at = RulesStatus.IN_FORCE, member.user, timezone.now()
    rules.save()
    return rules


@transaction.atomic
def acknowledgement_record(*, cell: Cell, user: User) -> ConfidentialityAcknowledgement:
    rules = RulesOfProcedure.objects.filter(cell=cell, status=RulesStatus.IN_FORCE).first()
    return ConfidentialityAcknowledgement.objects.create(
        cell=cell, user=user, rules=rules, statement_version=legal.secrecy_statement(cell).version
    )
