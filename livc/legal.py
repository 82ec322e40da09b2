"""The law a cell works under, and everything that depends on it (docs/rules.md, "Where each rule
comes from"; docs/adr/0015-german-and-the-cells-own-law.md).

Every cell works under the federal law of 30 July 2018 establishing the local integrated security
cells and art. 458ter of the Criminal Code; a Flemish cell also works under the Flemish decree of
2021 on those cells. The platform administrator sets a cell's framework (`Cell.legal_framework`).
This module alone decides what differs between the two, so that no template, form or service
asks which framework a cell has:

- the data categories offered for an information item: the decree's fourteen (its art. 9), or
  those the cell's rules of procedure define, each with the purpose it serves, beside "other
  data", which the owner must justify (the federal law's purpose limitation holds in both);
- the legal references shown on the screens and in the PDFs;
- the supervisory authorities the breach register offers;
- the secrecy statement a member acknowledges, with its version.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Cell(Protocol):
    """What this module reads of a cell (`livc.cells.models.Cell`, which imports this module)."""

    legal_framework: str


class LegalFramework(models.TextChoices):
    FLEMISH = "flemish", _("Federal law and Flemish decree")
    FEDERAL = "federal", _("Federal law only")


# --- Data categories ----------------------------------------------------------------------------


class DataCategory(models.TextChoices):
    """The fourteen categories of personal data of the Flemish decree, art. 9."""

    IDENTIFICATION = "identification", _("Identification and contact details")
    PROFESSION = "profession", _("Profession and education")
    PERSONAL = "personal", _("Age, sex, nationality, civil and residence status")
    FINANCES = "finances", _("Debts and solvency")
    LIFESTYLE = "lifestyle", _("Lifestyle, leisure and social context")
    FAMILY = "family", _("Family composition")
    HOUSING = "housing", _("Housing")
    POLICE_JUDICIAL = "police_judicial", _("Police and judicial data")
    HEALTH = "health", _("Health")
    RISK = "risk", _("Risk situations and risk behaviour")
    ORIGIN = "origin", _("Origin")
    BELIEFS = "beliefs", _("Political, religious or philosophical beliefs")
    BEHAVIOUR = "behaviour", _("Behaviour")
    OTHER = "other", _("Other data necessary for the purpose")


# Special categories of personal data (GDPR art. 9 and 10): marked wherever they appear.
SPECIAL_CATEGORIES = frozenset(
    {DataCategory.HEALTH, DataCategory.BELIEFS, DataCategory.ORIGIN, DataCategory.POLICE_JUDICIAL}
)
# The key a cell's own category gets starts with this: it never meets one of the decree's.
OWN_CATEGORY_PREFIX = "c-"


@dataclass(frozen=True)
class Category:
    """A data category an item may be filed under: its key (stored on the item), its name, whether
    it is a special category of personal data, and why the purpose needs it (a cell's own only)."""

    key: str
    name: str | Promise
    special: bool = False
    purpose: str = ""

    @property
    def needs_justification(self) -> bool:
        """Each item of "other data" says why the purpose of the table needs it."""
        return self.key == DataCategory.OTHER


OTHER = Category(DataCategory.OTHER, DataCategory.OTHER.label)
DECREE_CATEGORIES: tuple[Category, ...] = tuple(
    Category(choice.value, choice.label, special=choice in SPECIAL_CATEGORIES) for choice in DataCategory
)


def data_categories(cell: Cell, defined: Callable[[], Sequence[Category]]) -> list[Category]:
    """The categories an item of `cell` may be filed under. `defined` gives those of the cell's
    rules of procedure in force; it is asked only for a cell whose rules define them."""
    if cell.legal_framework == LegalFramework.FLEMISH:
        return list(DECREE_CATEGORIES)
    return [*defined(), OTHER]


def rules_define_categories(cell: Cell) -> bool:
    """Whether the cell's rules of procedure list its data categories (not so under the decree)."""
    return cell.legal_framework != LegalFramework.FLEMISH


def categories_source(cell: Cell) -> str | Promise:
    """One line on where the cell's data categories come from, shown with its rules of procedure."""
    if rules_define_categories(cell):
        return _(
            "The data categories are those the rules of procedure define, each with the purpose it serves."
        )
    return _("The data categories are the fourteen of the Flemish decree (art. 9).")


def category_name(key: str, own_name: str = "") -> str | Promise:
    """The name an item's category is shown under: the one the rules gave it, else the decree's."""
    if own_name:
        return own_name
    try:
        return DataCategory(key).label
    except ValueError:
        return key


# --- References on screens and in PDFs -------------------------------------------------------


@dataclass(frozen=True)
class References:
    framework: str | Promise  # one line naming the instruments, under every cell page and PDF
    category_field: str | Promise  # the label of an item's category
    motivation_help: str | Promise  # why a person's function helps: the invitation's motivation
    retention: str | Promise  # where the retention periods come from


_FLEMISH_REFERENCES = References(
    framework=_(
        "Legal framework: federal law of 30 July 2018 on the local integrated security cells, "
        "art. 458ter Criminal Code and the Flemish decree of 2021 on the local integrated security cells."
    ),
    category_field=_("Data category (decree art. 9)"),
    motivation_help=_(
        "Why this person's function helps the individual, case-based follow-up (decree LIVC-R)."
    ),
    retention=_(
        "The one-year rule for cases and its five-year maximum are set by the decree; the cell sets how "
        "long a referral that was not retained is kept, and how far ahead you are warned."
    ),
)
_FEDERAL_REFERENCES = References(
    framework=_(
        "Legal framework: federal law of 30 July 2018 on the local integrated security cells and "
        "art. 458ter Criminal Code."
    ),
    category_field=_("Data category (rules of procedure)"),
    motivation_help=_(
        "Why this person's function helps the individual, case-based follow-up (law of 30 July 2018)."
    ),
    retention=_(
        "Cases are kept one year after their last discussion, five years at most, as the platform's "
        "limit of what the purpose needs (GDPR art. 5); the cell sets how long a referral that was not "
        "retained is kept, and how far ahead you are warned."
    ),
)


def references(cell: Cell) -> References:
    if cell.legal_framework == LegalFramework.FLEMISH:
        return _FLEMISH_REFERENCES
    return _FEDERAL_REFERENCES


# --- Supervisory authorities ------------------------------------------------------------------


class SupervisoryAuthority(models.TextChoices):
    GBA_APD = "gba_apd", _("Data Protection Authority (GBA/APD)")
    VTC = "vtc", _("Flemish Supervisory Commission (Vlaamse Toezichtcommissie)")


# Where a person lodges a complaint about any cell: the Belgian Data Protection Authority, named in
# its languages as it names itself.
COMPLAINT_AUTHORITY_ADDRESS = (
    "Gegevensbeschermingsautoriteit / Autorité de protection des données / Datenschutzbehörde, "
    "Drukpersstraat 35 / rue de la Presse 35, 1000 Brussel / Bruxelles, contact@apd-gba.be"
)


def supervisory_authorities(cell: Cell) -> list[tuple[str, str | Promise]]:
    """The authorities the cell's breach register offers, as (value, label) choices."""
    if cell.legal_framework == LegalFramework.FLEMISH:
        return list(SupervisoryAuthority.choices)
    return [(SupervisoryAuthority.GBA_APD.value, SupervisoryAuthority.GBA_APD.label)]


def authority_help(cell: Cell) -> str | Promise:
    if cell.legal_framework == LegalFramework.FLEMISH:
        return _("For a Flemish cell, the Vlaamse Toezichtcommissie; otherwise the GBA/APD.")
    return _("The Data Protection Authority (GBA/APD) supervises this cell.")


# --- The secrecy statement ----------------------------------------------------------------------


@dataclass(frozen=True)
class SecrecyStatement:
    version: str  # stored with each acknowledgement; a new version asks every member again
    paragraphs: tuple[str | Promise, ...]


_LEAVE_FREELY = _("I am free to decline, to withhold information or to leave the table at any time.")
_FLEMISH_STATEMENT = SecrecyStatement(
    version="2026-1",
    paragraphs=(
        _(
            "I know that everything shared at this table is covered by the secrecy of the table (art. "
            "458ter of the Criminal Code). I use it only for the purpose of the cell: preventing "
            "terrorist offences through individual, case-based follow-up."
        ),
        _(
            "I do not pass on what I learn here outside the cell, except where the law allows it. "
            "Information stays with whoever brought it and is used only with their agreement."
        ),
        _LEAVE_FREELY,
    ),
)
_FEDERAL_STATEMENT = SecrecyStatement(
    version="federal-2026-1",
    paragraphs=(
        _(
            "I know that everything shared at this table is covered by the secrecy of the table (art. "
            "458ter of the Criminal Code and the law of 30 July 2018). I use it only for the purpose that "
            "law gives the cell: preventing terrorist offences through individual, case-based follow-up."
        ),
        _(
            "I share only the personal data that this purpose needs, in the data categories of the "
            "cell's rules of procedure. I do not pass on what I learn here outside the cell, except where "
            "the law allows it. Information stays with whoever brought it and is used only with their "
            "agreement."
        ),
        _LEAVE_FREELY,
    ),
)


def secrecy_statement(cell: Cell) -> SecrecyStatement:
    if cell.legal_framework == LegalFramework.FLEMISH:
        return _FLEMISH_STATEMENT
    return _FEDERAL_STATEMENT
