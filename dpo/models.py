"""The DPO's own records: per-cell thresholds of the unusual-access signals and the breach register."""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.crypto.fields import EncryptedTextField


class AuditSettings(models.Model):
    """Per-cell thresholds of the unusual-access signals; a cell without a row uses the defaults."""

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    cell = models.OneToOneField("cells.Cell", on_delete=models.PROTECT, related_name="+", primary_key=True)
    burst_objects = models.PositiveIntegerField(
        _("distinct objects"),
        default=20,
        help_text=_("Signal a user who opens more than this many different objects within the window."),
    )
    burst_minutes = models.PositiveIntegerField(_("window (minutes)"), default=10)
    office_hours_start = models.PositiveSmallIntegerField(_("office hours start (hour)"), default=7)
    office_hours_end = models.PositiveSmallIntegerField(_("office hours end (hour)"), default=19)
    weekends_are_off_hours = models.BooleanField(_("weekends count as outside office hours"), default=True)
    exports_per_day = models.PositiveIntegerField(
        _("exports and downloads per day"),
        default=10,
        help_text=_("Signal a user who exports or downloads more than this many times in one day."),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    # The thresholds the DPO sets (the form shows, the service writes and the log records these).
    THRESHOLD_FIELDS = (
        "burst_objects",
        "burst_minutes",
        "office_hours_start",
        "office_hours_end",
        "weekends_are_off_hours",
        "exports_per_day",
    )

    class Meta:
        verbose_name = _("audit settings")
        verbose_name_plural = _("audit settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(office_hours_start__lt=models.F("office_hours_end"), office_hours_end__lte=24),
                name="audit_settings_office_hours_in_order",
            ),
            models.CheckConstraint(condition=Q(burst_minutes__gte=1), name="audit_settings_window_positive"),
        ]

    def __str__(self) -> str:
        return f"Audit settings {self.pk}"


class SupervisoryAuthority(models.TextChoices):
    GBA_APD = "gba_apd", _("Data Protection Authority (GBA/APD)")
    VTC = "vtc", _("Flemish Supervisory Commission (Vlaamse Toezichtcommissie)")


class BreachStatus(models.TextChoices):
    REPORTED = "reported", _("reported, not yet assessed")
    RECORDED = "recorded", _("recorded by the data-protection officer")


class Breach(models.Model):
    """An incident in the cell's breach register (GDPR art. 33-34; docs/rules.md, rule 16).

    The authority must be informed within 72 hours of discovery, unless the breach is unlikely
    to result in a risk, which the register must then say and why. The free-text fields may
    describe people: they are encrypted, and never written to the audit log (only which fields
    changed).

    The DPO records an incident directly (status "recorded"), or any member of the cell reports
    a suspected one (status "reported", `reported_by` set, `discovered_at` the moment they
    noticed it): the 72 hours run from there. The DPO's first change marks it recorded.
    """

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey("cells.Cell", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    discovered_at = models.DateTimeField(_("discovered at"))
    description = EncryptedTextField(_("what happened"))
    data_concerned = EncryptedTextField(_("data concerned"), blank=True)  # unknown in a member's report
    cases_concerned = EncryptedTextField(_("cases concerned"), blank=True)
    measures = EncryptedTextField(_("measures taken"), blank=True)
    authority = models.CharField(
        _("supervisory authority"), max_length=16, choices=SupervisoryAuthority.choices, blank=True
    )
    authority_informed_at = models.DateTimeField(_("authority informed at"), null=True, blank=True)
    authority_not_informed_reason = EncryptedTextField(_("why the authority is not informed"), blank=True)
    subjects_informed_at = models.DateTimeField(_("people concerned informed at"), null=True, blank=True)
    subjects_not_informed_reason = EncryptedTextField(
        _("why the people concerned are not informed"), blank=True
    )
    occurred_at = models.DateTimeField(_("happened at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=BreachStatus.choices, default=BreachStatus.RECORDED
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The member who reported it (shown to the DPO only); empty when the DPO recorded it directly.
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("reported by"),
    )
    # The report form's one-time token: a second submit of the same form finds this entry.
    report_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    version = models.PositiveIntegerField(
        default=1, editable=False
    )  # every edit bumps it: one log entry each

    # What the DPO records and edits (the form shows these, the services write these).
    RECORDED_FIELDS = (
        "discovered_at",
        "occurred_at",
        "description",
        "data_concerned",
        "cases_concerned",
        "measures",
        "authority",
        "authority_informed_at",
        "authority_not_informed_reason",
        "subjects_informed_at",
        "subjects_not_informed_reason",
    )
    # GDPR art. 33: notify the supervisory authority within 72 hours of becoming aware.
    AUTHORITY_DEADLINE = datetime.timedelta(hours=72)
    # Some slack for clocks: a moment this little ahead of the server's is not "in the future".
    CLOCK_SLACK = datetime.timedelta(minutes=5)

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-discovered_at"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "number"], name="breach_number_per_cell"),
        ]

    def __str__(self) -> str:
        return f"Breach {self.number}"

    def get_additional_data(self) -> dict[str, Any] | None:
        """Which fields an edit changed (names only): the history without the content."""
        changed = getattr(self, "_changed_fields", None)
        return {"changed_fields": changed} if changed else None

    def clean(self) -> None:
        now = timezone.now() + self.CLOCK_SLACK
        errors: dict[str, Any] = {}
        if self.discovered_at and self.discovered_at > now:
            errors["discovered_at"] = _("The discovery cannot lie in the future.")
        if self.occurred_at and self.occurred_at > now:
            errors["occurred_at"] = _("This moment cannot lie in the future.")
        elif self.occurred_at and self.discovered_at and self.occurred_at > self.discovered_at:
            errors["occurred_at"] = _("It cannot have happened after it was noticed.")
        both = {
            "authority_not_informed_reason": _(
                "Give either when the authority was informed or why it is not, not both."
            ),
            "subjects_not_informed_reason": _(
                "Give either when the people concerned were informed or why they are not, not both."
            ),
        }
        for moment, reason in (
            ("authority_informed_at", "authority_not_informed_reason"),
            ("subjects_informed_at", "subjects_not_informed_reason"),
        ):
            value = getattr(self, moment)
            if value and getattr(self, reason).strip():
                errors[reason] = both[reason]
            if value and value > now:
                errors[moment] = _("This moment cannot lie in the future.")
            elif value and self.discovered_at and value < self.discovered_at:
                errors[moment] = _("This moment cannot lie before the discovery.")
        if self.authority_informed_at and not self.authority:
            errors["authority"] = _("Say which supervisory authority was informed.")
        if errors:
            raise ValidationError(errors)

    @property
    def authority_due_at(self) -> datetime.datetime:
        return self.discovered_at + self.AUTHORITY_DEADLINE

    def authority_overdue(self, now: datetime.datetime | None = None) -> bool:
        """The 72 hours have passed, the authority was not informed and no reason says why not."""
        if self.authority_informed_at or self.authority_not_informed_reason:
            return False
        return (now or timezone.now()) >= self.authority_due_at
