from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "livc.crypto"
    label = "crypto"
    verbose_name = "Encryption"

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun
        from django.core.signals import request_finished, request_started

        from livc.crypto import checks  # noqa: F401  registers the key ring check
        from livc.crypto.datakeys import forget_keys

        # Unwrapped data keys live for one request or one task, no longer (docs/adr/0010).
        for signal in (request_started, request_finished, task_prerun, task_postrun):
            signal.connect(forget_keys, dispatch_uid=f"livc.crypto.forget_keys.{id(signal)}")
