"""Logging in through an OpenID Connect identity provider (a municipality's Entra ID, the federal FAS).

Each deployment names its providers in the environment (`LIVC_OIDC_PROVIDERS`, read by
`livc/settings/base.py`); this module checks them at start (`check_providers`) and turns them into
`Provider`s. Authlib's Django client does the protocol: the provider's discovery document, the
authorization-code flow with PKCE, state and nonce kept in the session, and the ID token's
signature (the provider's published keys), issuer, audience, expiry and nonce.

A provider only proves an e-mail address. What that address may do is decided here, by the same
rules as a password's: it must name an active account (nobody is created by logging in; accounts
still come from accepted invitations) that holds an effective membership, of one of the provider's
cells when it is restricted to some. When the ID token proves multi-factor authentication (`amr`
or `acr`, as configured per provider), the local second factor is not asked again; otherwise it is.

Platform administrators hold no membership: they may log in through a provider that is not
restricted to cells, as they may with their password, and reach the admin after the same second
factor rule.

The round trip serves three purposes (`LOGIN`, `REAUTH`: the password asked again, for accounts
that have none; `INVITATION`: an invitee proves the invited address). What the callback learnt
for an invitation is left in the session as a proof (`take_proof`) that the participants app
reads once, within `PROOF_MAX_AGE`.
"""

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

if TYPE_CHECKING:
    from livc.http import AuthenticatedRequest
from joserfc.errors import JoseError

DEFAULT_SCOPES = "openid email profile"
DEFAULT_EMAIL_CLAIM = "email"
# RFC 8176: "mfa" is the one `amr` value that says "more than one factor" by itself. Values that
# name a single method ("pwd", "otp", "hwk", "face"...) prove one factor and are not enough alone.
DEFAULT_MFA_AMR = "mfa"
TIMEOUT_SECONDS = 10  # a provider that does not answer must not hold a login forever

LOGIN = "login"
REAUTH = "reauth"
INVITATION = "invitation"

PENDING_KEY = "livc_oidc_pending"  # state → what the round trip is for, where it goes back to
PROOF_KEY = "livc_oidc_proof"  # an invitation's proven address, read once
PROVIDER_KEY = "livc_oidc_provider"  # the provider this session logged in through (for the logout)
ID_TOKEN_KEY = "livc_oidc_id_token"  # noqa: S105  a session key, not a secret; its ID token, the logout's `id_token_hint`
PROOF_MAX_AGE = 300  # seconds an invitation's proven address stays usable
ROUND_TRIP_MAX_AGE = 900  # seconds a login may stay at the provider
REAUTH_MAX_AGE = 120  # how recent the provider's `auth_time` must be to confirm a person again


@dataclass(frozen=True)
class Provider:
    key: str
    issuer: str
    client_id: str
    client_secret: str
    label: str
    scopes: str = DEFAULT_SCOPES
    email_claim: str = DEFAULT_EMAIL_CLAIM
    mfa_amr: frozenset[str] = frozenset({DEFAULT_MFA_AMR})
    mfa_acr: frozenset[str] = frozenset()
    acr_values: str = ""
    cells: frozenset[str] = frozenset()  # cell slugs; empty: every cell

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def allows_cell(self, slug: str) -> bool:
        return not self.cells or slug in self.cells

    def proves_mfa(self, claims: dict[str, Any]) -> bool:
        """Whether the ID token's `amr` or `acr` is one this provider is trusted to mean multi-factor."""
        amr = claims.get("amr") or []
        amr = [amr] if isinstance(amr, str) else amr
        acr = claims.get("acr")
        return any(value in self.mfa_amr for value in amr if isinstance(value, str)) or (
            isinstance(acr, str) and acr in self.mfa_acr
        )


def _words(raw: str, default: str = "") -> frozenset[str]:
    return frozenset(part.strip() for part in (raw or default).replace(" ", ",").split(",") if part.strip())


def parse(key: str, raw: dict[str, str]) -> Provider:
    """One provider from its settings; `ImproperlyConfigured` names the variable that is wrong."""
    prefix = f"LIVC_OIDC_{key.upper()}"
    if not key.replace("_", "").isalnum() or key != key.lower():
        raise ImproperlyConfigured(f"LIVC_OIDC_PROVIDERS: {key!r} must be lower-case letters and digits.")
    issuer = (raw.get("issuer") or "").strip().rstrip("/")
    parts = urlsplit(issuer)
    local = parts.hostname in {"127.0.0.1", "localhost"}
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ImproperlyConfigured(
            f"{prefix}_ISSUER must be the provider's https:// issuer (got {issuer!r})."
        )
    for name in ("client_id", "client_secret"):
        if not (raw.get(name) or "").strip():
            raise ImproperlyConfigured(
                f"{prefix}_{name.upper()} must be set (or {prefix}_CLIENT_SECRET_FILE)."
            )
    scopes = " ".join((raw.get("scopes") or DEFAULT_SCOPES).replace(",", " ").split())
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(f"{prefix}_SCOPES must include openid (got {scopes!r}).")
    return Provider(
        key=key,
        issuer=issuer,
        client_id=raw["client_id"].strip(),
        client_secret=raw["client_secret"].strip(),
        label=(raw.get("label") or "").strip() or key,
        scopes=scopes,
        email_claim=(raw.get("email_claim") or "").strip() or DEFAULT_EMAIL_CLAIM,
        mfa_amr=_words(raw.get("mfa_amr", ""), DEFAULT_MFA_AMR),
        mfa_acr=_words(raw.get("mfa_acr", "")),
        acr_values=" ".join(_words(raw.get("acr_values", ""))),
        cells=_words(raw.get("cells", "")),
    )


def providers() -> dict[str, Provider]:
    """The configured providers, in their order; read from the settings as they are now."""
    configured = getattr(settings, "LIVC_OIDC_PROVIDERS", None) or {}
    return {key: parse(key, raw) for key, raw in configured.items()}


def provider_get(key: str) -> Provider | None:
    return providers().get(key)


def providers_for_cell(slug: str | None = None) -> list[Provider]:
    """The providers offered on a page: all of them, or those that may log in to the cell `slug`."""
    return [provider for provider in providers().values() if slug is None or provider.allows_cell(slug)]


@checks.register(checks.Tags.security)
def check_providers(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A provider set up wrong stops the process at start, not at someone's first login."""
    try:
        providers()
    except ImproperlyConfigured as problem:
        return [checks.Error(str(problem), hint="See README.md, production.", id="livc_accounts.E001")]
    return []


# --- Authlib's clients, one per provider ------------------------------------------------------------

_clients: dict[Provider, DjangoOAuth2App] = {}


@receiver(setting_changed, dispatch_uid="livc_accounts_oidc_clients")
def _forget_clients(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LIVC_OIDC_PROVIDERS", "LIVC_BASE_URL"}:
        _clients.clear()


def client(provider: Provider) -> DjangoOAuth2App:
    """Authlib's client of `provider`, made at its first use; it keeps the discovery document."""
    if provider not in _clients:
        _clients[provider] = OAuth().register(
            name=provider.key,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={
                "scope": provider.scopes,
                "code_challenge_method": "S256",
                "default_timeout": TIMEOUT_SECONDS,
            },
        )
    return _clients[provider]


def _metadata(provider: Provider) -> dict[str, Any]:
    """The discovery document; its issuer must be the configured one (OpenID Connect Discovery 4.3)."""
    try:
        metadata: dict[str, Any] = client(provider).load_server_metadata()
    except (requests.RequestException, ValueError) as problem:
        raise Refusal("provider_error") from problem
    if str(metadata.get("issuer", "")).rstrip("/") != provider.issuer:
        raise Refusal("provider_error")
    return metadata


# --- The round trip ----------------------------------------------------------------------------------


class Refusal(Exception):
    """The round trip ended without a usable identity; `reason` is one of `signin.REASONS`
    (`cancelled`: the person, or the provider, said no at the provider's page)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """What a provider proved: an e-mail address, and whether it took more than one factor."""

    provider: str
    email: str
    mfa: bool
    auth_time: int | None
    id_token: str


def callback_url(provider: Provider) -> str:
    """The redirect URI registered at the provider: on `LIVC_BASE_URL`, whatever proxy is in front."""
    return settings.LIVC_BASE_URL + reverse("accounts:oidc_callback", kwargs={"provider": provider.key})


def start(request: HttpRequest, provider: Provider, *, purpose: str, next_url: str) -> HttpResponseRedirect:
    """Send the browser to the provider; `next_url` is where the callback goes on (a safe local URL).

    A confirmation (`REAUTH`) asks the provider to authenticate the person again, not to reuse
    the session it may still have (`prompt=login`, `max_age=0`).
    """
    app = client(provider)
    _metadata(provider)
    params: dict[str, str] = {}
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    if purpose == REAUTH:
        params.update(prompt="login", max_age="0")
    redirect_uri = callback_url(provider)
    try:
        authorization = app.create_authorization_url(redirect_uri, **params)
    except (requests.RequestException, RuntimeError) as problem:
        raise Refusal("provider_error") from problem
    app.save_authorize_data(request, redirect_uri=redirect_uri, **authorization)
    pending = {
        state: data
        for state, data in request.session.get(PENDING_KEY, {}).items()
        if data["started"] > time.time() - ROUND_TRIP_MAX_AGE
    }
    pending[authorization["state"]] = {
        "provider": provider.key,
        "purpose": purpose,
        "next": next_url,
        "started": int(time.time()),
    }
    request.session[PENDING_KEY] = pending
    return HttpResponseRedirect(authorization["url"])


def pending_of(request: HttpRequest) -> dict[str, Any] | None:
    """The round trip this callback ends, taken from the session (it is answered only once)."""
    pending = request.session.get(PENDING_KEY, {})
    data = pending.pop(request.GET.get("state", ""), None)
    request.session[PENDING_KEY] = pending
    if data is None or data["started"] <= time.time() - ROUND_TRIP_MAX_AGE:
        return None
    return dict(data)


def answered_error(request: HttpRequest, provider: Provider) -> str | None:
    """The provider sent back an error instead of a code: "cancelled" (the person said no) or
    "provider_error"; None if it sent a code. The round trip is over either way."""
    error = request.GET.get("error")
    if not error:
        return None
    client(provider).framework.clear_state_data(request.session, request.GET.get("state"))
    return (
        "cancelled"
        if error in {"access_denied", "login_required", "interaction_required"}
        else "provider_error"
    )


def finish(request: HttpRequest, provider: Provider, *, started: int, purpose: str) -> Identity:
    """The provider's answer, checked: the code exchanged, the ID token verified, the address read."""
    _metadata(provider)
    try:
        token = client(provider).authorize_access_token(request)
    except MismatchingStateError as problem:
        raise Refusal("state_mismatch") from problem
    except JoseError as problem:
        raise Refusal("invalid_token") from problem
    except (OAuthError, requests.RequestException, RuntimeError, ValueError) as problem:
        raise Refusal("provider_error") from problem
    claims = token.get("userinfo")
    if not claims or not token.get("id_token"):
        raise Refusal("invalid_token")  # no ID token: nothing the provider signed
    auth_time = claims.get("auth_time")
    if purpose == REAUTH and not (isinstance(auth_time, int) and auth_time >= started - REAUTH_MAX_AGE):
        raise Refusal("invalid_token")  # the provider did not authenticate the person again
    return Identity(
        provider=provider.key,
        email=_email_of(provider, claims),
        mfa=provider.proves_mfa(claims),
        auth_time=auth_time if isinstance(auth_time, int) else None,
        id_token=str(token["id_token"]),
    )


def _email_of(provider: Provider, claims: dict[str, Any]) -> str:
    """The address in the configured claim; a provider that says it did not verify it is not believed."""
    address = claims.get(provider.email_claim)
    if not isinstance(address, str) or "@" not in address:
        raise Refusal("no_email")
    if (
        provider.email_claim == "email"
        and "email_verified" in claims
        and claims["email_verified"] is not True
    ):
        raise Refusal("no_email")
    return address.strip().lower()


# --- What the session keeps --------------------------------------------------------------------------


def remember_login(session: SessionBase, *, provider: str, id_token: str) -> None:
    """After the login: which provider, and its ID token, for the logout at the provider."""
    session[PROVIDER_KEY] = provider
    session[ID_TOKEN_KEY] = id_token


def remember_proof(session: SessionBase, identity: Identity) -> None:
    session[PROOF_KEY] = {
        "provider": identity.provider,
        "email": identity.email,
        "mfa": identity.mfa,
        "id_token": identity.id_token,
        "at": int(time.time()),
    }


def take_proof(session: SessionBase) -> dict[str, Any] | None:
    """An invitation's proven address, once: a second read, or one after `PROOF_MAX_AGE`, finds none."""
    proof = session.pop(PROOF_KEY, None)
    if not proof or proof["at"] <= time.time() - PROOF_MAX_AGE:
        return None
    return dict(proof)


def end_session_url(session: SessionBase) -> str | None:
    """Where the logout continues: the provider's end-session endpoint (RP-initiated logout), if any.

    Read before the local session ends. A provider that is no longer configured, has no such
    endpoint or cannot be reached leaves the logout local.
    """
    provider = provider_get(session.get(PROVIDER_KEY) or "")
    id_token = session.get(ID_TOKEN_KEY)
    if provider is None or not id_token:
        return None
    try:
        if not _metadata(provider).get("end_session_endpoint"):
            return None
    except Refusal:
        return None
    logout = client(provider).create_logout_url(
        post_logout_redirect_uri=settings.LIVC_BASE_URL + reverse("accounts:login"),
        id_token_hint=id_token,
        client_id=provider.client_id,
    )
    return str(logout["url"])


# --- Who may log in ----------------------------------------------------------------------------------


def account_refusal(user: Any, provider: Provider) -> str | None:
    """Why `user` may not log in through `provider` (a `signin.REASONS` code), or None.

    A person must hold an effective membership, of one of the provider's cells if it is restricted
    to some. A platform administrator holds none and may use a provider that is not restricted.
    """
    from livc.cells.models import Membership
    from livc.database.tenancy import scope

    if not user.is_active:
        return "inactive"
    if user.is_staff and not provider.cells:
        return None
    with scope(person_id=user.pk):  # the account's own memberships, before anyone is logged in
        slugs = set(Membership.objects.effective().filter(user=user).values_list("cell__slug", flat=True))
    if not any(provider.allows_cell(slug) for slug in slugs):
        return "no_membership"
    return None


def log_in(request: HttpRequest, user: Any, *, provider: str, mfa: bool) -> bool:
    """Log `user` in as proven by `provider`; returns whether the session is verified already.

    With multi-factor proven by the provider the session is verified at once (through the
    account's `ProviderDevice`); without, the person goes on to the local second factor, as after
    a password.
    """
    from livc.accounts import signin
    from livc.accounts.models import ProviderDevice
    from livc.accounts.views import _second_factor_login

    signin.succeeded(
        request,
        user,
        method=signin.OIDC,
        backend="django.contrib.auth.backends.ModelBackend",
        provider=provider,
        mfa=mfa,
    )
    if not mfa:
        return False
    device, _created = ProviderDevice.objects.get_or_create(
        user=user, provider=provider, defaults={"name": provider, "confirmed": True}
    )
    _second_factor_login(cast("AuthenticatedRequest", request), device)  # logged in just now
    return True
