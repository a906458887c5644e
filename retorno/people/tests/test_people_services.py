import datetime

import pytest

from retorno.lib.errors import Invalid, NotAllowed
from retorno.people.duplicates import possible_duplicates
from retorno.people.services import register_person, update_person
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import person_data

pytestmark = pytest.mark.django_db


def test_it_registers_and_audits_with_the_values_entered(world):
    person = register_person(actor=world.carla, office=world.berlin, data=person_data())
    event = AuditEvent.objects.get(event_type=AuditType.PERSON_CREATED)
    assert (event.actor, event.office, event.target_id) == (world.carla, world.berlin,
                                                            person.pk)
    assert event.extra["new"]["given_name_original"] == "أحمد"
    assert event.extra["new"]["date_of_birth"] == "1990-05-17"


def test_it_folds_every_name_for_search(world):
    person = register_person(actor=world.carla, office=world.berlin, data=person_data(
        given_name="José", family_name="Peña", aliases="Pepe"))
    # Lower case, no accents, hamza on the alef folded away.
    assert person.search_text == "jose pena احمد الرشيد pepe"


def test_it_refuses_roles_that_may_not_register(world):
    for persona in ("max", "paul", "stella", "otto"):
        with pytest.raises(NotAllowed):
            register_person(actor=world.users[persona], office=world.berlin,
                            data=person_data())


def test_it_validates_codes(world):
    with pytest.raises(Invalid) as exc:
        register_person(actor=world.carla, office=world.berlin,
                        data=person_data(nationality="XXX", languages=["arb", "zz"]))
    assert exc.value.field_errors == {
        "nationality": ["XXX is not an ISO 3166 country code."],
        "languages": ["zz is not an ISO 639-3 language code."],
    }


def test_it_writes_nothing_and_audits_nothing_when_nothing_changed(world):
    person = register_person(actor=world.carla, office=world.berlin, data=person_data())
    update_person(actor=world.carla, person=person, data={"given_name": "Ahmed"},
                  version=person.version)
    assert person.version == 1
    assert not AuditEvent.objects.filter(event_type=AuditType.PERSON_CHANGED).exists()


@pytest.mark.parametrize("typed,found", [
    ({"given_name": "Ahmad", "family_name": "Al Rashid"}, True),
    ({"given_name": "Rashid", "family_name": "Ahmed"}, True),          # order swapped
    ({"given_name": "", "family_name": "", "given_name_original": "احمد",
      "family_name_original": "الرشيد"}, True),                        # the other script
    ({"given_name": "Olena", "family_name": "Kovalenko"}, False),
])
def test_it_finds_possible_duplicates_by_birth_date_and_similar_name(world, typed, found):
    register_person(actor=world.carla, office=world.berlin, data=person_data())
    data = {"given_name_original": "", "family_name_original": "",
            "date_of_birth": datetime.date(1990, 5, 17), **typed}
    assert bool(possible_duplicates(world.carla, data)) is found


def test_it_matches_an_approximate_birth_date_by_year(world):
    register_person(actor=world.carla, office=world.berlin, data=person_data(
        date_of_birth=datetime.date(1990, 1, 1), date_of_birth_approximate=True))
    data = {"given_name": "Ahmed", "family_name": "Al-Rashid",
            "date_of_birth": datetime.date(1990, 5, 17)}
    assert possible_duplicates(world.carla, data)
    assert not possible_duplicates(world.carla, {**data,
                                                 "date_of_birth": datetime.date(1991, 5, 17)})
