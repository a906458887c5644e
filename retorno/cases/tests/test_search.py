from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from retorno.accounts.models import Office, User
from retorno.cases import search
from retorno.cases.services import transition_case
from retorno.demo import bulk
from retorno.people.models import Person
from retorno.people.services import register_person, update_person
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


def test_it_pages_without_counting_everything(world, client):
    for _ in range(27):
        open_case(world)
    client.force_login(world.carla)
    first = client.get("/cases/", {"q": "ahmed"}).content.decode()
    assert "Cases 1–25" in first and "found" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/cases/", {"q": "ahmed", "page": 2}).content.decode()
    assert "Cases 26–27 of 27" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    past = client.get("/cases/", {"q": "ahmed", "page": 3}).content.decode()
    assert "No more cases." in past
    assert client.get("/cases/", {"q": "ahmed", "page": "x"}).status_code == 200


def test_it_counts_what_fits_on_one_page(world, client, cases):
    client.force_login(world.carla)
    page = client.get("/cases/", {"q": "a"}).content.decode()
    assert "3 cases found." in page and "pager" not in page


@pytest.mark.parametrize("recent", [2, 1000])
def test_pages_hold_the_same_cases_as_the_whole_search(world, monkeypatch, recent):
    """Whether the page comes from the newest cases or from all matches (PostgreSQL)."""
    monkeypatch.setattr(search, "RECENT", recent)
    opened = [open_case(world, person=person_data(given_name=name)) for name in
              ("Zaid", "Ahmed", "Zainab", "Ahmed", "Zaid", "Ahmed", "Ahmed")]
    for filters in ({"q": "ahmed"}, {"q": "za"}, {"q": "zai"},
                    {"date_of_birth": opened[0].members.get().person.date_of_birth},
                    {"nationality": "IRQ"}, {}):
        everything = list(search.search_cases(world.carla, **filters).values_list("id",
                                                                                  flat=True))
        for offset in range(len(everything) + 1):
            found = search.find_cases(world.carla, offset=offset, limit=2, **filters)
            assert found.ids == everything[offset:offset + 2], (filters, offset)
            assert found.has_next == (len(everything) > offset + 2), (filters, offset)


@pytest.mark.parametrize("query,expected", [
    ("ko", {"olena"}),                  # a two-letter word has no trigram: LIKE
    ("al rash", {"ahmed"}),             # short and long words together
    ("ahmed ko", set()),                # every word in the same person
    ('ahm"ed', set()), ('"ahmed"', set()), ("ahmed*", set()), ("ahmed OR jose", set()),
    ("NEAR(ahmed", set()), ("^ahmed", set()),   # no query syntax
    ("-ahmed", {"ahmed"}),              # hyphens separate words
    ("الرشيد", {"ahmed"}), ("ахмед", set()), ("КОВАЛЕНКО", {"olena"}),
])
def test_words_match_as_plain_text(world, client, cases, query, expected):
    client.force_login(world.carla)
    response = client.get("/cases/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert {name for name, case in cases.items() if case.reference in page} == expected


def test_a_changed_name_is_found_under_the_new_name_only(world, client, cases):
    person = cases["jose"].members.get().person
    update_person(actor=world.carla, person=person, version=person.version,
                  data={"family_name": "Quispe", "family_name_original": "Кіспе"})
    client.force_login(world.carla)

    def found(q):
        page = client.get("/cases/", {"q": q}).content.decode()
        return {name for name, case in cases.items() if case.reference in page}

    assert found("quisp") == {"jose"} and found("кісп") == {"jose"}
    assert found("peña") == set()
    assert [p.pk for p in search.search_people(world.carla, q="jose quispe")] == [person.pk]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_the_sqlite_index_follows_every_write(world, cases):
    person = cases["olena"].members.get().person
    Person.objects.filter(pk=person.pk).update(search_text="olena shevchenko")
    gone = register_person(actor=world.carla, office=world.offices["berlin"],
                           data=person_data(given_name="Zeynep", family_name="Arslan"))
    assert search.search_people(world.carla, q="arslan").get() == gone
    gone.delete()
    with connection.cursor() as cursor:
        # Compares the index with the people table; raises if they differ.
        cursor.execute("INSERT INTO people_person_fts(people_person_fts, rank) "
                       "VALUES ('integrity-check', 1)")
    assert [p.pk for p in search.search_people(world.carla, q="shevch")] == [person.pk]
    assert not search.search_people(world.carla, q="kovalenko").exists()
    assert not search.search_people(world.carla, q="arslan").exists()


def test_the_nationality_list_shows_the_choice_in_the_language(world, client):
    # The list is rendered once per language and choice, then remembered.
    client.force_login(world.carla)
    for _ in range(2):
        chosen = client.get("/cases/", {"nationality": "UKR"}).content.decode()
        assert '<option value="UKR" selected>' in chosen
        plain = client.get("/cases/").content.decode()
        assert '<option value="UKR">' in plain and 'value="UKR" selected' not in plain
    client.post("/accounts/language/", {"language": "fr", "next": "/"})
    french = client.get("/cases/", {"nationality": "UKR"}).content.decode()
    assert '<option value="">Indifférent</option>' in french
    assert '<option value="UKR" selected>' in french


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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_a_bulk_load_leaves_the_sqlite_index_complete(monkeypatch):
    monkeypatch.setattr(bulk, "TRIGRAM_THRESHOLD", 0)  # suspend the index, rebuild it
    call_command("seed_demo", cases=5, people=600, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO people_person_fts(people_person_fts, rank) "
                       "VALUES ('integrity-check', 1)")
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                       "AND name LIKE 'people_person_fts%'")
        assert cursor.fetchone()[0] == 3
    person = Person.objects.order_by("-id").first()
    ahmed = register_person(actor=User.objects.get(username="berlin.caseworker"),
                            office=Office.objects.get(code="deu-berlin"), data=person_data())
    assert Person.objects.filter(search.name_filter(person.search_text)).filter(
        pk=person.pk).exists()
    assert Person.objects.filter(search.name_filter("al-rashid")).filter(pk=ahmed.pk).exists()
