"""A settable clock for the demo seed.

The demo's cases are moved through the real services, which stamp every row with
`django.utils.timezone.now()`. To give the demo a believable history (a case opened
last spring, approved three weeks later, closed this autumn) the seed sets the clock
before each step, so the services record exactly what they would have recorded had
the step been taken at that time. Only the seed uses this, and only while it runs.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone


class Clock:
    def __init__(self, start: datetime.datetime):
        self.current = start

    def set(self, when: datetime.datetime) -> None:
        self.current = when

    def now(self) -> datetime.datetime:
        return self.current


@contextmanager
def simulated_clock(start: datetime.datetime) -> Iterator[Clock]:
    clock = Clock(start)
    # timezone.localdate() and model auto_now fields call timezone.now() through the
    # module, so patching the module attribute reaches every caller.
    with mock.patch.object(timezone, "now", clock.now):
        yield clock
