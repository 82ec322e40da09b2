"""Per-cell retention settings and the purge records the DPO relies on.

A purge record proves that something was purged without saying about whom: the cell, the
case reference (a referral that never became a case has none), the basis and the date it was
due, when it went and how many rows of each kind went with it. Nothing personal.
"""

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell
from retention.policy import Basis

# A not-retained referral is kept "only briefly" (docs/rules.md, rule 7): half a year at most.
MAX_NOT_RETAINED_DAYS = 180
MAX_WARNING_DAYS = 90


def _default_not_retained_days() -> int:
    return int(settings.LIVC_RETENTION_NOT_RETAINED_DAYS)


def _default_warning_days() -> int:
    return int(settings.LIVC_RETENTION_WARNING_DAYS)


class RetentionSettings(models.Model):
    """A cell's own retention periods; a cell without a row uses the deployment's defaults."""

    cell_path = "cell"  # row-level security (livc/database/policies.py)

    cell = models.OneToOneField(Cell, on_delete=models.PROTECT, primary_key=True, related_name="+")
    not_retained_days = models.PositiveSmallIntegerField(
        _("keep a not-retained referral (days)"),
        default=_default_not_retained_days,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NOT_RETAINED_DAYS)],
        help_text=_("Also for a referral redirected to regular care. Counted from its qualification."),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("warn about purges (days ahead)"),
        default=_default_warning_days,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WARNING_DAYS)],
        help_text=_("The coordinator sees, and receives every week, what will be purged within this period."),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")

    def __str__(self) -> str:
        return f"Retention settings {self.pk}"


class PurgeKind(models.TextChoices):
    CASE = "case", _("Case")
    REFERRAL = "referral", _("Referral not retained or redirected")


class PurgeRecord(models.Model):
    cell_path = "cell"  # row-level security (livc/database/policies.py)
    cell = models.ForeignKey(Cell, on_delete=models.PROTECT, related_name="+", verbose_name=_("cell"))
    kind = models.CharField(_("what"), max_length=10, choices=PurgeKind.choices)
    reference = models.CharField(_("case reference"), max_length=12, blank=True)
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    keep_until = models.DateField(_("kept until"))
    extension_from = models.DateField(_("extension decided on"), null=True, blank=True)
    purged_at = models.DateTimeField(_("purged at"), db_index=True)
    counts = models.JSONField(_("rows removed"), default=dict)  # model label -> number; no content

    class Meta:
        verbose_name = _("purge record")
        verbose_name_plural = _("purge records")
        ordering = ["-purged_at", "-id"]
        indexes = [models.Index(fields=["cell", "-purged_at"], name="purge_cell_time")]

    def __str__(self) -> str:
        return f"Purge record {self.pk}"

    def summary(self) -> list[str]:
        """What went, in words: "1 case", "3 seats", ..., "2 agenda items erased", "14 audit entries
        scrubbed"."""
        counts: dict[str, Any] = self.counts or {}
        lines = [_counted(label, number) for label, number in counts.get("deleted", {}).items()]
        lines += [
            str(_("%(rows)s erased")) % {"rows": _counted(label, number)}
            for label, number in counts.get("erased", {}).items()
            if number
        ]
        keys = int(counts.get("data_keys_destroyed", 0))
        if keys:
            lines.append(
                ngettext(
                    "%(count)d data key destroyed: what it sealed is unreadable in every backup too",
                    "%(count)d data keys destroyed: what they sealed is unreadable in every backup too",
                    keys,
                )
                % {"count": keys}
            )
        scrubbed = int(counts.get("audit_entries_scrubbed", 0))
        lines.append(
            ngettext("%(count)d audit entry scrubbed", "%(count)d audit entries scrubbed", scrubbed)
            % {"count": scrubbed}
        )
        return lines


# Names for rows whose model's own name says little to a DPO.
_NAMES = {
    "cases.CaseUserObjectPermission": (_("access grant"), _("access grants")),
    "cases.CaseGroupObjectPermission": (_("group access grant"), _("group access grants")),
}


def _takes_singular(number: int) -> bool:
    """The active language's plural rule: French counts 0 and 1 in the singular, Dutch and English 1."""
    return number in (0, 1) if (get_language() or "").startswith("fr") else number == 1


def _counted(label: str, number: int) -> str:
    """ "3 seats" from ("cases.Seat", 3); the label itself if the model is unknown."""
    if label in _NAMES:
        singular, plural = _NAMES[label]
        return f"{number} {singular if _takes_singular(number) else plural}"
    try:
        options = apps.get_model(label)._meta
    except (LookupError, ValueError):
        return f"{number} {label}"
    return f"{number} {options.verbose_name if _takes_singular(number) else options.verbose_name_plural}"
