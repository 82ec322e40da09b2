"""A substitute who stands in for a fixed representative at one meeting.

The coordinator, or the representative herself, names the representative's recorded substitute
(`Participant.substitute`) for one meeting. Until the meeting's minutes are finalised (or the
naming is withdrawn, or the meeting cancelled) the substitute sees what the representative may
see of that meeting's cases, attends in her place and acknowledges the secrecy herself.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Participant


class StandIn(models.Model):
    cell_path = "meeting"  # row-level security: its meeting's cell
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="stand_ins")
    representative = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="+", verbose_name=_("fixed representative")
    )
    substitute = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="stand_ins", verbose_name=_("substitute")
    )
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(default=timezone.now)
    # When the substitute's access for this meeting ended: minutes finalised, naming withdrawn,
    # meeting cancelled. An ended stand-in stays on record.
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("stand-in")
        verbose_name_plural = _("stand-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "representative"],
                condition=Q(ended_at=None),
                name="one_stand_in_per_representative",
                violation_error_message=_("A substitute already stands in for this representative."),
            ),
            models.CheckConstraint(
                condition=~Q(substitute=F("representative")), name="stand_in_is_someone_else"
            ),
        ]

    def __str__(self) -> str:
        return f"Stand-in {self.pk}"
