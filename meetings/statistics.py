"""What the meetings app tells the statistics (`livc/statistics/access.py`): who sits at the
cell's strategic table, which reads the statistics with the mayor and the coordinator."""

from livc.cells.models import Membership
from meetings.models import Attendance, MeetingKind


def at_strategic_table(member: Membership) -> bool:
    """Whether the member attended one of the cell's strategic meetings in her own name (present,
    excused or absent: she is on its list); standing in for someone at one meeting does not count."""
    return Attendance.objects.filter(
        meeting__cell_id=member.cell_id,
        meeting__kind=MeetingKind.STRATEGIC,
        participant__membership=member,
        stands_in_for__isnull=True,
    ).exists()
