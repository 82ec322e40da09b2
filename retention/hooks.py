"""What retention adds to pages it does not own: a panel on every case page, a notice for
the coordinator (registered in `RetentionConfig.ready`).

Both are on every page, so neither reads much: the notice's figures (how many cases and
referrals the purge removes within the warning period) are kept in the cache per cell and day
(`livc/cells/notices.py::figures_for_day`), and so are the warning period and a case's valid
retention decisions (their dates only) that the panel needs.
Whatever moves a retention clock calls `figures_changed` so that the next page counts afresh:
a meeting's minutes finalised (a new last discussion), a decision to extend retention, a
referral not retained or redirected, the cell's retention settings, a purge.
"""

import datetime
from dataclasses import astuple

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from cases.panels import CasePanel
from livc.cells.models import Cell, Role
from livc.cells.notices import Notice, figures_for_day
from livc.http import CellRequest, once_per_request
from retention import selectors
from retention.policy import Extension

UPCOMING = "retention.upcoming"
WARNING_DAYS = "retention.warning_days"
EXTENSIONS = "retention.extensions"


def warning_days(cell_id: int) -> int:
    """The cell's warning period, from the cache while no setting changes."""
    days: tuple[int] = figures_for_day(
        cell_id, WARNING_DAYS, lambda: (selectors.warning_days_get(cell_id=cell_id),)
    )
    return days[0]


def upcoming_figures(cell: Cell) -> selectors.UpcomingFigures:
    """`selectors.upcoming_figures_get`, from the cache while no clock of the cell moves."""
    figures = figures_for_day(cell.pk, UPCOMING, lambda: selectors.upcoming_figures_get(cell=cell).as_tuple())
    return selectors.UpcomingFigures(*figures)


def case_extensions(case: Case) -> list[Extension]:
    """The case's valid retention decisions (`selectors.extensions_by_case`), from the cache while
    no clock of the cell moves: dates only."""
    rows = figures_for_day(
        case.cell_id,
        f"{EXTENSIONS}.{case.pk}",
        lambda: tuple(astuple(e) for e in selectors.extensions_by_case([case.pk]).get(case.pk, [])),
    )
    return [Extension(*row) for row in rows]


def retention_panel(case: Case) -> CasePanel:
    """The date the case's data is kept until, and why; a warning once it is near."""
    retention = selectors.retention_of_case(
        opened_at=case.opened_at, last_discussed_on=case.last_discussed_on, extensions=case_extensions(case)
    )
    soon = retention.keep_until < timezone.localdate() + datetime.timedelta(days=warning_days(case.cell_id))
    line = _("Personal data kept until %(date)s (%(basis)s).") % {
        "date": date_format(retention.keep_until),
        "basis": retention.explanation,
    }
    lines: list[str | Promise] = [line]
    if soon:
        lines.append(_("It will be purged the day after, unless the cell decides to extend retention."))
    return CasePanel(title=_("Retention"), lines=lines, level="warning" if soon else "info")


@once_per_request
def request_upcoming(request: CellRequest) -> selectors.UpcomingFigures:
    """`upcoming_figures` for the request's cell, once per request: the notice and the home's
    waiting list both need it."""
    return upcoming_figures(request.cell)


def purge_sentences(upcoming: selectors.UpcomingFigures) -> list[tuple[int, str]]:
    """(count, sentence) for the cases, then the referrals, the purge removes within the warning
    period; the same words for the notice and the waiting list."""
    by = date_format(upcoming.until)
    sentences = []
    if upcoming.cases:
        count = upcoming.cases
        text = ngettext(
            "%(count)d case will be purged under the retention rule by %(date)s.",
            "%(count)d cases will be purged under the retention rule by %(date)s.",
            count,
        )
        sentences.append((count, text % {"count": count, "date": by}))
    if upcoming.referrals:
        count = upcoming.referrals
        text = ngettext(
            "%(count)d referral that was not retained will be purged by %(date)s.",
            "%(count)d referrals that were not retained will be purged by %(date)s.",
            count,
        )
        sentences.append((count, text % {"count": count, "date": by}))
    return sentences


def upcoming_purges(request: CellRequest) -> Notice | None:
    """The coordinator's warning: what the purge removes within the cell's warning period."""
    if request.membership.role != Role.COORDINATOR:
        return None
    upcoming = request_upcoming(request)
    if not upcoming.count:
        return None
    return Notice(
        text=" ".join(sentence for _count, sentence in purge_sentences(upcoming)),
        link_url=reverse("retention:upcoming", kwargs={"cell_slug": request.cell.slug}),
        link_text=_("See which"),
    )
