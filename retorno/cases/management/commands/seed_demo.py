"""`manage.py seed_demo`: demo data to explore Retorno with, or synthetic data at scale.

    manage.py seed_demo                 demo offices, logins, ~300 cases, the regions and
                                        the last quarter's bulletin (idempotent)
    manage.py seed_demo --people 100000 the demo, then synthetic cases until the
                                        database holds 100,000 people (benchmarks)

Both finish by printing the demo logins.
"""

import argparse
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from retorno.accounts.models import Role
from retorno.demo import regions, world
from retorno.demo.demo import DEFAULT_CASES, seed_cases
from retorno.reports.forms import last_quarter
from retorno.reports.jobs import request_report

SEED = 2026  # fixed: the same command gives the same data
# The demo's own regions are always made; a bulletin only for a demo of this many cases
# or more (one of a handful of cases would show little but hidden counts).
BULLETIN_FROM = 50


class Command(BaseCommand):
    help = "Create demo offices, logins and cases; with --people, synthetic data at scale."

    def add_arguments(self, parser):
        parser.add_argument(
            "--people", type=int, default=0, metavar="N",
            help="After the demo, add synthetic cases (bulk inserts, for benchmarks) until "
                 "the database holds N people.")
        # For tests: fewer demo cases than the default.
        parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help=argparse.SUPPRESS)
        parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)

    def handle(self, *args, people: int, cases: int, seed: int, **options):
        if people < 0 or cases < 0:
            raise CommandError("--people and --cases must not be negative.")
        if world.base_exists():
            self.stdout.write("Demo data already present: nothing to create.")
        else:
            self._seed_demo(cases, seed)
        if people:
            from retorno.demo.bulk import seed_bulk

            seed_bulk(people, seed=seed, progress=self.stdout.write)
        self._print_logins()

    def _seed_demo(self, cases: int, seed: int) -> None:
        rng = random.Random(seed)
        started = time.monotonic()
        self.stdout.write("Creating demo offices, logins and programmes...")
        # All or nothing: a half-made demo would make the next run skip what is missing.
        with transaction.atomic():
            base = world.create_base(rng)
            self.stdout.write(f"Creating {cases} demo cases through the case services...")
            seed_cases(base, cases, rng, progress=self.stdout.write)
            regions.seed_regions(base.user("deu-berlin", Role.PROGRAMME_MANAGER))
        if cases >= BULLETIN_FROM:
            self.stdout.write("Building the last quarter's bulletin...")
            # In the foreground: the command ends when it is ready.
            with override_settings(RETORNO_REPORTS_BACKGROUND=False):
                quarter = last_quarter(timezone.localdate())
                request_report(actor=base.user("deu-berlin", Role.ME_OFFICER), kind="bulletin",
                               parameters={"start": quarter.start.isoformat(),
                                           "end": quarter.end.isoformat()})
        self.stdout.write(f"Demo data created in {time.monotonic() - started:.1f} s.")

    def _print_logins(self) -> None:
        rows = world.logins()
        if not rows:
            return
        header = ("username", "role", "office", "password")
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(3)]
        line = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
        self.stdout.write("")
        self.stdout.write("Demo logins (every one has the same password):")
        self.stdout.write(line.format(*header))
        self.stdout.write(line.format(*("-" * w for w in widths), "-" * len(world.DEMO_PASSWORD)))
        for row in rows:
            self.stdout.write(line.format(*row, world.DEMO_PASSWORD))
        self.stdout.write("")
        self.stdout.write(f"Password for all demo logins: {world.DEMO_PASSWORD}")
