from django.urls import path

from livc.accounts import oidc_views, passkey_views, views
from livc.notifications import views as notification_views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", oidc_views.logout, name="logout"),  # ends the provider's session too, if any
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("session/", views.session_status, name="session_status"),
    path("session/renew/", views.session_renew, name="session_renew"),
    path("security/", views.security, name="security"),
    path("security/confirm/", views.confirm_password, name="confirm_password"),
    path("language/", views.language, name="language"),
    path("notifications/", notification_views.preferences, name="notifications"),
    path("password/<uidb64>/<token>/", views.password_set, name="password_set"),
    # Identity providers (OpenID Connect; livc/accounts/oidc_views.py).
    path("oidc/<slug:provider>/login/", oidc_views.oidc_login, name="oidc_login"),
    path("oidc/<slug:provider>/confirm/", oidc_views.oidc_reauth, name="oidc_reauth"),
    path("oidc/<slug:provider>/callback/", oidc_views.oidc_callback, name="oidc_callback"),
    # Passkeys (livc/accounts/passkey_views.py); django-otp-webauthn's own URLs are not included.
    path("passkey/login/begin/", passkey_views.login_begin, name="passkey_login_begin"),
    path("passkey/login/complete/", passkey_views.login_complete, name="passkey_login_complete"),
    path("passkey/verify/begin/", passkey_views.verify_begin, name="passkey_verify_begin"),
    path("passkey/verify/complete/", passkey_views.verify_complete, name="passkey_verify_complete"),
    path("passkey/confirm/begin/", passkey_views.confirm_begin, name="passkey_confirm_begin"),
    path("passkey/confirm/complete/", passkey_views.confirm_complete, name="passkey_confirm_complete"),
    path("passkey/register/begin/", passkey_views.register_begin, name="passkey_register_begin"),
    path("passkey/register/complete/", passkey_views.register_complete, name="passkey_register_complete"),
    path("security/passkeys/new/", passkey_views.add, name="passkey_add"),
    path("security/passkeys/ready/", passkey_views.setup_done, name="passkey_setup_done"),
    path("security/passkeys/<int:pk>/rename/", passkey_views.rename, name="passkey_rename"),
    path("security/passkeys/<int:pk>/remove/", passkey_views.remove, name="passkey_remove"),
]
