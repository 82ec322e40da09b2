from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "livc.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # lockout connects the per-account cap's receiver; oidc registers the identity providers' check.
        from livc.accounts import lockout, oidc  # noqa: F401
