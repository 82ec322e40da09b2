from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
NATIVE_LANGUAGE_NAMES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=NATIVE_LANGUAGE_NAMES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
