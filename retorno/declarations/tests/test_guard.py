import datetime

import pytest

from retorno.cases import services as case_services
from retorno.cases.models import Status
from retorno.cases.services import transition_case
from retorno.counselling.services import record_session
from retorno.declarations.tests.builders import printed, signed
from retorno.lib.errors import GuardsFailed
from retorno.privacy.models import ConsentPurpose
from retorno.testing.personas import (
    open_case,
    person_data,
    prepare_application,
    record_consents,
)

pytestmark = pytest.mark.django_db

MISSING = ("Print the voluntary return declaration, have it signed, and record the signed "
           "copy under “Voluntary return declaration” on the case page.")


def _counselled(world):
    """A case in counselling with everything the application needs but the declaration:
    consent to processing, and a session after which the person wishes to return."""
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    record_consents(world, case, ConsentPurpose.PROCESSING)
    record_session(actor=world.carla, case=case, data={
        "date": datetime.date(2026, 3, 2), "mode": "in_person", "language": "arb",
        "position": "wishes_to_return"})
    return case


def _unmet(world, case) -> list[str]:
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "applied", actor=world.carla)
    case.refresh_from_db()
    assert case.status == Status.COUNSELLING
    return exc.value.messages


def test_the_application_needs_a_signed_declaration(world):
    case = _counselled(world)
    assert _unmet(world, case) == [MISSING]
    printed(case, world.carla)
    assert _unmet(world, case) == [MISSING]  # printed is not signed
    signed(case, world.carla)
    transition_case(case, "applied", actor=world.carla)
    assert case.status == Status.APPLIED


def test_a_member_who_joined_after_printing_must_be_on_a_new_declaration(world):
    case = _counselled(world)
    signed(case, world.carla)
    case_services.register_and_add_member(
        actor=world.carla, case=case,
        person=person_data(given_name="Huda", given_name_original="هدى",
                           date_of_birth=datetime.date(1993, 8, 1)),
        member={"relationship": "spouse", "category": "asylum_rejected"})
    record_consents(world, case, ConsentPurpose.PROCESSING)
    assert _unmet(world, case) == [
        "The signed voluntary return declaration does not list Huda Al-Rashid (هدى الرشيد), "
        "who joined the case after it was printed. Print it again, have it signed, and "
        "record the signed copy under “Voluntary return declaration” on the case page."]
    # Printed again but not yet signed: the older signed one still counts, and falls short.
    printed(case, world.carla)
    assert len(_unmet(world, case)) == 1
    signed(case, world.carla)
    transition_case(case, "applied", actor=world.carla)
    assert case.status == Status.APPLIED


def test_resuming_an_application_checks_the_declaration_again(world):
    case = _counselled(world)
    signed(case, world.carla)
    transition_case(case, "applied", actor=world.carla)
    transition_case(case, "on_hold", actor=world.carla, reason="Waiting for the family")
    case_services.register_and_add_member(
        actor=world.carla, case=case,
        person=person_data(given_name="Huda", date_of_birth=datetime.date(1993, 8, 1)),
        member={"relationship": "spouse", "category": "asylum_rejected"})
    record_consents(world, case, ConsentPurpose.PROCESSING)
    with pytest.raises(GuardsFailed, match="does not list Huda"):
        transition_case(case, "resume", actor=world.carla)


def test_withdrawal_needs_nothing_but_a_reason_even_after_signing(world):
    case = _counselled(world)
    signed(case, world.carla)
    transition_case(case, "applied", actor=world.carla)
    transition_case(case, "withdrawn", actor=world.carla, reason="Changed their mind")
    assert case.status == Status.WITHDRAWN


def test_prepare_application_prints_and_signs_for_the_tests_that_need_it(world):
    case = open_case(world)
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    prepare_application(world, case)  # signed already: not again
    assert case.declarations.count() == 1 and case.declarations.get().is_signed
    transition_case(case, "applied", actor=world.carla)
    assert case.status == Status.APPLIED
