"""What retention adds to pages it does not own: a panel on every case page, a notice for
the coordinator (registered in `RetentionConfig.ready`)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case
from cases.panels import CasePanel
from livc.cells.models import Role
from livc.cells.notices import Notice
from livc.http import CellRequest
from retention import selectors


def retention_panel(case: Case) -> CasePanel:
    """The date the case's data is kept until, and why; a warning once it is near."""
    retention = selectors.case_retention_get(case=case)
    warning_days = selectors.settings_get(cell=case.cell).warning_days
    soon = retention.keep_until < timezone.localdate() + datetime.timedelta(days=warning_days)
    line = _("Personal data kept until %(date)s (%(basis)s).") % {
        "date": date_format(retention.keep_until),
        "basis": retention.explanation,
    }
    lines: list[str | Promise] = [line]
    if soon:
        lines.append(_("It will be purged the day after, unless the cell decides to extend retention."))
    return CasePanel(title=_("Retention"), lines=lines, level="warning" if soon else "info")


def request_upcoming(request: CellRequest) -> selectors.Upcoming:
    """`selectors.upcoming_get` for the request's cell, computed once per request: the notice and
    the home's waiting list both need it."""
    if not hasattr(request, "_livc_upcoming"):
        request._livc_upcoming = selectors.upcoming_get(cell=request.cell)  # type: ignore[attr-defined]
    return request._livc_upcoming  # type: ignore[attr-defined]


def purge_sentences(upcoming: selectors.Upcoming) -> list[tuple[int, str]]:
    """(count, sentence) for the cases, then the referrals, the purge removes within the warning
    period; the same words for the notice and the waiting list."""
    by = date_format(upcoming.until)
    sentences = []
    if upcoming.cases:
        count = len(upcoming.cases)
        text = ngettext(
            "%(count)d case will be purged under the retention rule by %(date)s.",
            "%(count)d cases will be purged under the retention rule by %(date)s.",
            count,
        )
        sentences.append((count, text % {"count": count, "date": by}))
    if upcoming.referrals:
        count = len(upcoming.referrals)
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
