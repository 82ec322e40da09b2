from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "livc.crypto"
    label = "crypto"
    verbose_name = "Encryption"

    def ready(self) -> None:
        from livc.crypto import checks  # noqa: F401  registers the key ring check
