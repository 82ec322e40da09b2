from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from livc.cells.models import Membership


def require_role(member: Membership, *roles: str) -> None:
    if member.role not in roles:
        raise PermissionDenied(_("Your role in this cell does not allow this."))
