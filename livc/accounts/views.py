import math
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from livc.accounts import otp
from livc.accounts.decorators import second_factor_not_required
from livc.accounts.forms import CodeForm, EnrolForm, LanguageForm, LoginForm
from livc.accounts.middleware import wants_script_answer
from livc.accounts.sessions import SessionStore
from livc.audit.events import second_factor_failed
from livc.http import AuthenticatedRequest


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        context["idle_minutes"] = max(1, round(settings.SESSION_COOKIE_AGE / 60))
        return context


login = LoginView.as_view()
logout = second_factor_not_required(auth_views.LogoutView.as_view())


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(str(settings.LOGIN_REDIRECT_URL))


@never_cache
@second_factor_not_required
def verify(request: AuthenticatedRequest) -> HttpResponse:
    if otp.is_verified(request.user):
        return HttpResponseRedirect(_next_url(request))
    if not otp.has_confirmed_device(request.user):
        return redirect("accounts:setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        result = otp.verify(user=request.user, token=form.cleaned_data["code"])
        if result.device is not None:
            otp_login(request, result.device)
            _after_verification_messages(request, used_backup=isinstance(result.device, StaticDevice))
            return HttpResponseRedirect(_next_url(request))
        second_factor_failed(request, step="verify")
        if result.throttled_until is not None:
            form.add_error("code", _throttled_message(result.throttled_until))
        else:
            form.add_error("code", _("That code is not correct, or it has already been used."))
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


def _throttled_message(until: datetime | None) -> str:
    """What django-otp's throttle really does: after each wrong code in a row the next try must
    wait 1, 2, 4, 8... seconds (`ThrottlingMixin`); a code typed sooner is not even checked."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
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
    if not otp.has_totp(request.user):
        messages.info(
            request, _("Set up an authenticator app under “Security” to log in without backup codes.")
        )


@never_cache
@second_factor_not_required
def setup(request: AuthenticatedRequest) -> HttpResponse:
    """Enrol an authenticator app; right after the first password login, or later to replace it.

    Before verification this page is open only to users without any confirmed device:
    otherwise a stolen password would be enough to enrol the thief's phone.
    """
    verified = otp.is_verified(request.user)
    if not verified and otp.has_confirmed_device(request.user):
        return redirect("accounts:verify")
    device = otp.pending_totp_device(request.user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        allowed, throttle = device.verify_is_allowed()
        if not allowed:
            second_factor_failed(request, step="setup")
            form.add_error("code", _throttled_message((throttle or {}).get("locked_until")))
        elif otp.totp_confirm(user=request.user, device=device, token=form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            codes = otp.backup_codes_renew(user=request.user)
            return render(request, "accounts/setup_done.html", {"codes": codes, "next": _next_url(request)})
        else:
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
    """The user's second-factor overview: authenticator status, backup codes left, new codes."""
    codes: list[str] | None = None
    if request.method == "POST":
        codes = otp.backup_codes_renew(user=request.user)
    context = {
        "has_totp": otp.has_totp(request.user),
        "codes_left": otp.backup_codes_left(request.user),
        "codes": codes,
    }
    return render(request, "accounts/security.html", context)


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
    """django-axes calls this instead of logging in after too many failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@login_not_required
@second_factor_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@second_factor_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
