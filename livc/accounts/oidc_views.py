"""The pages of a login through an identity provider (`livc/accounts/oidc.py`).

The login page's buttons post to `oidc_login`, the password confirmation's to `oidc_reauth`;
both send the browser to the provider, which sends it back to `oidc_callback`. Every way the
round trip can end without a login answers with a page that says why (`oidc_refused.html`),
never with an error page, and is written to the audit log with its reason (`signin.failed`).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from livc.accounts import oidc, otp, reauth, signin
from livc.accounts.decorators import second_factor_not_required
from livc.accounts.models import User
from livc.accounts.views import _next_url, locked_out
from livc.http import AuthenticatedRequest

# How each way of ending without a login answers (the page tells the person in words).
_STATUS = {"invalid_token": 400, "state_mismatch": 400, "provider_error": 502}


def _provider_or_404(key: str) -> oidc.Provider:
    provider = oidc.provider_get(key)
    if provider is None:
        raise Http404("No such identity provider.")
    return provider


def refused(
    request: HttpRequest, provider: oidc.Provider | None, problem: str, *, back: str = ""
) -> HttpResponse:
    """The page that says why nobody was logged in (or nothing was confirmed or created)."""
    context = {"provider": provider, "problem": problem, "back": back or reverse("accounts:login")}
    return render(request, "accounts/oidc_refused.html", context, status=_STATUS.get(problem, 403))


def _failed(
    request: HttpRequest, provider: oidc.Provider, problem: str, *, address: str | None = None
) -> HttpResponse:
    """One failed login through `provider`, counted and logged, and the page that says why."""
    reason = "provider_error" if problem == "cancelled" else problem
    signin.failed(request, method=signin.OIDC, reason=reason, address=address, provider=provider.key)
    return refused(request, provider, problem)


@require_POST
@login_not_required
@second_factor_not_required
def oidc_login(request: HttpRequest, provider: str) -> HttpResponse:
    found = _provider_or_404(provider)
    try:
        return oidc.start(request, found, purpose=oidc.LOGIN, next_url=_next_url(request))
    except oidc.Refusal as refusal:
        return _failed(request, found, refusal.reason)


@require_POST
def oidc_reauth(request: AuthenticatedRequest, provider: str) -> HttpResponse:
    """The password confirmation (`livc/accounts/reauth.py`) given by logging in at the provider again."""
    found = _provider_or_404(provider)
    next_url = _next_url(request, default="accounts:security")
    try:
        return oidc.start(request, found, purpose=oidc.REAUTH, next_url=next_url)
    except oidc.Refusal as refusal:
        return refused(request, found, refusal.reason, back=reverse("accounts:confirm_password"))


@never_cache
@require_GET
@login_not_required
@second_factor_not_required
def oidc_callback(request: HttpRequest, provider: str) -> HttpResponse:
    found = _provider_or_404(provider)
    pending = oidc.pending_of(request)
    if problem := oidc.answered_error(request, found):  # some providers leave out the state then
        return _failed(request, found, problem)
    if pending is None or pending["provider"] != found.key:
        return _failed(request, found, "state_mismatch")
    try:
        identity = oidc.finish(request, found, started=pending["started"], purpose=pending["purpose"])
    except oidc.Refusal as refusal:
        return _failed(request, found, refusal.reason)
    if pending["purpose"] == oidc.INVITATION:
        oidc.remember_proof(request.session, identity)  # the participants app finishes it
        return HttpResponseRedirect(pending["next"])
    if pending["purpose"] == oidc.REAUTH:
        return _confirm(request, found, identity, next_url=pending["next"])
    return _log_in(request, found, identity, next_url=pending["next"])


def _log_in(
    request: HttpRequest, provider: oidc.Provider, identity: oidc.Identity, *, next_url: str
) -> HttpResponse:
    if signin.refused(request, identity.email):
        signin.failed(
            request, method=signin.OIDC, reason="locked_out", address=identity.email, provider=provider.key
        )
        return locked_out(request)
    user = User.objects.filter(email__iexact=identity.email).first()
    problem = "no_account" if user is None else oidc.account_refusal(user, provider)
    if user is None or problem is not None:
        return _failed(request, provider, problem or "no_account", address=identity.email)
    verified = oidc.log_in(request, user, provider=provider.key, mfa=identity.mfa)
    oidc.remember_login(request.session, provider=provider.key, id_token=identity.id_token)
    if verified:
        return HttpResponseRedirect(next_url)
    step = "accounts:verify" if otp.has_confirmed_device(user) else "accounts:setup"
    return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': next_url})}")


def _confirm(
    request: HttpRequest, provider: oidc.Provider, identity: oidc.Identity, *, next_url: str
) -> HttpResponse:
    user = request.user
    back = reverse("accounts:confirm_password")
    if not user.is_authenticated or user.email.lower() != identity.email:
        return refused(request, provider, "wrong_account", back=back)
    if signin.refused(request, identity.email):
        return locked_out(request)
    reauth.confirm(request, data={"method": signin.OIDC, "provider": provider.key})
    messages.success(request, _("Confirmed. You can change your second factor or make new backup codes now."))
    return HttpResponseRedirect(next_url)


class LogoutView(auth_views.LogoutView):
    """Django's logout; then, for a session that came from a provider, the provider's logout.

    The local session ends first, whatever the provider does. The provider's end-session
    endpoint gets the session's ID token as `id_token_hint` and sends the browser back to the
    login page (RP-initiated logout).
    """

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        at_provider = oidc.end_session_url(request.session)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response


logout = second_factor_not_required(LogoutView.as_view())
