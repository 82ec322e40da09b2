"""Who reads the cell's statistics: its mayor, its coordinator and its strategic table.

The strategic table is every member who sat at one of the cell's strategic meetings: they have
an attendance of their own there (a substitute who stood in for someone at one meeting does
not count; her access is for that meeting only). Meetings belong to the meetings app, which
`livc` does not import: it registers how to tell in its `AppConfig.ready()`
(`meetings/statistics.py`). Everyone else gets a 404, as for any page not meant for them.
"""

from collections.abc import Callable

from django.http import Http404

from livc.caching import remembered
from livc.cells.models import Membership, Role
from livc.http import CellRequest

READERS_BY_ROLE = frozenset({Role.MAYOR, Role.COORDINATOR})
# The roles that may sit at the strategic table (the DPO sits at no table).
AT_TABLE = frozenset({Role.INFORMATION_OFFICER, Role.PARTICIPANT})
# The menu remembers for so long whether a member sits at the strategic table (the page itself
# always asks): a member seated at a first strategic meeting sees the entry within minutes.
MENU_SECONDS = 300

StrategicTable = Callable[[Membership], bool]  # does the member sit at the cell's strategic table?

_tables: list[StrategicTable] = []


def register(table: StrategicTable) -> None:
    if table not in _tables:
        _tables.append(table)


def at_strategic_table(member: Membership) -> bool:
    return member.role in AT_TABLE and any(table(member) for table in _tables)


def may_read(member: Membership) -> bool:
    return member.role in READERS_BY_ROLE or at_strategic_table(member)


def require_reader(request: CellRequest) -> None:
    """The first line of every statistics view: a 404 for whoever may not read them."""
    if not may_read(request.membership):
        raise Http404("Not for this member.")


def menu_shows(request: CellRequest) -> bool:
    """Whether the menu leads to the statistics: asked on every page, so a participant's answer is
    kept a few minutes (figures and flags only in the cache: `livc/caching.py`)."""
    member = request.membership
    if member.role in READERS_BY_ROLE:
        return True
    if member.role not in AT_TABLE:
        return False
    key = f"statistics:reader:{member.cell_id}:{member.user_id}"
    return remembered(key, lambda: at_strategic_table(member), timeout=MENU_SECONDS)
