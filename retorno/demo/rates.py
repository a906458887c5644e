"""Monthly exchange rates for the demo: illustrative, not market figures.

Each local currency of a demo country of origin starts from a round figure of the
right order of magnitude per euro and drifts a little from month to month; sterling is
a fixed multiple of the euro. They exist so that grants can be paid in local currency
in the demo; a real deployment imports its finance team's table.
"""

import datetime
import random
from decimal import Decimal

# Local currency units per euro, roughly.
PER_EURO: dict[str, str] = {
    "IQD": "1400", "SYP": "14000", "AFN": "75", "NGN": "1700", "GEL": "3.10",
    "UAH": "46", "XOF": "655.957", "GMD": "80",
}
# The CFA franc is pegged to the euro: its rate does not drift.
PEGGED = frozenset({"XOF"})
GBP_IN_EUR = Decimal("1.16")


def _months(last: datetime.date, count: int) -> list[datetime.date]:
    months = []
    year, month = last.year, last.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(months)


def rates_csv(last: datetime.date, months: int, seed: int = 5) -> str:
    """A finance team's CSV (`month,base,currency,rate`) for the `months` months up to
    the month of `last`, with EUR and GBP as programme currencies."""
    rng = random.Random(seed)
    lines = ["month,base,currency,rate"]
    level = {code: Decimal(rate) for code, rate in PER_EURO.items()}
    for month in _months(last, months):
        for code in PER_EURO:
            if code not in PEGGED:
                drift = Decimal(str(round(rng.uniform(-0.02, 0.025), 4)))
                level[code] = (level[code] * (1 + drift)).quantize(Decimal("0.0001"))
            lines.append(f"{month:%Y-%m},EUR,{code},{level[code]}")
            per_pound = (level[code] * GBP_IN_EUR).quantize(Decimal("0.0001"))
            lines.append(f"{month:%Y-%m},GBP,{code},{per_pound}")
    return "\n".join(lines) + "\n"
