"""The retention clock (docs/rules.md, rule 15): until when the personal data of a case or a referral
may be kept, and why. Pure functions of dates: no database, no clock.

A case's data is kept until one year after the last meeting that discussed it (after the day
it was opened, if it was never discussed). A valid decision of the cell to extend retention
(`Decision(kind="extend_retention")`) sets another date; the latest such decision wins, so a
later decision may shorten an earlier extension. A decision taken before the case's last
discussion still stands when it reaches further than the one-year clock, but the new
discussion restarts that clock when the decision reaches less far. No date goes beyond five
years after the last discussion (a meeting that recorded a decision about the case discussed
it): a decision asking for more is capped, and the basis says so.

A referral that was not retained, or was redirected to regular care, is kept a short period
(a per-cell number of days) after its qualification. A referral awaiting qualification has no
date: it is never purged before someone has looked at it. A retained referral goes with its case.

"Kept until D" means the data may exist on day D and must be gone the day after: the purge
removes whatever has `keep_until < today`.

These periods are the same for every cell, whatever law it works under; where they come from (the
Flemish decree, or the federal law's purpose limitation) is livc/legal.py's to say.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

ONE_YEAR = 1
# The ceiling of an extension, counted from the last discussion: the Flemish decree's for a Flemish
# cell, the platform's limit of what the purpose needs (GDPR art. 5) for a cell under federal law
# alone; the same number either way (livc/legal.py, `references(cell).retention`).
MAX_YEARS = 5


class Basis(models.TextChoices):
    ONE_YEAR = "one_year", _("one year after the last discussion")
    NEVER_DISCUSSED = "never_discussed", _("one year after opening, never discussed")
    DECISION = "decision", _("decision of the cell")
    CEILING = "ceiling", _("five-year maximum")
    NOT_RETAINED = "not_retained", _("referral not retained")
    REDIRECTED = "redirected", _("referral redirected")


# Bases under which a case is kept longer (or shorter) than the plain one-year clock.
EXTENSION_BASES = frozenset({Basis.DECISION, Basis.CEILING})


@dataclass(frozen=True)
class Extension:
    """A valid decision to extend (or shorten) retention: what it asked and when it was taken."""

    until: datetime.date
    decided_on: datetime.date  # the date of the meeting that took it
    decided_at: datetime.datetime | None = None  # orders decisions of the same day


@dataclass(frozen=True)
class Retention:
    keep_until: datetime.date
    basis: Basis
    since: datetime.date  # the date the clock runs from (discussion, opening, qualification)
    decided_on: datetime.date | None = None  # the decision in force, if any
    asked_until: datetime.date | None = None  # what a capped decision asked for
    days: int | None = None  # a referral's short period

    def expired(self, today: datetime.date) -> bool:
        return self.keep_until < today

    @property
    def basis_label(self) -> str:
        return str(Basis(self.basis).label)

    @property
    def is_extension(self) -> bool:
        return self.basis in EXTENSION_BASES

    @property
    def explanation(self) -> str:
        """The basis in words, with its dates, in the active language."""
        texts = {
            Basis.ONE_YEAR: gettext("one year after the last discussion, on %(since)s"),
            Basis.NEVER_DISCUSSED: gettext(
                "one year after the case was opened on %(since)s; never discussed"
            ),
            Basis.DECISION: gettext("decision of the meeting of %(decided)s"),
            Basis.CEILING: gettext(
                "the decision of %(decided)s asked for %(asked)s; capped at five years after the "
                "last discussion (%(since)s), the legal maximum"
            ),
            Basis.NOT_RETAINED: ngettext(
                "%(days)s day after the referral was not retained on %(since)s",
                "%(days)s days after the referral was not retained on %(since)s",
                self.days or 0,
            ),
            Basis.REDIRECTED: ngettext(
                "%(days)s day after the referral was redirected on %(since)s",
                "%(days)s days after the referral was redirected on %(since)s",
                self.days or 0,
            ),
        }
        return texts[self.basis] % {
            "since": _long(self.since),
            "decided": _long(self.decided_on),
            "asked": _long(self.asked_until),
            "days": self.days,
        }


def _decision_order(extension: Extension) -> tuple[datetime.date, datetime.datetime]:
    return extension.decided_on, extension.decided_at or datetime.datetime.min


def _long(day: datetime.date | None) -> str:
    return date_format(day) if day else ""


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def case_retention(
    *,
    opened_on: datetime.date,
    last_discussed_on: datetime.date | None,
    extensions: Iterable[Extension] = (),
) -> Retention:
    """Until when a case's personal data may be kept, and on what basis."""
    since = last_discussed_on or opened_on
    basis = Basis.ONE_YEAR if last_discussed_on else Basis.NEVER_DISCUSSED
    clock = Retention(keep_until=add_years(since, ONE_YEAR), basis=basis, since=since)
    latest = max(extensions, key=_decision_order, default=None)
    if latest is None:
        return clock
    if latest.decided_on < since and latest.until <= clock.keep_until:
        return clock  # discussed again since the decision: the one-year clock reaches further
    discussed = max(since, latest.decided_on)
    ceiling = add_years(discussed, MAX_YEARS)
    if latest.until > ceiling:
        return Retention(
            keep_until=ceiling,
            basis=Basis.CEILING,
            since=discussed,
            decided_on=latest.decided_on,
            asked_until=latest.until,
        )
    return Retention(keep_until=latest.until, basis=Basis.DECISION, since=since, decided_on=latest.decided_on)


def referral_retention(
    *, status: str, qualified_on: datetime.date | None, keep_days: int
) -> Retention | None:
    """A not-retained or redirected referral is kept `keep_days` after qualification; any other
    referral has no date of its own (awaiting qualification, or gone with its case)."""
    bases = {"not_retained": Basis.NOT_RETAINED, "redirected": Basis.REDIRECTED}
    if status not in bases or qualified_on is None:
        return None
    return Retention(
        keep_until=qualified_on + datetime.timedelta(days=keep_days),
        basis=bases[status],
        since=qualified_on,
        days=keep_days,
    )
