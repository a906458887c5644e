"""What a case is entitled to under its programme's assistance package.

One function, `entitlement`, prices a case from the package's components and the case's
members: adults and children by age on the day (`privacy.consent.is_child`), vulnerability
flags as screened on the members. Its parts are used everywhere money is checked: the
reinstallation grant may not exceed `reinstallation`, the reintegration plan (and so the
reintegration grant) not `reintegration` (budget plus top-ups), and approving a case
commits `total` against the programme's budget (`commitment`).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from retorno.lib.money import quantize
from retorno.programmes.models import Basis, ComponentKind, PackageComponent, Programme

if TYPE_CHECKING:
    from retorno.cases.models import Case, CaseMember


@dataclass(frozen=True)
class Line:
    component: PackageComponent
    count: int  # how many members (or 1 for the family) it is paid for
    amount: Decimal  # component.amount × count

    @property
    def before_departure(self) -> Decimal:
        share = Decimal(self.component.before_departure_percent) / 100
        return quantize(self.amount * share, self.component.programme.currency)

    @property
    def after_arrival(self) -> Decimal:
        return self.amount - self.before_departure


@dataclass
class Entitlement:
    currency: str
    lines: list[Line] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.component.kind in kinds),
                   Decimal(0))

    @property
    def reinstallation(self) -> Decimal:
        return self.of_kind(ComponentKind.REINSTALLATION)

    @property
    def reintegration(self) -> Decimal:
        """The ceiling of the reintegration plan: the budget and every top-up."""
        return self.of_kind(ComponentKind.REINTEGRATION, ComponentKind.TOP_UP)

    @property
    def total(self) -> Decimal:
        return self.of_kind(*ComponentKind.values)

    def ceiling(self, kind: str) -> Decimal:
        """The most a grant of `kind` may award."""
        if kind == ComponentKind.REINSTALLATION:
            return self.reinstallation
        return self.reintegration


def _count(component: PackageComponent, members: "list[CaseMember]",
           on: datetime.date) -> int:
    from retorno.privacy.consent import is_child

    if component.kind == ComponentKind.TOP_UP:
        members = [m for m in members if component.vulnerability in m.vulnerabilities]
    if component.basis == Basis.PER_FAMILY:
        return 1 if members else 0
    if component.basis == Basis.PER_ADULT:
        return sum(1 for m in members if not is_child(m, on))
    if component.basis == Basis.PER_CHILD:
        return sum(1 for m in members if is_child(m, on))
    return len(members)


def has_package(programme: Programme | None) -> bool:
    return programme is not None and programme.package.exists()


def entitlement(case: "Case", on: datetime.date | None = None) -> Entitlement | None:
    """The case's entitlement on `on` (today), or None when its programme has no package."""
    programme = case.programme
    if programme is None:
        return None
    components = list(programme.package.all())
    if not components:
        return None
    on = on or timezone.localdate()
    members = list(case.members.select_related("person"))
    result = Entitlement(currency=programme.currency)
    for component in components:
        component.programme = programme  # spare a query per line
        count = _count(component, members, on)
        if count:
            result.lines.append(Line(component, count, component.amount * count))
    return result


def commitment(case: "Case", on: datetime.date | None = None) -> Decimal | None:
    """What approving `case` commits against its programme's budget: the package's total
    when the programme has one, else members × the planned cost per returnee; None when
    neither is set."""
    priced = entitlement(case, on)
    if priced is not None:
        return priced.total
    programme = case.programme
    if programme is None or programme.cost_per_returnee is None:
        return None
    return case.members.count() * programme.cost_per_returnee
