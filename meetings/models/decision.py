"""Decisions taken at the table about one case, some of which need everyone's agreement.

Feedback to the Local Taskforce is valid only when every participant present for the item
agreed, and only the information officer passes it on (rule 12). Informing the subject is
valid only when every present participant agreed and the information officer did not object
(rule 13).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.crypto.fields import EncryptedTextField
from participants.models import Participant


class DecisionKind(models.TextChoices):
    FOLLOW_UP_PLAN = "follow_up_plan", _("Follow-up plan")
    CLOSE_CASE = "close_case", _("Close the case")
    EXTEND_RETENTION = "extend_retention", _("Extend retention")
    LTF_FEEDBACK = "ltf_feedback", _("Feedback to the Local Taskforce")
    INFORM_SUBJECT = "inform_subject", _("Inform the person")
    REVEAL_MINOR = "reveal_minor", _("Reveal a minor's identity")
    SHARE_WITH_PARTNER = "share_with_partner", _("Share information with a partner")


# Kinds that use information items beyond the table: the decision lists the items, and each
# item's owner consents (or not) to that use (cases.models.ItemUse, docs/rules.md rule 9).
ITEM_USE_KINDS = frozenset(
    {DecisionKind.LTF_FEEDBACK, DecisionKind.INFORM_SUBJECT, DecisionKind.SHARE_WITH_PARTNER}
)

# Kinds that need the agreement of every participant present for the item.
CONSENSUS_KINDS = frozenset({DecisionKind.LTF_FEEDBACK, DecisionKind.INFORM_SUBJECT})

# Kinds taken once per agenda item: a second follow-up plan, closing or request to reveal the
# minor's identity on the same item can only be the same decision sent twice. An extension may
# be taken again (the latest counts, retention/policy.py), and a consensus decision that was
# refused may be put to the table again; but only one round of agreement at a time.
ONCE_PER_ITEM_KINDS = (DecisionKind.FOLLOW_UP_PLAN, DecisionKind.CLOSE_CASE, DecisionKind.REVEAL_MINOR)


class DecisionStatus(models.TextChoices):
    AWAITING_AGREEMENT = "awaiting", _("Awaiting agreement")
    VALID = "valid", _("Valid")
    REFUSED = "refused", _("Refused")


class Decision(models.Model):
    cell_path = "item"  # row-level security: its agenda item's cell
    encryption_owner = "case__subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey("meetings.AgendaItem", on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    text = EncryptedTextField(_("content or motivation"), blank=True)
    extend_until = models.DateField(_("keep until"), null=True, blank=True)
    partner = models.CharField(
        _("partner"),
        max_length=200,
        blank=True,
        help_text=_("The organisation the information is shared with."),
    )  # for sharing with a partner only
    status = models.CharField(max_length=10, choices=DecisionStatus.choices)
    officer_objects = models.BooleanField(_("the information officer objects"), default=False)
    passed_on_at = models.DateTimeField(_("passed on to the Local Taskforce"), null=True, blank=True)
    passed_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind"],
                condition=models.Q(kind__in=ONCE_PER_ITEM_KINDS)
                | models.Q(status=DecisionStatus.AWAITING_AGREEMENT),
                name="one_decision_of_a_kind_per_item",
                violation_error_message=_("This decision has already been recorded for this item."),
            ),
        ]

    def __str__(self) -> str:
        return f"Decision {self.pk}"

    @property
    def needs_consensus(self) -> bool:
        return self.kind in CONSENSUS_KINDS


class Agreement(models.Model):
    """One present participant's agreement (or not) with a consensus decision."""

    cell_path = "decision"  # row-level security: its decision's cell

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="agreements")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField()
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [models.UniqueConstraint(fields=["decision", "participant"], name="one_agreement_each")]

    def __str__(self) -> str:
        return f"Agreement {self.pk}"
