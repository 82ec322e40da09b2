from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from livc.cells import demo


class Command(BaseCommand):
    help = (
        "Create or refresh the invented demo cells and users (idempotent). Resets each demo user's "
        "password and issues a new set of backup codes, printed below: codes work once. Links use "
        "LIVC_BASE_URL (`make run` sets it from HOST and PORT)."
    )

    def handle(self, *args: object, **options: object) -> None:
        data = demo.seed()
        for config in apps.get_app_configs():
            hook = getattr(config, "seed_demo", None)
            if callable(hook):
                hook(data)
        # The output is for whoever runs the command, in the README's language: English throughout,
        # role names included (the pages speak each user's own language).
        with translation.override("en"):
            self._print(data)

    def _print(self, data: demo.Demo) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Log in at {settings.LIVC_BASE_URL}/"))
        self.stdout.write(f"Password for every demo user: {demo.DEMO_PASSWORD}")
        self.stdout.write("Second factor: type one of the user's backup codes (each works once).\n")
        width = max(len(email) for email in data.users) + 1
        for email, user in data.users.items():
            roles = ", ".join(
                f"{m.cell.slug}: {m.get_role_display()}" for m in user.memberships.select_related("cell")
            ) or ("platform administrator (/admin/)" if user.is_staff else "")
            self.stdout.write(f"  {email:<{width}} {roles}")
            self.stdout.write(f"  {'':<{width}} codes: {' '.join(data.backup_codes[email])}")
        for note in data.notes:
            self.stdout.write(note)
