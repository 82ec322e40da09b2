from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice

from livc.accounts import otp, passkeys, reauth, throttle
from livc.accounts.decorators import second_factor_not_required
from livc.accounts.forms import (
    CodeForm,
    ConfirmPasswordForm,
    EnrolForm,
    LanguageForm,
    LoginForm,
    PasskeyNameForm,
    locked_out_message,
)
from livc.accounts.middleware import wants_script_answer
from livc.accounts.sessions import SessionStore
from livc.audit.events import EventKind, record_account_event, second_factor_failed
from livc.http import AuthenticatedRequest


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        context["idle_minutes"] = max(1, round(settings.SESSION_COOKIE_AGE / 60))
        context["passkey_login"] = settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN
        return context


login = LoginView.as_view()


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """Choose a password through the link a platform administrator had mailed to the account.

    Django's token: it stops working once the password changes, and after
    `PASSWORD_RESET_TIMEOUT`. Setting the password ends the account's other sessions; the second
    factor stays what it was.
    """

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        record_account_event(EventKind.PASSWORD_SET, user=user, actor=user, request=self.request)
        messages.success(self.request, _("Your password is set. Log in with it."))
        return response


password_set = second_factor_not_required(login_not_required(PasswordSetView.as_view()))
# The logout is `livc/accounts/oidc_views.py::logout`: it also ends an identity provider's session.


def _next_url(request: HttpRequest, default: str | None = None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(default or str(settings.LOGIN_REDIRECT_URL))


@never_cache
@second_factor_not_required
def verify(request: AuthenticatedRequest) -> HttpResponse:
    if otp.is_verified(request.user):
        return HttpResponseRedirect(_next_url(request))
    if not otp.has_confirmed_device(request.user):
        return redirect("accounts:setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        waiting_until = throttle.locked_until(request.session)
        device = None if waiting_until else otp.verify(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            _second_factor_login(request, device)
            _after_verification_messages(request, used_backup=isinstance(device, StaticDevice))
            return HttpResponseRedirect(_next_url(request))
        second_factor_failed(request, step="verify")
        if waiting_until is not None:
            form.add_error("code", _throttled_message(waiting_until))
        else:
            throttle.record_failure(request.session)
            form.add_error("code", _("That code is not correct, or it has already been used."))
    context = {"form": form, "next": _next_url(request), "has_passkey": passkeys.has_passkey(request.user)}
    return render(request, "accounts/verify.html", context)


def _second_factor_login(request: AuthenticatedRequest, device: Device) -> None:
    """Mark the session verified, under a new session key and CSRF token.

    The key that was valid between the password and the second factor must not be the key of
    the verified session: whoever learnt it (a fixed or sniffed cookie) gets nothing.
    """
    otp_login(request, device)
    throttle.reset(request.session)
    request.session.cycle_key()
    rotate_token(request)


def _throttled_message(until: datetime) -> str:
    """What the session throttle does: after each wrong code in a row this session's next try
    must wait 1, 2, 4, 8... seconds (up to a cap); a code typed sooner is not even checked."""
    seconds = throttle.seconds_to_wait(until)
    return ngettext(
        "Wait %(seconds)d second before typing the newest code: after each wrong code the wait doubles.",
        "Wait %(seconds)d seconds before typing the newest code: after each wrong code the wait doubles.",
        seconds,
    ) % {"seconds": seconds}


def _after_verification_messages(request: AuthenticatedRequest, *, used_backup: bool) -> None:
    if used_backup:
        left = otp.backup_codes_left(request.user)
        messages.warning(
            request,
            ngettext(
                "You used a backup code. %(count)d backup code is left.",
                "You used a backup code. %(count)d backup codes are left.",
                left,
            )
            % {"count": left},
        )
    if not otp.has_totp(request.user) and not passkeys.has_passkey(request.user):
        messages.info(
            request, _("Set up an authenticator app under “Security” to log in without backup codes.")
        )


@never_cache
@second_factor_not_required
def setup(request: AuthenticatedRequest) -> HttpResponse:
    """Enrol an authenticator app; right after the first password login, or later to replace it.

    Before verification this page is open only to users without any confirmed device:
    otherwise a stolen password would be enough to enrol the thief's phone. After verification
    it asks for the password again first (`livc/accounts/reauth.py`): an open session alone
    does not move the second factor to another phone.
    """
    verified = otp.is_verified(request.user)
    if not verified and otp.has_confirmed_device(request.user):
        return redirect("accounts:verify")
    if verified and (asked := reauth.confirmation_redirect(request, next_url=request.get_full_path())):
        return asked
    device = otp.pending_totp_device(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        waiting_until = throttle.locked_until(request.session)
        if waiting_until is not None:
            second_factor_failed(request, step="setup")
            form.add_error("code", _throttled_message(waiting_until))
        elif otp.totp_confirm(user=request.user, device=device, token=form.cleaned_data["code"]):
            device.refresh_from_db()
            _second_factor_login(request, device)
            codes = otp.backup_codes_renew(user=request.user)
            return render(request, "accounts/setup_done.html", {"codes": codes, "next": _next_url(request)})
        else:
            throttle.record_failure(request.session)
            second_factor_failed(request, step="setup")
            form.add_error(
                "code",
                _(
                    "That code is not correct. "
                    "Check that your phone's clock is right and type the newest code."
                ),
            )
    context = {
        "form": form,
        "qr_svg": otp.totp_qr_svg(device),
        "secret": otp.totp_secret_text(device),
        "next": _next_url(request),
        "replacing": verified and otp.has_totp(request.user),
        "passkey_form": PasskeyNameForm(
            prefix="passkey", initial={"name": passkeys.default_name(request.user)}
        ),
    }
    return render(request, "accounts/setup.html", context)


@never_cache
@require_GET
@login_not_required
@second_factor_not_required
def session_status(request: HttpRequest) -> JsonResponse:
    """How many seconds the session has left, without renewing it (for `static/js/session.js`).

    Another tab may have renewed the session: a page asks here before it warns or gives up.
    An expired or absent session has 0 seconds left.
    """
    remaining = 0
    if request.user.is_authenticated and otp.is_verified(request.user):
        session = request.session
        if isinstance(session, SessionStore):
            session.keep_expiry()
            expires_at = session.expires_at()
            remaining = int((expires_at - timezone.now()).total_seconds()) if expires_at else 0
        else:  # another session engine: this request has just renewed it
            remaining = session.get_expiry_age()
    return JsonResponse({"remaining": max(remaining, 0)})


@never_cache
@require_POST
def session_renew(request: AuthenticatedRequest) -> HttpResponse:
    """The warning's "stay logged in": any request renews the session; this one does nothing else.

    Login, second factor and CSRF are checked by the middlewares like on every other POST.
    """
    request.session.modified = True
    if wants_script_answer(request):
        return JsonResponse({"remaining": settings.SESSION_COOKIE_AGE})
    return HttpResponseRedirect(_next_url(request))


@never_cache
def security(request: AuthenticatedRequest) -> HttpResponse:
    """The user's second-factor overview: authenticator status, backup codes left, new codes.

    New codes (a POST) need the password given again within the last few minutes.
    """
    codes: list[str] | None = None
    if request.method == "POST":
        if asked := reauth.confirmation_redirect(request, next_url=reverse("accounts:security")):
            return asked
        codes = otp.backup_codes_renew(user=request.user)
    context = {
        "has_totp": otp.has_totp(request.user),
        "codes_left": otp.backup_codes_left(request.user),
        "codes": codes,
        "passkeys": passkeys.passkey_list(request.user),
    }
    return render(request, "accounts/security.html", context)


@never_cache
def confirm_password(request: AuthenticatedRequest) -> HttpResponse:
    """The password once more, before the second factor or the backup codes change."""
    form = ConfirmPasswordForm(
        request.POST if request.method == "POST" else None, request=request, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        reauth.confirm(request)
        minutes = settings.LIVC_REAUTH_MINUTES
        messages.success(
            request,
            ngettext(
                "Password confirmed. For %(minutes)d minute you can change your second factor "
                "or make new backup codes without typing it again.",
                "Password confirmed. For %(minutes)d minutes you can change your second factor "
                "or make new backup codes without typing it again.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return HttpResponseRedirect(_next_url(request, default="accounts:security"))
    return render(
        request,
        "accounts/confirm_password.html",
        {
            "form": form,
            "next": _next_url(request, default="accounts:security"),
            "has_passkey": passkeys.has_passkey(request.user),
        },
    )


@require_POST
@login_not_required
@second_factor_not_required
def language(request: HttpRequest) -> HttpResponse:
    """Switch the UI language; stored on the user, and in a cookie for the login page."""
    form = LanguageForm(request.POST)
    response = HttpResponseRedirect(_next_url(request) if form.is_valid() else "/")
    if form.is_valid():
        code = form.cleaned_data["language"]
        if request.user.is_authenticated:
            request.user.language = code
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes calls this instead of logging in after too many failures.

    A script (the passkey login, `static/js/passkeys.js`) gets the page's message as JSON.
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if wants_script_answer(request):
        return JsonResponse({"error": locked_out_message()}, status=429)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@login_not_required
@second_factor_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
