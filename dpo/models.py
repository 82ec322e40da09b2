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

from livc.crypto.fields import EncryptedCharField, EncryptedDateField, EncryptedTextField
from livc.legal import SupervisoryAuthority


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


class AccessRequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")


class AccessOutcome(models.TextChoices):
    NO_DATA = "no_data", _("no data")
    FULL = "full", _("full access")
    RESTRICTED = "restricted", _("restricted access")


class AccessRequest(models.Model):
    """One line of the register of subject-access requests (GDPR art. 15; docs/rules.md, rule 17).

    Content-free on purpose: dates, the deadline, the status and the outcome. Who asked, how
    their identity was checked and what the cell holds about them are in `AccessRequestDetails`,
    which goes when the person's case (or referral) is purged; this line stays as the register's
    record that a request was answered, when, and how.
    """

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey("cells.Cell", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))  # one month after receipt (GDPR art. 12(3))
    extended_to = models.DateField(_("extended to"), null=True, blank=True)  # at most two more months
    status = models.CharField(
        _("status"), max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.OPEN
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=AccessOutcome.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("subject-access request")
        verbose_name_plural = _("subject-access requests")
        ordering = ["-received_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "number"], name="access_request_number_per_cell"),
            models.CheckConstraint(
                condition=Q(status=AccessRequestStatus.OPEN, outcome="", answered_on__isnull=True)
                | (Q(status=AccessRequestStatus.ANSWERED, answered_on__isnull=False) & ~Q(outcome="")),
                name="access_request_answered_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Access request {self.number}"

    @property
    def deadline(self) -> datetime.date:
        return self.extended_to or self.due_on


class RequesterLanguage(models.TextChoices):
    NL = "nl", "Nederlands"
    FR = "fr", "Français"
    DE = "de", "Deutsch"
    EN = "en", "English"


class AccessRequestDetails(models.Model):
    """Who asked and what the cell found: personal data, sealed with its own data key.

    Linked to the person the cell holds (`subject`, found by the keyed hash of name and birth
    date), it goes with them when the retention purge deletes their case or referral (the purge
    destroys its key first). A request that matched nobody keeps it only as long as the cell
    keeps a referral it did not retain, counted from the answer (`dpo.services`).
    """

    cell_path = "request"  # row-level security: its register line's cell
    encryption_owner = "pk"  # livc.crypto.datakeys: its own data key

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.OneToOneField(AccessRequest, on_delete=models.CASCADE, related_name="details")
    subject = models.ForeignKey(
        "cases.Subject", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    first_name = EncryptedCharField(_("first name"), max_length=100)
    last_name = EncryptedCharField(_("last name"), max_length=100)
    birth_date = EncryptedDateField(_("date of birth"))
    language = models.CharField(_("language of the answer"), max_length=2, choices=RequesterLanguage.choices)
    identity_check = EncryptedTextField(_("how the identity was checked"))
    postal_address = EncryptedTextField(_("address for the answer"), blank=True)
    extension_reason = EncryptedTextField(_("reason for the extension"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("subject-access request details")
        verbose_name_plural = _("subject-access request details")

    def __str__(self) -> str:
        return f"Access request details {self.pk}"


class ExceptionGround(models.TextChoices):
    """What may restrict the right of access (GDPR art. 23; the law of 30 July 2018)."""

    INVESTIGATION = "investigation", _("Secrecy of an investigation")
    THIRD_PARTY = "third_party", _("A third party's rights")
    PROFESSIONAL_SECRECY = "professional_secrecy", _("Professional secrecy")


class ExceptionQuestion(models.Model):
    """Whether an exception applies: asked of each item's owner (about that item) and of the
    information officer (about the whole case), with the answer and its reason."""

    cell_path = "details"  # row-level security: its request's cell
    encryption_owner = "details"  # livc.crypto.datakeys: sealed with the request's data key

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    details = models.ForeignKey(AccessRequestDetails, on_delete=models.CASCADE, related_name="questions")
    item = models.ForeignKey(
        "cases.InformationItem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )  # None: the information officer's question about the whole case
    asked = models.ForeignKey("cells.Membership", on_delete=models.PROTECT, related_name="+")
    applies = models.BooleanField(_("an exception applies"), null=True, blank=True)  # None: unanswered
    ground = models.CharField(_("ground"), max_length=24, choices=ExceptionGround.choices, blank=True)
    reason = EncryptedTextField(_("reason"), blank=True)
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("exception question")
        verbose_name_plural = _("exception questions")
        ordering = ["asked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["details", "item"],
                condition=Q(item__isnull=False),
                name="exception_question_per_item",
            ),
            models.UniqueConstraint(
                fields=["details"], condition=Q(item__isnull=True), name="exception_question_officer_once"
            ),
            models.CheckConstraint(
                condition=Q(applies__isnull=True, answered_at__isnull=True)
                | Q(applies=False, ground="", answered_at__isnull=False)
                | (Q(applies=True, answered_at__isnull=False) & ~Q(ground="")),
                name="exception_question_answer_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"Exception question {self.pk}"
