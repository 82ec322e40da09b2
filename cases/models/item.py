"""Information items: what one participant brings to the table. It stays theirs (rule 9)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedTextField
from participants.models import Organisation, Participant


class DataCategory(models.TextChoices):
    """The 14 categories of personal data of the Flemish LIVC-R decree, art. 9."""

    IDENTIFICATION = "identification", _("Identification and contact details")
    PROFESSION = "profession", _("Profession and education")
    PERSONAL = "personal", _("Age, sex, nationality, civil and residence status")
    FINANCES = "finances", _("Debts and solvency")
    LIFESTYLE = "lifestyle", _("Lifestyle, leisure and social context")
    FAMILY = "family", _("Family composition")
    HOUSING = "housing", _("Housing")
    POLICE_JUDICIAL = "police_judicial", _("Police and judicial data")
    HEALTH = "health", _("Health")
    RISK = "risk", _("Risk situations and risk behaviour")
    ORIGIN = "origin", _("Origin")
    BELIEFS = "beliefs", _("Political, religious or philosophical beliefs")
    BEHAVIOUR = "behaviour", _("Behaviour")
    OTHER = "other", _("Other data necessary for the purpose")


# Special categories of personal data (GDPR art. 9 and 10): marked wherever they appear.
SPECIAL_CATEGORIES = frozenset(
    {DataCategory.HEALTH, DataCategory.BELIEFS, DataCategory.ORIGIN, DataCategory.POLICE_JUDICIAL}
)


class InformationItem(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    encryption_owner = "pk"  # livc.crypto.datakeys: its own data key: withdrawing the item destroys it
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="items")
    owner = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="items")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    shared_on = models.DateField(_("shared on"))
    category = models.CharField(_("data category"), max_length=20, choices=DataCategory.choices)
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
        return self.category in SPECIAL_CATEGORIES
