"""The one-time token of a form that was sent: a double click or a second tab sending the same
form again finds the first submission and does nothing twice (`livc/submissions/decorators.py`).

Nothing personal is kept: the token, whose it was, when, and the address the first POST led to
(ids in a path). Rows older than a day are deleted every night (`livc/submissions/tasks.py`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    token = models.UUIDField(_("token"), primary_key=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)
    # Where the first POST led (a redirect's address); blank until it has succeeded.
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"Submission {self.token}"
