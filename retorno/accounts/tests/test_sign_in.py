import pytest
from django.contrib.auth.hashers import identify_hasher

from retorno.accounts.services import create_user
from retorno.lib.errors import Invalid
from retorno.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_out(world, client):
    response = client.post("/accounts/login/", {"username": "carla", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "My work" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_it_refuses_a_wrong_password_with_a_clear_message(world, client):
    response = client.post("/accounts/login/", {"username": "carla", "password": "nope"})
    assert "match. Please try again." in response.content.decode()


def test_it_hashes_passwords_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = create_user(username="new", password="a long enough passphrase")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_it_enforces_the_password_rules(db):
    with pytest.raises(Invalid) as exc:
        create_user(username="weak", password="password")
    assert "This password is too short. It must contain at least 12 characters." in (
        exc.value.messages)


def test_it_serves_the_chosen_language(world, client):
    client.force_login(world.carla)
    client.post("/accounts/language/", {"language": "fr", "next": "/"})
    assert client.session["retorno_language"] == "fr"
    assert 'lang="fr"' in client.get("/").content.decode()


def test_it_starts_the_session_in_the_users_preferred_language(world, client):
    world.carla.language = "ar"
    world.carla.save(update_fields=["language"])
    client.post("/accounts/login/", {"username": "carla", "password": PASSWORD})
    page = client.get("/").content.decode()
    assert 'lang="ar" dir="rtl"' in page


def test_it_shows_the_pages_in_french(world, client):
    client.force_login(world.carla)
    client.post("/accounts/language/", {"language": "fr", "next": "/"})
    page = client.get("/").content.decode()
    assert "Mon travail" in page and "My work" not in page
