"""Partners, partner users and referrals for the partner tests, through the real services."""

from typing import Any

from retorno.accounts.services import create_user
from retorno.cases.models import Case
from retorno.partners.models import Partner, Referral
from retorno.partners.services import create_partner_user
from retorno.reintegration.models import ItemKind
from retorno.testing.personas import PASSWORD, World, add_partner, open_case, refer

ALL_SERVICES = tuple(ItemKind.values)


def second_partner(world: World, username: str = "pete") -> tuple[Partner, Any]:
    """The Basra Legal Aid centre, kept by Baghdad, offering every service, with its own
    user `pete`."""
    partner = add_partner(world.rita, world.baghdad, name="Basra Legal Aid",
                          services=ALL_SERVICES)
    user = create_partner_user(actor=world.rita, partner=partner, username=username,
                               password=PASSWORD, first_name=username.title())
    return partner, user


def every_service_partner(world: World, name: str = "Everything Centre") -> Partner:
    return add_partner(world.pia, world.baghdad, name=name, services=ALL_SERVICES)


def berlin_case(world: World, **person: Any) -> Case:
    """A Berlin case (not handed over): its supervisor `sam` refers (reintegration.record
    in the host office)."""
    from retorno.testing.personas import person_data

    return open_case(world, person=person_data(phone="+4915112345678", **person))


def referred(world: World, case: Case | None = None, partner: Partner | None = None,
             service: str = "business") -> Referral:
    case = case or berlin_case(world)
    return refer(world, case, partner=partner, service=service, actor=world.sam)


def staff_user(username: str) -> Any:
    return create_user(username=username, password=PASSWORD, check_password=False)

