"""Passkey pages and the JSON endpoints `static/js/passkeys.js` calls (rules: `passkeys.py`).

Each ceremony is two POSTs: "begin" answers the options for `navigator.credentials.create()`
or `.get()`, "complete" checks the browser's answer. A refusal is JSON `{"error": message}` in
the user's language, which the script shows in the page; a success is `{"redirect": url}`.
"""

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from livc.accounts import lockout, otp, passkeys, reauth, signin, throttle
from livc.accounts.decorators import second_factor_not_required
from livc.accounts.forms import LoginForm, PasskeyNameForm, account_paused_message, locked_out_message
from livc.accounts.passkeys import PasskeyRefused
from livc.accounts.views import _next_url, _second_factor_login
from livc.audit.events import second_factor_failed
from livc.http import AuthenticatedRequest

# The session already proved who it is with the passkey: Django's own backend keeps it logged
# in (it checks `is_active` on every request). django-otp-webauthn's backend is not installed,
# so nothing but these views turns a passkey into a login.
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
SETUP_CODES_KEY = "livc_passkey_setup_codes"


def _refusal(message: str, *, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _body(request: HttpRequest) -> Any:
    """The JSON the script sent, or None when it is not JSON."""
    try:
        return json.loads(request.body or b"null")
    except ValueError:
        return None


def _wait_message(until: datetime) -> str:
    seconds = throttle.seconds_to_wait(until)
    return ngettext(
        "Wait %(seconds)d second before trying again: after each failed attempt the wait doubles.",
        "Wait %(seconds)d seconds before trying again: after each failed attempt the wait doubles.",
        seconds,
    ) % {"seconds": seconds}


# --- Logging in with a passkey alone ----------------------------------------------------------------


@never_cache
@require_POST
@login_not_required
@second_factor_not_required
def login_begin(request: HttpRequest) -> JsonResponse:
    if not settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN:
        return _refusal(_("Logging in with a passkey alone is switched off here."), status=403)
    return JsonResponse(passkeys.begin(request, purpose=passkeys.LOGIN, user=None))


@never_cache
@require_POST
@login_not_required
@second_factor_not_required
def login_complete(request: HttpRequest) -> JsonResponse:
    """Log in and verify the session, if the passkey's owner may log in now.

    The same locks as the password's hold (`signin.refused`), a deactivated account is
    refused, and every refusal counts as a failed login with its reason. Like the second
    factor's, failed passkeys make this session wait 1, 2, 4 ... seconds before the next one
    is even checked (`livc/accounts/throttle.py`).
    """
    if not settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN:
        return _refusal(_("Logging in with a passkey alone is switched off here."), status=403)
    if (waiting_until := throttle.locked_until(request.session)) is not None:
        return _refusal(_wait_message(waiting_until), status=429)
    try:
        passkey = passkeys.authenticate(request, purpose=passkeys.LOGIN, user=None, data=_body(request))
    except PasskeyRefused as refusal:
        throttle.record_failure(request.session)
        address = refusal.passkey.user.email if refusal.passkey is not None else None
        signin.failed(request, method=signin.PASSKEY, reason=refusal.reason, address=address)
        if refusal.reason == "unknown_credential":
            return _refusal(
                _("This passkey is not registered here; perhaps it was removed. Log in with your password.")
            )
        return _refusal(_("The passkey could not be checked. Try again, or log in with your password."))
    user = passkey.user
    if signin.refused(request, user.email):
        signin.failed(request, method=signin.PASSKEY, reason="locked_out", address=user.email)
        return _refusal(_locked_message(user.email), status=429)
    if not user.is_active:
        signin.failed(request, method=signin.PASSKEY, reason="inactive", address=user.email)
        return _refusal(str(LoginForm.error_messages["inactive"]), status=403)
    signin.succeeded(request, user, method=signin.PASSKEY, backend=LOGIN_BACKEND)
    _second_factor_login(request, passkey)  # type: ignore[arg-type]  # logged in just now
    return JsonResponse({"redirect": _next_url(request)})


def _locked_message(address: str) -> str:
    """The password form's answers to the same locks."""
    return account_paused_message() if lockout.account_paused(address) else locked_out_message()


# --- The second factor after a password, and the confirmation instead of the password --------------


@never_cache
@require_POST
@second_factor_not_required
def verify_begin(request: AuthenticatedRequest) -> JsonResponse:
    if otp.is_verified(request.user):
        return JsonResponse({"redirect": _next_url(request)})
    return _assertion_options(request, purpose=passkeys.SECOND_FACTOR)


@never_cache
@require_POST
@second_factor_not_required
def verify_complete(request: AuthenticatedRequest) -> JsonResponse:
    """The second factor with a passkey: like a code, throttled per session and logged when refused."""
    if otp.is_verified(request.user):
        return JsonResponse({"redirect": _next_url(request)})
    passkey, refusal = _checked_assertion(request, purpose=passkeys.SECOND_FACTOR, step="passkey")
    if refusal is not None:
        return refusal
    _second_factor_login(request, passkey)
    return JsonResponse({"redirect": _next_url(request)})


@never_cache
@require_POST
def confirm_begin(request: AuthenticatedRequest) -> JsonResponse:
    return _assertion_options(request, purpose=passkeys.CONFIRM)


@never_cache
@require_POST
def confirm_complete(request: AuthenticatedRequest) -> JsonResponse:
    """A passkey with user verification confirms it is the person, like the password does."""
    passkey, refusal = _checked_assertion(request, purpose=passkeys.CONFIRM, step="passkey_confirm")
    if refusal is not None:
        return refusal
    reauth.confirm(request, data={"method": signin.PASSKEY, "device": passkey.pk})
    throttle.reset(request.session)
    minutes = settings.LIVC_REAUTH_MINUTES
    messages.success(
        request,
        ngettext(
            "Confirmed with your passkey. For %(minutes)d minute you can change your second factor "
            "without confirming again.",
            "Confirmed with your passkey. For %(minutes)d minutes you can change your second factor "
            "without confirming again.",
            minutes,
        )
        % {"minutes": minutes},
    )
    return JsonResponse({"redirect": _next_url(request, default="accounts:security")})


def _assertion_options(request: AuthenticatedRequest, *, purpose: str) -> JsonResponse:
    if not passkeys.has_passkey(request.user):
        return _refusal(_("You have no passkey yet. Use another way."))
    return JsonResponse(passkeys.begin(request, purpose=purpose, user=request.user))


def _checked_assertion(
    request: AuthenticatedRequest, *, purpose: str, step: str
) -> tuple[Any, JsonResponse | None]:
    """The person's passkey that answered, or a refusal counted in the session's throttle."""
    waiting_until = throttle.locked_until(request.session)
    if waiting_until is not None:
        second_factor_failed(request, step=step)
        return None, _refusal(_wait_message(waiting_until), status=429)
    try:
        passkey = passkeys.authenticate(request, purpose=purpose, user=request.user, data=_body(request))
    except PasskeyRefused:
        throttle.record_failure(request.session)
        second_factor_failed(request, step=step)
        message = _(
            "The passkey could not be checked. Try again with one of your own passkeys, or another way."
        )
        return None, _refusal(message)
    return passkey, None


# --- Adding a passkey ----------------------------------------------------------------------------------


@never_cache
@require_GET
def add(request: AuthenticatedRequest) -> HttpResponse:
    """Name a new passkey and create it; the password (or a passkey) is asked again first."""
    if asked := reauth.confirmation_redirect(request, next_url=reverse("accounts:passkey_add")):
        return asked
    form = PasskeyNameForm(initial={"name": passkeys.default_name(request.user)})
    return render(request, "accounts/passkey_add.html", {"form": form})


def _registration_refused(request: AuthenticatedRequest) -> JsonResponse | None:
    """Who may add a passkey: a verified session that confirmed it is the person within the last
    minutes, or a session between password and second factor of someone who has no second factor
    yet (the first one, from the setup page). Never someone who still owes their second factor."""
    if otp.is_verified(request.user):
        if reauth.recently_confirmed(request.session):
            return None
        return _refusal(_("Confirm it is you first: reload the page."), status=403)
    if otp.has_confirmed_device(request.user):
        return _refusal(_("Verify your second factor first: reload the page."), status=403)
    return None


@never_cache
@require_POST
@second_factor_not_required
def register_begin(request: AuthenticatedRequest) -> JsonResponse:
    if refused := _registration_refused(request):
        return refused
    body = _body(request)
    form = PasskeyNameForm(body if isinstance(body, dict) else {})
    if not form.is_valid():
        return _refusal(" ".join(str(error) for error in form.errors["name"]))
    name = form.cleaned_data["name"]
    return JsonResponse(passkeys.begin(request, purpose=passkeys.REGISTER, user=request.user, name=name))


@never_cache
@require_POST
@second_factor_not_required
def register_complete(request: AuthenticatedRequest) -> JsonResponse:
    """Store the new passkey. The first second factor also verifies the session and issues backup codes."""
    if refused := _registration_refused(request):
        return refused
    first = not otp.is_verified(request.user)
    try:
        passkey = passkeys.register(request, user=request.user, data=_body(request))
    except PasskeyRefused:
        return _refusal(_("The passkey could not be added. Try again."))
    if first:
        _second_factor_login(request, passkey)
        request.session[SETUP_CODES_KEY] = otp.backup_codes_renew(user=request.user)
        done = reverse("accounts:passkey_setup_done")
        return JsonResponse({"redirect": f"{done}?{urlencode({'next': _next_url(request)})}"})
    messages.success(request, _("Passkey “%(name)s” added.") % {"name": passkey.name})
    return JsonResponse({"redirect": reverse("accounts:security")})


@never_cache
def setup_done(request: AuthenticatedRequest) -> HttpResponse:
    """The backup codes after the first passkey, shown once (like after an authenticator app)."""
    codes = request.session.pop(SETUP_CODES_KEY, None)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/passkey_setup_done.html", {"codes": codes, "next": _next_url(request)})


# --- Renaming and removing --------------------------------------------------------------------------


@never_cache
@require_POST
def rename(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    passkey = get_object_or_404(passkeys.passkey_list(request.user), pk=pk)
    form = PasskeyNameForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    if name:
        passkeys.passkey_rename(passkey=passkey, name=name)
        messages.success(request, _("The passkey is now called “%(name)s”.") % {"name": name})
    elif form.is_valid():
        messages.error(request, _("Type a name for the passkey."))
    else:
        messages.error(request, " ".join(str(error) for error in form.errors["name"]))
    return redirect("accounts:security")


@never_cache
def remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Remove a passkey, after the password (or a passkey) asked again; never the last second factor."""
    passkey = passkeys.passkey_list(request.user).filter(pk=pk).first()
    if passkey is None:
        if request.method == "POST":  # a second click, or another tab, removed it already
            messages.info(request, _("That passkey has already been removed."))
            return redirect("accounts:security")
        raise Http404
    here = reverse("accounts:passkey_remove", args=[passkey.pk])
    if asked := reauth.confirmation_redirect(request, next_url=here):
        return asked
    if request.method == "POST":
        if passkeys.passkey_remove(passkey=passkey, request=request):
            messages.success(request, _("Passkey “%(name)s” removed.") % {"name": passkey.name})
        else:
            messages.error(request, last_factor_message())
        return redirect("accounts:security")
    context = {
        "passkey": passkey,
        "removable": passkeys.can_remove(passkey),
        "last_factor_message": last_factor_message(),
    }
    return render(request, "accounts/passkey_remove.html", context)


def last_factor_message() -> str:
    return _(
        "This is your only second factor: without it, your password alone would open your account. "
        "Add another passkey or set up an authenticator app first, then remove this one."
    )
