"""Agenda proposals: a member asks for a case she sits at, or a policy topic, to be put on the
next meeting's agenda, with a short reason; the coordinator accepts or declines it with a message.

The reason of a proposal about a case is sealed with the person's data key and goes with the case;
a topic's with the key ring.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedTextField


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the coordinator")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgendaProposal(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = "case__subject"  # livc.crypto.datakeys: a case's with the person's key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="proposals",
        verbose_name=_("case"),
    )  # fmt: skip
    topic = models.CharField(
        _("topic"), max_length=200, blank=True, help_text=_("No names: the topic is seen by everyone.")
    )
    reason = EncryptedTextField(_("reason"), max_length=1000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    message = EncryptedTextField(_("message to the proposer"), max_length=1000, blank=True)
    # The meeting whose agenda took it, once accepted.
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )

    class Meta:
        verbose_name = _("agenda proposal")
        verbose_name_plural = _("agenda proposals")
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(topic="")) | (Q(case__isnull=True) & ~Q(topic="")),
                name="proposal_case_or_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda proposal {self.pk}"
