from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from livc.accounts import lockout
from livc.accounts.models import User


def account_paused_message() -> str:
    """The per-account cap's answer: the same for any typed address, account or not."""
    minutes = max(1, round(settings.LIVC_ACCOUNT_FAILURE_WINDOW.total_seconds() / 60))
    return ngettext(
        "Too many wrong passwords have been typed for this e-mail address. To protect the account, "
        "logging in with it is paused for at most %(minutes)d minute. "
        "If this was not you, tell your cell's coordinator.",
        "Too many wrong passwords have been typed for this e-mail address. To protect the account, "
        "logging in with it is paused for at most %(minutes)d minutes. "
        "If this was not you, tell your cell's coordinator.",
        minutes,
    ) % {"minutes": minutes}


def locked_out_message() -> str:
    """django-axes' lock, in the words of `templates/accounts/locked_out.html` (same message id)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Logging in with this e-mail address from this computer is blocked after too many wrong "
        "passwords. Try again in %(minutes)s minute.",
        "Logging in with this e-mail address from this computer is blocked after too many wrong "
        "passwords. Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


class LoginForm(AuthenticationForm):
    """E-mail and password; the error never says which of the two was wrong."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "That e-mail address and password do not match an account. Check both and try again."
        ),
        "inactive": _("This account has been deactivated. Contact your cell's coordinator."),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        # Before the password is checked: a paused address gets no answer about its password.
        if lockout.account_paused(self.cleaned_data.get("username")):
            raise forms.ValidationError(account_paused_message(), code="account_paused")
        return super().clean()


class ConfirmPasswordForm(forms.Form):
    """The logged-in user's password once more, before a change to their second factor."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if lockout.account_paused(self.user.email):
            raise forms.ValidationError(account_paused_message(), code="account_paused")
        # Through the authentication backends: django-axes and the per-account cap count a
        # wrong password here like one on the login page, and the audit log records it.
        confirmed = authenticate(self.request, username=self.user.email, password=password)
        if confirmed is None or confirmed.pk != self.user.pk:
            raise forms.ValidationError(_("That password is not correct."), code="wrong_password")
        return password


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not code.isalnum():
            raise forms.ValidationError(_("A code has only letters and digits."))
        return code


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown in the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Type the 6 digits the app shows, without spaces."))
        return code


# Each language named in itself, so that a user lost in a foreign UI finds their own.
NATIVE_LANGUAGE_NAMES = [("nl", "Nederlands"), ("fr", "Français"), ("de", "Deutsch"), ("en", "English")]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=NATIVE_LANGUAGE_NAMES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class PasskeyNameForm(forms.Form):
    """The name a person gives a new passkey (empty: "Passkey 2"), or a new name for one."""

    name = forms.CharField(
        label=_("Name of the passkey"),
        max_length=64,  # django-otp's Device.name
        required=False,
        help_text=_("So you recognise it later, for example “Laptop at work” or “My phone”."),
    )

    def clean_name(self) -> str:
        return " ".join(str(self.cleaned_data["name"]).split())
