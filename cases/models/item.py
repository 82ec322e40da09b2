"""Information items: what one participant brings to the table. It stays theirs (rule 9)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedTextField
from livc.legal import category_name
from participants.models import Organisation, Participant


class InformationItem(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = "pk"  # livc.crypto.datakeys: its own data key: withdrawing the item destroys it
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="items")
    owner = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="items")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    shared_on = models.DateField(_("shared on"))
    # The category's key: one of the decree's (livc/legal.py::DataCategory) or one the cell's rules of
    # procedure define, whose name and specialness the item keeps as they were when it was shared.
    category = models.CharField(_("data category"), max_length=64)
    category_name = models.CharField(_("data category's name"), max_length=150, blank=True)
    category_special = models.BooleanField(_("special category of personal data"), default=False)
    text = EncryptedTextField(_("information"))
    justification = EncryptedTextField(
        _("why this is necessary"),
        blank=True,
        help_text=_("Required for “other data”: say why the purpose of the table needs it."),
    )
    consent = models.BooleanField(
        _("may be used at the table"),
        default=True,
        help_text=_(
            "Without this, only you see the item: information is used only with its owner's agreement."
        ),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("information item")
        verbose_name_plural = _("information items")
        ordering = ["shared_on", "created_at"]
        indexes = [models.Index(fields=["case", "withdrawn_at"], name="item_case_withdrawn")]

    def __str__(self) -> str:
        return f"Information item {self.pk}"

    @property
    def is_special(self) -> bool:
        return self.category_special

    @property
    def category_label(self) -> str:
        return str(category_name(self.category, self.category_name))
