"""Follow-up actions: who does what by when; overdue ones come back to the table."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedTextField
from participants.models import Organisation, Participant


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    NOT_POSSIBLE = "not_possible", _("Not possible")
    NOT_UNDERTAKEN = "not_undertaken", _("Not undertaken")


# Closing an action in these states needs a reason.
NEEDS_REASON = frozenset({ActionStatus.NOT_POSSIBLE, ActionStatus.NOT_UNDERTAKEN})


class Action(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = "case__subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        "meetings.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = EncryptedTextField(_("what is to be done"))
    owner = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="actions", verbose_name=_("owner")
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        ordering = ["due_on", "created_at"]
        indexes = [models.Index(fields=["cell", "status", "due_on"], name="action_cell_status_due")]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()
