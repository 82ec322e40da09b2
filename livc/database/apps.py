from django.apps import AppConfig


class DatabaseConfig(AppConfig):
    name = "livc.database"
    label = "database"
    verbose_name = "Database defences"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from livc.database import checks  # noqa: F401  registers the role and tenancy checks
        from livc.database.setup import secure_after_migrate

        # After every `migrate` (run as the owner): grants, policies and functions (docs/adr/0011).
        post_migrate.connect(secure_after_migrate, sender=self, dispatch_uid="livc.database.secure")
