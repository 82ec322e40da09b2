"""Notifications: telling a member that something waits for them, in the app and by e-mail.

A notification carries no personal data: its kind says what happened, `reference` is at most a
case reference or a register number, and `path` is the link to the page where the member, once
logged in, sees the rest (docs/rules.md, rule 19). Each person chooses per kind how it reaches
them (`Preference`): in the app only, by e-mail at once, or in a daily digest. It always shows in
the app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell


class NotificationKind(models.TextChoices):
    URGENT_REFERRAL = "urgent_referral", _("An urgent referral waits for qualification")
    INVITATION_WAITING = "invitation_waiting", _("An invitation waits for your approval")
    AGENDA_PUBLISHED = (
        "agenda_published",
        _("A meeting you are invited to: its agenda, changes, cancellation"),
    )
    ACTION_DUE = "action_due", _("An action you own is due")
    LTF_FEEDBACK = "ltf_feedback", _("Feedback to pass on to the Local Taskforce")
    BREACH_DEADLINE = "breach_deadline", _("A data breach's notification deadline is near")
    REFERRAL_QUALIFIED = "referral_qualified", _("Your referral was qualified")


class Delivery(models.TextChoices):
    IN_APP = "in_app", _("In the app only")
    EMAIL = "email", _("By e-mail at once")
    DIGEST = "digest", _("In a daily e-mail digest")


class Notification(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    person_path = "user"  # and a person's own, across cells (the digest lists them all)
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    # A case reference, a register number or a date: never a name, a pseudonym or a text.
    reference = models.CharField(_("reference"), max_length=40, blank=True)
    path = models.CharField(_("link"), max_length=300)
    # The id of what it is about (a meeting, for the invitation's calendar file), for the app
    # that made it; never shown.
    target = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # How it was to reach the person, fixed when it was made; and when the e-mail went.
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)
    mailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "cell", "-created_at"], name="notification_user_cell"),
            models.Index(
                fields=["delivery", "created_at"],
                name="notification_digest_due",
                condition=models.Q(delivery="digest", mailed_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk}"


class Preference(models.Model):
    """How one kind of notification reaches one person; without a row, `DEFAULT_DELIVERY`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=NotificationKind.choices)
    delivery = models.CharField(_("delivery"), max_length=8, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"Preference {self.pk}"


DEFAULT_DELIVERY = Delivery.EMAIL
