"""What waits in the retention app for the coordinator: what the purge removes within the
cell's warning period, in the words of the coordinator's notice (`retention/hooks.py`).

Registered when imported (`RetentionConfig.ready`); see `livc/cells/waiting.py`.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from livc.cells import waiting
from livc.cells.models import Role
from livc.cells.waiting import WaitingItem
from livc.http import CellRequest
from participants.selectors import request_has_acknowledged
from retention.hooks import purge_sentences, request_upcoming

PURGES = "retention.purges"


def upcoming_purges(request: CellRequest) -> list[WaitingItem]:
    if request.membership.role != Role.COORDINATOR or not request_has_acknowledged(request):
        return []
    url = reverse("retention:upcoming", kwargs={"cell_slug": request.cell.slug})
    return [
        WaitingItem(sentence, count, url, _("See which"), level="warning")
        for count, sentence in purge_sentences(request_upcoming(request))
    ]


waiting.register(PURGES, upcoming_purges, position=60)
SOURCES = (PURGES,)  # the names this module registers
