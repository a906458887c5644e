"""The finance figures of each programme, in its currency.

Per programme: the budget; what approvals committed (`Case.commitment`, less the released
ones: `programmes.eligibility.committed_cases`); what was spent (the paid disbursements
of its cases' grants) and what awaits payment (approved, or awaiting approval); what
remains of the budget after the commitments; the quota used (approved cases against
`max_cases`); the returnees assisted (the members of its cases that departed) and the
cost per returnee (spent ÷ returnees assisted); and the spending by grant kind, by
payment method and by month.

`programme_figures` computes them for any number of programmes with a fixed number of
aggregate queries (one per kind of figure, grouped by programme), never a query per
case or per programme: the finance overview lists every programme at once and must stay
fast at 100,000 cases.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth

from retorno.cases.models import Case, Status, TimelineEntry, TimelineKind
from retorno.finance.models import Disbursement, DisbursementStatus, Method
from retorno.lib.money import quantize
from retorno.programmes.models import ComponentKind, Programme

AWAITING = (DisbursementStatus.AWAITING_APPROVAL, DisbursementStatus.APPROVED)
# A case that ended before it was handed over releases what its approval committed
# (as in `programmes.eligibility.committed_cases`, for one programme).
RELEASING = (Status.WITHDRAWN, Status.REJECTED, Status.CANCELLED,
             Status.REFERRED_ALTERNATIVE)


@dataclass
class Figures:
    programme: Programme
    committed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    awaiting: Decimal = Decimal(0)
    approved_cases: int = 0
    returnees_assisted: int = 0
    # grant kind → amount; payment method → amount; first day of the month → amount
    spent_by_kind: dict[str, Decimal] = field(default_factory=dict)
    spent_by_method: dict[str, Decimal] = field(default_factory=dict)
    spent_by_month: dict[datetime.date, Decimal] = field(default_factory=dict)

    @property
    def currency(self) -> str:
        return self.programme.currency

    @property
    def budget(self) -> Decimal | None:
        return self.programme.budget

    @property
    def max_cases(self) -> int | None:
        return self.programme.max_cases

    @property
    def remaining(self) -> Decimal | None:
        """The budget less what approvals committed; negative when over budget; None
        without a budget."""
        if self.budget is None:
            return None
        return self.budget - self.committed

    @property
    def over_budget(self) -> bool:
        remaining = self.remaining
        return remaining is not None and remaining < 0

    @property
    def quota_left(self) -> int | None:
        if self.max_cases is None:
            return None
        return self.max_cases - self.approved_cases

    @property
    def cost_per_returnee(self) -> Decimal | None:
        """Spent ÷ returnees assisted, in the currency's minor units; None when nobody
        has departed (or the programme has no currency)."""
        if not self.returnees_assisted or not self.currency:
            return None
        return quantize(self.spent / self.returnees_assisted, self.currency)

    def by_kind(self) -> list[tuple[str, Decimal]]:
        """Spending per grant kind, every kind listed (label, amount)."""
        return [(label, self.spent_by_kind.get(value, Decimal(0)))
                for value, label in ComponentKind.choices]

    def by_method(self) -> list[tuple[str, Decimal]]:
        """Spending per payment method, every method listed (label, amount)."""
        return [(label, self.spent_by_method.get(value, Decimal(0)))
                for value, label in Method.choices]

    def by_month(self) -> list[tuple[datetime.date, Decimal]]:
        """Spending per month paid in, oldest first, months with payments only."""
        return sorted(self.spent_by_month.items())


def programme_figures(programmes: list[Programme], *, approvals: bool = True
                      ) -> list[Figures]:
    """The figures of each of `programmes`, in the same order; five queries whatever
    their number (four without the `approvals` count, which reads the timeline)."""
    figures = {programme.pk: Figures(programme) for programme in programmes}
    if not figures:
        return []
    ids = list(figures)
    _committed(figures, ids)
    if approvals:
        _approved(figures, ids)
    _returnees(figures, ids)
    _disbursements(figures, ids)
    return [figures[programme.pk] for programme in programmes]


def figures_of(programme: Programme) -> Figures:
    return programme_figures([programme])[0]


def _committed(figures: dict[int, Figures], ids: list[int]) -> None:
    rows = (Case.objects.filter(programme_id__in=ids, commitment__isnull=False)
            .exclude(handed_over_at__isnull=True, status__in=RELEASING)
            .values("programme_id").annotate(total=Sum("commitment")).order_by())
    for row in rows:
        figures[row["programme_id"]].committed = row["total"] or Decimal(0)


def _approved(figures: dict[int, Figures], ids: list[int]) -> None:
    # As `programmes.eligibility.approved_count`: cases approved once, whatever they
    # became since.
    rows = (TimelineEntry.objects.filter(case__programme_id__in=ids,
                                         kind=TimelineKind.TRANSITION,
                                         to_status=Status.APPROVED)
            .values("case__programme_id").annotate(n=Count("case_id", distinct=True))
            .order_by())
    for row in rows:
        figures[row["case__programme_id"]].approved_cases = row["n"]


def _returnees(figures: dict[int, Figures], ids: list[int]) -> None:
    # The members of its cases whose departure was confirmed: one AssistedReturn row
    # each (`reports.facts`, the statistics' own definition).
    from retorno.reports.models import AssistedReturn

    rows = (AssistedReturn.objects.filter(programme_id__in=ids)
            .values("programme_id").annotate(n=Count("pk")).order_by())
    for row in rows:
        figures[row["programme_id"]].returnees_assisted = row["n"]


def _disbursements(figures: dict[int, Figures], ids: list[int]) -> None:
    """Spent and awaiting, and the spending by kind, method and month, from one grouped
    query. Only amounts in the programme's currency are added up (a grant is awarded in
    it, and the currency cannot change once there are grants)."""
    rows = (Disbursement.objects
            .filter(grant__case__programme_id__in=ids,
                    grant__currency=F("grant__case__programme__currency"),
                    status__in=[*AWAITING, DisbursementStatus.PAID])
            .values("grant__case__programme_id", "status", "grant__kind", "method")
            .annotate(month=TruncMonth("paid_on"), total=Sum("amount"))
            .order_by())
    for row in rows:
        figure = figures[row["grant__case__programme_id"]]
        total = row["total"] or Decimal(0)
        if row["status"] != DisbursementStatus.PAID:
            figure.awaiting += total
            continue
        figure.spent += total
        kind, method, month = row["grant__kind"], row["method"], row["month"]
        figure.spent_by_kind[kind] = figure.spent_by_kind.get(kind, Decimal(0)) + total
        figure.spent_by_method[method] = (figure.spent_by_method.get(method, Decimal(0))
                                          + total)
        if month is not None:
            if isinstance(month, datetime.datetime):
                month = month.date()
            figure.spent_by_month[month] = figure.spent_by_month.get(month, Decimal(0)) + total

