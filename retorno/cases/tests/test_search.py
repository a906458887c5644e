import pytest

from retorno.cases.services import transition_case
from retorno.testing.personas import open_case, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(world):
    return {
        "ahmed": open_case(world),
        "jose": open_case(world, person=person_data(
            given_name="José", family_name="Peña", given_name_original="",
            family_name_original="", nationality="AFG", date_of_birth=None)),
        "olena": open_case(world, person=person_data(
            given_name="Olena", family_name="Kovalenko", given_name_original="Олена",
            family_name_original="Коваленко", nationality="UKR")),
        "vienna": open_case(world, actor=world.otto, office=world.vienna),
    }


def _refs(client, query):
    page = client.get("/cases/", query).content.decode()
    return {ref for ref in ("DEU-", "AUT-") if ref in page}, page


@pytest.mark.parametrize("query,expected", [
    ("ahmed", "ahmed"), ("AL-RASH", "ahmed"), ("rashid ahm", "ahmed"),
    ("أحمد", "ahmed"), ("احمد", "ahmed"),            # hamza folded
    ("jose pena", "jose"), ("PEÑA", "jose"),          # accents either way
    ("олена", "olena"), ("КОВАЛ", "olena"),            # Cyrillic, case, partial
])
def test_it_finds_a_case_by_any_part_of_a_name_in_either_script(world, client, cases, query,
                                                                expected):
    client.force_login(world.carla)
    page = client.get("/cases/", {"q": query}).content.decode()
    found = {name for name, case in cases.items() if case.reference in page}
    assert found == {expected}


def test_it_never_shows_another_offices_cases(world, client, cases):
    client.force_login(world.carla)
    page = client.get("/cases/", {"q": "ahmed"}).content.decode()
    assert cases["ahmed"].reference in page
    assert cases["vienna"].reference not in page


def test_it_filters_by_reference_birth_date_nationality_and_status(world, client, cases):
    client.force_login(world.carla)
    transition_case(cases["olena"], "counselling", actor=world.carla)

    def found(**query):
        page = client.get("/cases/", query).content.decode()
        return {name for name, case in cases.items() if case.reference in page}

    assert found(reference=cases["jose"].reference.lower()) == {"jose"}
    assert found(date_of_birth="1990-05-17") == {"ahmed", "olena"}
    assert found(nationality="AFG") == {"jose"}
    assert found(status="counselling") == {"olena"}
    assert found(status="open") == {"ahmed", "jose", "olena"}
    assert found(q="ahmed", nationality="UKR") == set()


def test_it_paginates(world, client):
    for _ in range(27):
        open_case(world)
    client.force_login(world.carla)
    first = client.get("/cases/", {"q": "ahmed"}).content.decode()
    assert "27 cases found." in first and "Page 1 of 2" in first
    second = client.get("/cases/", {"q": "ahmed", "page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_it_returns_only_the_results_to_htmx(world, client, cases):
    client.force_login(world.carla)
    response = client.get("/cases/", {"q": "ahmed"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert cases["ahmed"].reference in response.content.decode()


def test_it_explains_an_empty_result(world, client, cases):
    client.force_login(world.carla)
    page = client.get("/cases/", {"q": "zzzz"}).content.decode()
    assert "No case matches" in page


def test_it_keeps_queries_constant_as_results_grow(world, client, django_assert_max_num_queries):
    for _ in range(10):
        open_case(world)
    client.force_login(world.carla)
    with django_assert_max_num_queries(8):
        client.get("/cases/", {"q": "ahmed"})
