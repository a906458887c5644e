"""`manage.py import_exchange_rates <path> --user <username>`: load the monthly exchange
rates from a CSV file (header month,base,currency,rate), through the same service as the
rates page, in the name of a user who holds finance.manage. All or nothing: every bad
line is listed and nothing is loaded."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retorno.accounts.models import User
from retorno.finance.services import import_rates
from retorno.lib.errors import ServiceError


class Command(BaseCommand):
    help = "Import monthly exchange rates from a CSV file (month,base,currency,rate)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the CSV file, UTF-8")
        parser.add_argument("--user", required=True,
                            help="the username the import is recorded for (finance.manage)")

    def handle(self, *args, path, user, **options):
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        try:
            summary = import_rates(actor=actor, csv_text=text)
        except ServiceError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"Rates imported for {', '.join(summary.months)}: "
                          f"{summary.created} new, {summary.updated} changed, "
                          f"{summary.unchanged} unchanged.")
