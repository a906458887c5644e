"""A small world of programme money for the programme finance tests, built through the
real services: approvals that commit, disbursements paid, awaiting and rejected."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import time_machine
from django.utils import timezone

from retorno.cases.models import Case
from retorno.cases.services import transition_case
from retorno.finance import services
from retorno.finance.tests.builders import approved_case, arrived, awarded, request
from retorno.programmes.models import Programme
from retorno.programmes.services import set_package
from retorno.programmes.tests.builders import component, packaged
from retorno.testing.personas import World

PACKAGE = [
    component(kind="reinstallation", basis="per_adult", amount=Decimal("1000"),
              before_departure_percent=50, after_arrival_months=0),
    component(kind="reintegration", basis="per_family", amount=Decimal("2000"),
              before_departure_percent=0, after_arrival_months=0),
]


@dataclass
class Money:
    programme: Programme
    arrived: Case
    approved: Case
    withdrawn: Case
    later: datetime.date  # the day, a month or more on, the last payment was made


def with_money(world: World, code: str = "fin") -> Money:
    """Programme `code` in EUR (budget 10,000, quota 10, approval above 500) whose
    package is 1000 per adult (reinstallation) and 2000 per family (reintegration):

    - an arrived case (3000 committed, one returnee departed): its reinstallation grant
      paid 400 in cash today and 300 by mobile money 40 days on, 200 approved and not
      paid; its reintegration grant paid 1000 by bank transfer today (approved by pia),
      900 rejected and 600 awaiting approval;
    - an approved case (3000 committed);
    - a case approved and then withdrawn before its handover (its commitment released);

    then the budget lowered to 5000: committed 6000, over budget by 1000."""
    programme = packaged(world, code, budget="10000", components=PACKAGE, max_cases=10,
                         approval_threshold=Decimal("500"))
    first = arrived(world, programme)
    today = timezone.localdate()
    reinstallation = awarded(world, first, "reinstallation")
    reintegration = awarded(world, first, "reintegration")
    request(reinstallation, world.rita, "400", method="cash", paid_on=today)
    request(reinstallation, world.rita, "200", method="voucher")
    big = request(reintegration, world.rita, "1000", method="bank_transfer")
    big = services.decide_disbursement(actor=world.pia, disbursement=big, approve=True,
                                       version=big.version)
    services.record_payment(actor=world.rita, disbursement=big, paid_on=today,
                            version=big.version)
    refused = request(reintegration, world.rita, "900", method="cash")
    services.decide_disbursement(actor=world.pia, disbursement=refused, approve=False,
                                 note="Not agreed", version=refused.version)
    request(reintegration, world.rita, "600", method="cash")
    second = approved_case(world, programme)
    third = approved_case(world, programme)
    transition_case(third, "withdrawn", actor=world.carla, reason="Changed their mind")
    later = today + datetime.timedelta(days=40)
    with time_machine.travel(later, tick=False):
        request(reinstallation, world.rita, "300", method="mobile_money", paid_on=later)
    programme.refresh_from_db()
    programme = set_package(actor=world.pia, programme=programme,
                            version=programme.version, fields={"budget": Decimal("5000")},
                            components=PACKAGE)
    return Money(programme, first, second, third, later)
