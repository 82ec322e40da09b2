"""Meetings of the cell: their agenda, who attended which item, and the minutes per item.

Operational meetings discuss cases; strategic meetings discuss policy and hold no case and
no person (docs/rules.md, rule 14). Minutes are written per agenda item, so that each participant
reads only the items of cases at whose table they sit (rule 8). Once finalised, minutes are
read-only: corrections are addenda, approved at a later meeting.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from livc.crypto.fields import EncryptedTextField
from meetings.document_numbers import MAX_LENGTH
from participants.models import Participant, RulesOfProcedure


class MeetingKind(models.TextChoices):
    OPERATIONAL = "operational", _("Operational table (case consultation)")
    STRATEGIC = "strategic", _("Strategic table (policy)")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    HELD = "held", _("Held, minutes being written")
    FINALISED = "finalised", _("Minutes finalised")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(
        _("title"), max_length=150, help_text=_("No names: the title is seen by everyone.")
    )
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=150, blank=True)
    rules = models.ForeignKey(
        RulesOfProcedure,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("rules of procedure"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # The calendar: the invitations' .ics files share one UID, so that an update or a
    # cancellation replaces the event in each calendar; each change after publishing raises
    # the sequence (RFC 5545).
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["cell", "-starts_at"], name="meeting_cell_start")]

    def __str__(self) -> str:
        return f"Meeting {self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.status == MeetingStatus.FINALISED


class ItemKind(models.TextChoices):
    CASE = "case", _("Case")
    TOPIC = "topic", _("Topic")
    ACTIONS_REVIEW = "actions_review", _("Review of open actions")


class AgendaItem(models.Model):
    """One point of the agenda, with its minutes.

    A case item keeps its place in finalised minutes after the case is purged: the case link
    is cleared, the minutes erased, and `removed_on` says when (docs/rules.md, rule 15).
    """

    cell_path = "meeting"  # row-level security: its meeting's cell
    erased_when = {"removed_on__isnull": False}  # the purge erases, not deletes (livc_audit_scrub)

    # livc.crypto.datakeys: the person's data key; an item about no case is sealed with the ring.
    encryption_owner = "case__subject"
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    topic = models.CharField(
        _("topic"), max_length=200, blank=True, help_text=_("No personal data in a topic.")
    )
    signals = EncryptedTextField(_("signals"), blank=True)
    assessment = EncryptedTextField(_("assessment"), blank=True)
    agreements = EncryptedTextField(_("agreements"), blank=True)
    version = models.PositiveIntegerField(default=0)  # optimistic lock for the minutes
    removed_on = models.DateField(null=True, blank=True)  # erased under the retention rule

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="case")
                | models.Q(case__isnull=False)
                | models.Q(removed_on__isnull=False),
                name="case_item_has_a_case",
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.pk}"

    @property
    def cell(self) -> Cell:
        return self.meeting.cell

    @property
    def has_minutes(self) -> bool:
        return bool(self.signals or self.assessment or self.agreements)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """Who came, for which items, and whether they acknowledged the secrecy at this meeting."""

    cell_path = "meeting"  # row-level security: its meeting's cell

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    items = models.ManyToManyField(
        AgendaItem, blank=True, related_name="attendees", verbose_name=_("present for")
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # A substitute attending in a fixed representative's place (`meetings.StandIn`).
    stands_in_for = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("stands in for"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="one_attendance_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"

    @property
    def cell(self) -> Cell:
        return self.meeting.cell


class Addendum(models.Model):
    """A correction to finalised minutes; it counts once a later meeting approved it."""

    cell_path = "item"  # row-level security: its agenda item's cell
    erased_when = {"item__removed_on__isnull": False}  # erased with its item (livc_audit_scrub)

    encryption_owner = "item__case__subject"  # livc.crypto.datakeys: sealed with the person's data key
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="addenda")
    text = EncryptedTextField(_("correction"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="approved_addenda"
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Addendum {self.pk}"


class MinutesDocument(models.Model):
    """The minutes PDF of one meeting for one recipient: only their items, their name and the
    copy's document number on every page. Made by a background task; stored encrypted (it
    holds case content)."""

    cell_path = "meeting"  # row-level security: its meeting's cell

    class Status(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    encryption_owner = "pk"  # livc.crypto.datakeys: its own data key: the purge destroys it with the document
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    content = EncryptedTextField(blank=True)  # base64 of the PDF
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    # Printed on every page of this copy next to the recipient's name; new at each making
    # (`meetings/document_numbers.py`). Each download's access entry holds it too, so the log
    # still traces a copy after this row is made again or removed by the retention purge.
    number = models.CharField(
        _("document number"), max_length=MAX_LENGTH, unique=True, null=True, blank=True, editable=False
    )
    # The cases this copy shows something of, fixed when it is made: each download's access entry
    # names them (a later change of who sits where does not change what the copy holds).
    case_ids = models.JSONField(_("cases shown"), default=list, blank=True, editable=False)

    class Meta:
        verbose_name = _("minutes PDF")
        verbose_name_plural = _("minutes PDFs")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "recipient"], name="one_document_per_recipient")
        ]

    def __str__(self) -> str:
        return f"Minutes document {self.pk}"

    @property
    def cell(self) -> Cell:
        return self.meeting.cell
