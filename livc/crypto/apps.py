from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "livc.crypto"
    label = "crypto"
    verbose_name = "Encryption"
