"""The informing register: whether the subject was told they were discussed (rule 13).

The register is a history; its latest entry is the state of informing for the case:

- no entry: nothing decided, the person is not informed;
- `decided`: a valid table decision to inform the person (every participant present agreed and
  the information officer did not object), written only when that decision becomes valid; the
  person is still to be informed;
- `informed`: the person who informed them records when and what was said, only after a
  `decided` entry and on a day between the decision and today;
- `deferred`: not now, with a reason and a review date (the coordinator or the officer, or the
  table's refusal of a decision to inform); a decision still to be carried out lapses.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell, Role
from livc.crypto.fields import EncryptedTextField

# Who keeps the register: who records that they informed the person, and who defers.
INFORMING_KEEPERS = (Role.COORDINATOR, Role.INFORMATION_OFFICER)


class InformingKind(models.TextChoices):
    DECIDED = "decided", _("To be informed")
    INFORMED = "informed", _("Informed")
    DEFERRED = "deferred", _("Deferred")


# What may follow the latest entry (None: an empty register). Only `decided` opens the way to
# `informed`; a deferral or a refused decision may come at any time.
INFORMING_NEXT: dict[str | None, frozenset[str]] = {
    None: frozenset({InformingKind.DECIDED, InformingKind.DEFERRED}),
    InformingKind.DECIDED: frozenset({InformingKind.DECIDED, InformingKind.INFORMED, InformingKind.DEFERRED}),
    InformingKind.INFORMED: frozenset({InformingKind.DECIDED, InformingKind.DEFERRED}),
    InformingKind.DEFERRED: frozenset({InformingKind.DECIDED, InformingKind.DEFERRED}),
}


class InformingEntry(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = "case__subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="informing_entries")
    kind = models.CharField(_("outcome"), max_length=10, choices=InformingKind.choices)
    # The meetings app's decision to inform (an id, not a key: `cases` does not depend on `meetings`).
    decision_id = models.UUIDField(_("decision to inform"), null=True, blank=True, editable=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    informed_on = models.DateField(_("informed on"), null=True, blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("informed by"),
    )  # fmt: skip
    message = EncryptedTextField(_("what was said"), blank=True)
    deferral_reason = EncryptedTextField(_("reason for deferring"), blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("informing register entry")
        verbose_name_plural = _("informing register entries")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="decided")
                | models.Q(decision_id__isnull=False, decided_on__isnull=False),
                name="informing_decided_names_its_decision",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="informed")
                | models.Q(informed_on__isnull=False, informed_by__isnull=False),
                name="informing_informed_says_when_and_who",
            ),
            # One decision opens the register once and is carried out once.
            models.UniqueConstraint(
                fields=["decision_id", "kind"],
                condition=models.Q(kind__in=["decided", "informed"]),
                name="informing_once_per_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"Informing entry {self.pk}"
