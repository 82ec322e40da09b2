"""How the meetings app answers events of the apps below it (which do not know about meetings):
a substitute standing in at a meeting keeps her access in step with the seats, and loses it when
her access, or the representative's, ends (`meetings/services/stand_ins.py`)."""

from typing import Any

from cases.models import Case
from cases.services.seats import on_seating_changed
from livc.audit.events import register_kind
from meetings.services.stand_ins import EVENT_KINDS, stand_ins_end_for, stand_ins_seating_changed
from participants.models import Participant
from participants.signals import participant_revoked


def seating_changed(case: Case, participant: Participant) -> None:
    stand_ins_seating_changed(case=case, participant=participant)


def end_stand_ins_of_revoked(sender: Any, participant: Participant, **kwargs: Any) -> None:
    stand_ins_end_for(participant=participant)


def connect() -> None:
    """Called once from `MeetingsConfig.ready`."""
    for code, label in EVENT_KINDS.items():
        register_kind(code, label)
    on_seating_changed(seating_changed)
    participant_revoked.connect(end_stand_ins_of_revoked, dispatch_uid="meetings.end_stand_ins_of_revoked")
