"""Cells (the tenants), the municipalities they cover and who holds which role in them.

Rule 1 (docs/rules.md): a cell needs a mayor, an information officer (the police chief's
representative) with a recorded clearance and expiry, and a coordinator. An information
officer whose clearance has expired holds no effective membership: the membership stays
on record but grants no access until the clearance is renewed.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from livc.legal import LegalFramework


class Municipality(models.Model):
    nis_code = models.CharField(
        _("NIS code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("A NIS code has five digits."))],
    )
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["nis_code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_nl="", name_fr="", name_de=""),
                name="municipality_has_a_name",
            )
        ]

    def __str__(self) -> str:
        return self.display_name()

    def clean(self) -> None:
        if not (self.name_nl or self.name_fr or self.name_de):
            raise ValidationError(_("Give the municipality's name in at least one language."))

    def display_name(self, language: str | None = None) -> str:
        """The name in the user's language, falling back to another official name."""
        language = (language or get_language() or "nl")[:2]
        preferred = {"nl": self.name_nl, "fr": self.name_fr, "de": self.name_de}.get(language)
        return preferred or self.name_nl or self.name_fr or self.name_de


class Cell(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=60,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens; used in every address of the cell."),
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="cells", verbose_name=_("municipalities")
    )
    legal_framework = models.CharField(
        _("legal framework"),
        max_length=16,
        choices=LegalFramework.choices,
        default=LegalFramework.FLEMISH,
        help_text=_(
            "A cell in Flanders works under the federal law and the Flemish decree; a cell in Brussels, "
            "Wallonia or the German-speaking Community under the federal law only (livc/legal.py)."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cell")
        verbose_name_plural = _("cells")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MAYOR = "mayor", _("Mayor")
    COORDINATOR = "coordinator", _("Coordinator")
    INFORMATION_OFFICER = "information_officer", _("Information officer")
    PARTICIPANT = "participant", _("Participant")
    DPO = "dpo", _("Data protection officer")


# Roles that see every case of their cell (docs/architecture.md, "Roles").
CELL_WIDE_CASE_ROLES = frozenset({Role.MAYOR, Role.COORDINATOR, Role.INFORMATION_OFFICER})
# The legal minimum without which a cell holds no meeting (docs/rules.md, rule 1).
MINIMUM_COMPOSITION = (Role.MAYOR, Role.COORDINATOR, Role.INFORMATION_OFFICER)
# Roles that may see the cell's list of members.
MEMBER_LIST_ROLES = frozenset({Role.MAYOR, Role.COORDINATOR})


class ClearanceLevel(models.TextChoices):
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")
    TOP_SECRET = "top_secret", _("Top secret")


# An information officer needs clearance "secret" or higher.
SUFFICIENT_CLEARANCE = frozenset({ClearanceLevel.SECRET, ClearanceLevel.TOP_SECRET})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def effective(self, on: datetime.date | None = None) -> "MembershipQuerySet":
        """Memberships that grant access today: active, user active, clearance valid if needed."""
        on = on or timezone.localdate()
        return self.filter(is_active=True, user__is_active=True).exclude(
            Q(role=Role.INFORMATION_OFFICER)
            & (
                Q(clearance_expires_on__isnull=True)
                | Q(clearance_expires_on__lt=on)
                | ~Q(clearance_level__in=SUFFICIENT_CLEARANCE)
            )
        )


class Membership(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    person_path = "user"  # and a person's own memberships, for the cell switcher
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    clearance_level = models.CharField(
        _("clearance level"), max_length=16, choices=ClearanceLevel.choices, blank=True
    )
    clearance_expires_on = models.DateField(_("clearance valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cell", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cell", "user"],
                name="one_membership_per_cell",
                violation_error_message=_("This person is already a member of the cell."),
            ),
        ]

    def __str__(self) -> str:
        return f"Membership {self.pk}"

    def clean(self) -> None:
        if self.role == Role.INFORMATION_OFFICER:
            errors = {}
            if self.clearance_level not in SUFFICIENT_CLEARANCE:
                errors["clearance_level"] = _(
                    "An information officer needs a clearance of level secret or higher."
                )
            if self.clearance_expires_on is None:
                errors["clearance_expires_on"] = _("Record until when the clearance is valid.")
            if errors:
                raise ValidationError(errors)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def require_role(self, *roles: str) -> None:
        """A write for some roles only: anyone else is refused (403; pages use
        `livc.cells.access.require_role`, which answers 404)."""
        if not self.has_role(*roles):
            raise PermissionDenied(_("Your role in this cell does not allow this."))

    @property
    def clearance_valid(self) -> bool:
        """Whether an information officer's clearance allows access today (others need none)."""
        if self.role != Role.INFORMATION_OFFICER:
            return True
        return (
            self.clearance_level in SUFFICIENT_CLEARANCE
            and self.clearance_expires_on is not None
            and self.clearance_expires_on >= timezone.localdate()
        )
