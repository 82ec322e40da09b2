"""The cell's statistics: anonymous events, counted when something happens (docs/rules.md, rule 18).

An event says what happened (a referral received, a case closed, a meeting held...), in which
cell, for which municipality when the cell covers several, and in which quarter. It holds no
reference, no date finer than the quarter, and no link to a case or a person: when the purge
deletes the cases, the events stay, and the yearly report can still be made. What an event may
carry beside its kind is a category from a closed list (`detail`: the referrer's organisation
type, the qualification's outcome, the meeting's table) and, for a closed case, its duration in
whole months.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell, Municipality


class StatKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("Referrals received")
    REFERRAL_QUALIFIED = "referral_qualified", _("Referrals qualified")
    CASE_OPENED = "case_opened", _("Cases opened")
    CASE_CLOSED = "case_closed", _("Cases closed")
    MINOR_INVOLVED = "minor_involved", _("Cases involving a minor")
    EXTENSION_DECIDED = "extension_decided", _("Extensions of retention decided")
    INFORMING_DECIDED = "informing_decided", _("Decisions to inform the person")
    LTF_FEEDBACK_GIVEN = "ltf_feedback_given", _("Feedback given to the Local Taskforce")
    MEETING_HELD = "meeting_held", _("Meetings held")


class StatEvent(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    # For a cell that covers several municipalities: the one the referral came from. None for
    # what belongs to the whole cell (its meetings), and for referrals made before it was asked.
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=StatKind.choices)
    # A category from a closed list, never free text: an organisation type for a referral
    # received, the outcome of a qualification, the table of a meeting held; else empty.
    detail = models.CharField(_("category"), max_length=32, blank=True)
    # A closed case's duration, in whole months since it was opened.
    months = models.PositiveSmallIntegerField(_("duration in months"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))

    class Meta:
        verbose_name = _("statistics event")
        verbose_name_plural = _("statistics events")
        indexes = [models.Index(fields=["cell", "year", "kind"], name="stat_cell_year_kind")]
        constraints = [
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="stat_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}Q{self.quarter}"
