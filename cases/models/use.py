"""Where an information item went beyond the table's discussion, and its owner's consent to each
use (docs/rules.md, rule 9).

An item stays its owner's: passing it to the Local Taskforce, using it to inform the person, or
sharing it with a partner is a use that a decision names, that the owner consents to (or not)
for that use alone, and that someone carries out only once consent is given. The ledger holds
no text: which item, which use, who asked, the owner's answer and when, who carried it out.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UseKind(models.TextChoices):
    LTF_FEEDBACK = "ltf_feedback", _("Passed to the Local Taskforce")
    INFORMING = "informing", _("Used in informing the person")
    PARTNER = "partner", _("Shared with a partner")


class UseConsent(models.TextChoices):
    ASKED = "asked", _("Consent asked")
    GIVEN = "given", _("Consent given")
    REFUSED = "refused", _("Consent refused")


class ItemUse(models.Model):
    cell_path = "item"  # row-level security: its item's cell
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey("cases.InformationItem", on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(_("use"), max_length=16, choices=UseKind.choices)
    # The meetings app's decision that names this use (an id, not a key: `cases` does not depend
    # on `meetings`); it goes with the case like the item.
    decision_id = models.UUIDField(_("decision"), editable=False)
    partner = models.CharField(_("partner"), max_length=200, blank=True)  # for a partner use only
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    consent = models.CharField(
        _("owner's consent"), max_length=8, choices=UseConsent.choices, default=UseConsent.ASKED
    )
    consent_at = models.DateTimeField(_("answered"), null=True, blank=True)
    carried_out_at = models.DateTimeField(_("carried out"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("carried out by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("use of an information item")
        verbose_name_plural = _("uses of information items")
        ordering = ["asked_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "decision_id"], name="item_use_once_per_decision"),
            # The database's own guard of rule 9: nothing is carried out without the owner's yes.
            models.CheckConstraint(
                condition=Q(carried_out_at__isnull=True) | Q(consent=UseConsent.GIVEN),
                name="item_use_carried_out_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(consent=UseConsent.ASKED) | Q(consent_at__isnull=False),
                name="item_use_answer_dated",
            ),
            models.CheckConstraint(
                condition=~Q(kind=UseKind.PARTNER) | ~Q(partner=""), name="item_use_partner_named"
            ),
        ]
        indexes = [models.Index(fields=["decision_id"], name="item_use_decision")]

    def __str__(self) -> str:
        return f"Item use {self.pk}"
