"""The outbox for the platform administrator: how much waits and since when, and each message's
task, dates and last error (ids only: a message holds no personal data). Read-only, except
that messages given up can be handed over again once the cause (a mail server down) is fixed."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from livc.outbox.models import Message
from livc.outbox.selectors import outbox_status


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("pending", _("Pending")), ("done", _("Done")), ("failed", _("Given up"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Message]) -> QuerySet[Message]:
        if self.value() == "pending":
            return queryset.filter(done_at=None, failed_at=None)
        if self.value() == "done":
            return queryset.exclude(done_at=None)
        if self.value() == "failed":
            return queryset.exclude(failed_at=None)
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["task", "created_at", "state", "attempts", "last_error"]
    list_filter = [StateFilter, "task"]
    readonly_fields = [field.name for field in Message._meta.fields]
    actions = ["hand_over_again"]

    @admin.display(description=_("state"))
    def state(self, message: Message) -> str:
        if message.done_at is not None:
            return _("Done on %(date)s") % {
                "date": date_format(localtime(message.done_at), "SHORT_DATETIME_FORMAT")
            }
        if message.failed_at is not None:
            return _("Given up on %(date)s") % {
                "date": date_format(localtime(message.failed_at), "SHORT_DATETIME_FORMAT")
            }
        if message.relayed_at is not None:
            return str(_("With the workers"))
        if message.due_at > timezone.now():
            return _("Retried from %(date)s") % {
                "date": date_format(localtime(message.due_at), "SHORT_DATETIME_FORMAT")
            }
        return str(_("Waiting for the broker"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "outbox": outbox_status()})

    @admin.action(description=_("Hand the messages given up to the broker again"), permissions=["view"])
    def hand_over_again(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = queryset.exclude(failed_at=None).update(
            failed_at=None, attempts=0, last_error="", relayed_at=None, due_at=timezone.now()
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be handed over at the next relay.",
                "%(count)d messages will be handed over at the next relay.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
