"""Re-derive the rows every return statistic counts (`reports.AssistedReturn`) from the
records: after a data repair made outside the services, or to check nothing drifted.

    python manage.py refresh_statistics           # rewrite every case's rows
    python manage.py refresh_statistics --check   # change nothing; list the differences
"""

from django.core.management.base import BaseCommand, CommandError

from retorno.reports import facts


class Command(BaseCommand):
    help = "Re-derive the assisted-return rows statistics count, or check them (--check)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true",
                            help="Change nothing; list the cases whose rows differ and "
                                 "fail if any does.")
        parser.add_argument("--limit", type=int, default=50,
                            help="With --check: stop after this many differences.")

    def handle(self, *args, check: bool, limit: int, **options) -> None:
        if check:
            found = facts.differences(limit=limit)
            for line in found:
                self.stdout.write(line)
            if found:
                raise CommandError(f"{len(found)} case(s) differ from their records.")
            self.stdout.write("Every case's statistics match its records.")
            return
        refreshed = facts.rebuild()
        self.stdout.write(f"Refreshed the statistics of {refreshed} case(s).")
