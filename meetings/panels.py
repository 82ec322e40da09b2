"""What the meetings app adds to every case page (`cases/panels.py`, registered in
`MeetingsConfig.ready`): the way to propose the case for a meeting's agenda."""

from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseStatus
from cases.panels import CasePanel


def agenda_panel(case: Case) -> CasePanel | None:
    """Everyone who sees an open case may propose it for a meeting's agenda; the coordinator decides."""
    if case.status == CaseStatus.CLOSED:
        return None
    return CasePanel(
        title=_("Meeting agenda"),
        lines=[
            _("Should the table discuss this case? Propose it, with a short reason; the coordinator decides.")
        ],
        link_name="meetings:propose_case",
        link_text=_("Propose it for a meeting's agenda"),
    )
