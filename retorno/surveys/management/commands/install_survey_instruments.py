"""Install the survey instruments Retorno ships (idempotent): `services.install_shipped`."""

from typing import Any

from django.core.management.base import BaseCommand

from retorno.surveys.services import install_shipped


class Command(BaseCommand):
    help = "Install the shipped survey instruments (sustainability, satisfaction) if missing."

    def handle(self, *args: Any, **options: Any) -> None:
        for version in install_shipped():
            self.stdout.write(f"{version.instrument.code} v{version.number}")
