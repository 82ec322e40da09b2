"""The platform administrator's view of accounts: no secret of any account is readable or settable.

The admin shows neither a password hash nor a second-factor secret (django-otp's own device
admins are unregistered), and offers no form to set a password: a platform administrator who
could read a backup code or set a coordinator's password could log in as that coordinator.
What the admin may do to a login is take it away: deactivate the account, or reset its second
factor (the devices, passkeys included, are deleted; the person enrols a new one after their next
password login), each logged.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from livc.accounts import otp
from livc.accounts.models import User
from livc.accounts.services import password_link_send

# django-otp registers admins that show every user's TOTP key, its QR code and unused backup
# codes. The second factor is managed by its owner on the security page, never in the admin.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class UserChangeForm(forms.ModelForm):
    """The account's own fields; deliberately without Django's password-hash field."""

    class Meta:
        model = User
        fields = ["email", "name", "language", "is_active", "is_staff", "is_superuser"]


class UserCreationForm(forms.ModelForm):
    """A new account without a usable password: nobody but its owner ever knows it."""

    class Meta:
        model = User
        fields = ["email", "name", "language"]

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def _admin(request: HttpRequest) -> User:
    """The platform administrator doing the action (the admin site lets no one else in)."""
    assert isinstance(request.user, User)
    return request.user


def _password_not_here(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Platform administrators manage accounts; roles in cells live on memberships."""

    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = ["email", "name", "language", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "language"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Person"), {"fields": ("name", "language")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "language")}),)
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()
    actions = ["reset_second_factor", "send_password_link"]

    def get_urls(self) -> list[URLPattern]:
        """Django's user admin adds `<id>/password/` to set any password: it answers 404 here."""
        urls = [url for url in super().get_urls() if url.name != "auth_user_password_change"]
        return [path("<id>/password/", _password_not_here, name="accounts_user_password_change"), *urls]

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        raise Http404

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        """Accounts are deactivated, never deleted (audit entries keep their actor); the delete
        confirmation would also list the account's backup codes among what it deletes."""
        return False

    @admin.action(description=_("Reset the second factor (the person enrols again at the next login)"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset:
            otp.second_factor_reset(user=user, actor=_admin(request), request=request)
            count += 1
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)d account was reset.",
                "The second factor of %(count)d accounts was reset.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send a link to choose a password (to the account's own e-mail address)"))
    def send_password_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset.filter(is_active=True))
        for user in users:
            password_link_send(user=user, actor=_admin(request), request=request)
        skipped = queryset.count() - len(users)
        self.message_user(
            request,
            ngettext(
                "A link to choose a password was sent to %(count)d account.",
                "A link to choose a password was sent to %(count)d accounts.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d deactivated account got no link.",
                    "%(count)d deactivated accounts got no link.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
