from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import override

from infopoint.accounts.services import demo_coordinator_ensure


class Command(BaseCommand):
    help = "Creates the demo coordinator account (once) and prints how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        # The password is kept beside the embedded database so that it can be shown again.
        credentials = settings.DATA_DIR / "demo-coordinator.txt"
        user, password = demo_coordinator_ensure()
        if password:
            credentials.parent.mkdir(parents=True, exist_ok=True)
            credentials.write_text(f"{user.username} {password}\n")
            credentials.chmod(0o600)
        if credentials.exists():
            username, saved_password = credentials.read_text().split()
            with override(settings.LANGUAGE_CODE):
                sign_in = settings.SITE_URL.rstrip("/") + reverse("accounts:sign_in")
            self.stdout.write(
                f"Demo coordinator: user {username}, password {saved_password} "
                f"(sign in at {sign_in})"
            )
        else:
            self.stdout.write(f"Demo coordinator {user.username} exists; its password was changed.")
