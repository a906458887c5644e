import pytest

from retorno.cases.models import Case, CaseMember, TimelineEntry
from retorno.cases.services import (
    add_member,
    assign_case,
    open_case,
    register_and_open_case,
    transition_case,
    update_case,
)
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.people.models import Person
from retorno.people.services import register_person
from retorno.privacy.models import AuditEvent
from retorno.testing.personas import WORLD_EVENTS, person_data
from retorno.testing.personas import open_case as open_demo_case

pytestmark = pytest.mark.django_db

MEMBER = {"category": "irregular", "vulnerabilities": []}


def test_it_refuses_to_open_a_case_in_an_office_the_actor_does_not_work_in(world):
    with pytest.raises(NotAllowed):
        register_and_open_case(actor=world.carla, office=world.vienna, person=person_data(),
                               member=MEMBER, case={"destination_country": "IRQ"})
    assert not Person.objects.exists() and not Case.objects.exists()


def test_it_writes_nothing_when_the_case_is_invalid(world):
    with pytest.raises(Invalid) as exc:
        register_and_open_case(actor=world.carla, office=world.berlin, person=person_data(),
                               member={"category": "astronaut", "vulnerabilities": []},
                               case={"destination_country": "ZZZ"})
    assert set(exc.value.field_errors) == {"category", "destination_country"}
    assert not Person.objects.exists()  # the person registered first was rolled back
    assert not AuditEvent.objects.exclude(event_type__in=WORLD_EVENTS).exists()


def test_it_refuses_unknown_fields(world):
    with pytest.raises(Invalid, match="Unknown fields: status"):
        register_and_open_case(actor=world.carla, office=world.berlin, person=person_data(),
                               member=MEMBER, case={"destination_country": "IRQ",
                                                    "status": "closed"})


def test_it_refuses_a_person_the_actor_cannot_see(world):
    vienna_person = register_person(actor=world.otto, office=world.vienna, data=person_data())
    with pytest.raises(NotAllowed):
        open_case(actor=world.carla, office=world.berlin, principal=vienna_person,
                  member=MEMBER, case={"destination_country": "IRQ"})


def test_it_assigns_the_opening_caseworker_but_not_a_supervisor(world):
    assert open_demo_case(world).assignee == world.carla
    assert open_demo_case(world, actor=world.sam).assignee is None


def test_it_refuses_changes_from_read_only_roles_and_to_closed_cases(world):
    case = open_demo_case(world)
    with pytest.raises(NotAllowed):
        update_case(actor=world.max, case=case, data={"destination_area": "Basra"},
                    version=case.version)
    transition_case(case, "withdrawn", actor=world.carla, reason="Changed their mind")
    with pytest.raises(Invalid, match="can no longer be changed"):
        update_case(actor=world.carla, case=case, data={"destination_area": "Basra"},
                    version=case.version)


def test_it_refuses_a_stale_update_and_keeps_the_first(world):
    case = open_demo_case(world)
    stale = Case.objects.get(pk=case.pk)
    update_case(actor=world.carla, case=case, data={"destination_area": "Basra"},
                version=case.version)
    with pytest.raises(StaleVersion):
        update_case(actor=world.carla, case=stale, data={"destination_area": "Mosul"},
                    version=stale.version)
    assert Case.objects.get(pk=case.pk).destination_area == "Basra"


def test_it_refuses_a_transition_when_someone_else_moved_the_case_meanwhile(world):
    case = open_demo_case(world)
    stale = Case.objects.get(pk=case.pk)
    transition_case(case, "withdrawn", actor=world.carla, reason="Staying")
    with pytest.raises(Exception, match="Someone else changed this case's status"):
        transition_case(stale, "counselling", actor=world.carla)
    assert TimelineEntry.objects.filter(case=case, kind="transition").count() == 1


def test_it_lets_only_supervisors_assign_and_only_to_staff_of_the_office(world):
    case = open_demo_case(world)
    with pytest.raises(NotAllowed):
        assign_case(actor=world.carla, case=case, assignee=world.sam, version=case.version)
    with pytest.raises(Invalid, match="is not a caseworker of Berlin"):
        assign_case(actor=world.sam, case=case, assignee=world.otto, version=case.version)
    assign_case(actor=world.sam, case=case, assignee=None, version=case.version)
    assert Case.objects.get(pk=case.pk).assignee is None


def test_it_allows_one_principal_only(world):
    case = open_demo_case(world)
    other = register_person(actor=world.carla, office=world.berlin,
                            data=person_data(given_name="Omar"))
    with pytest.raises(Invalid, match="one principal applicant"):
        add_member(actor=world.carla, case=case, person=other,
                   member={"relationship": "principal", **MEMBER})
    assert CaseMember.objects.filter(case=case).count() == 1


def test_it_numbers_references_without_gaps_or_repeats(world):
    references = [open_demo_case(world).reference for _ in range(5)]
    assert [r[-6:] for r in references] == ["000001", "000002", "000003", "000004", "000005"]
