import pytest
from django.core.management import CommandError, call_command

from retorno.accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def test_it_creates_a_user_with_a_role(world, monkeypatch, capsys):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "a long enough passphrase")
    call_command("add_staff", "nadia", office="deu-ber", role="caseworker")
    user = User.objects.get(username="nadia")
    assert Membership.objects.filter(user=user, office=world.berlin,
                                     role=Role.CASEWORKER).exists()
    assert "nadia is Return counsellor / caseworker in Berlin." in capsys.readouterr().out


def test_it_adds_a_role_to_an_existing_user(world):
    call_command("add_staff", "carla", office="irq-bgw", role="reintegration_officer")
    assert world.carla.memberships.count() == 2


def test_it_explains_a_weak_password_and_an_unknown_office(world, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt: "short")
    with pytest.raises(CommandError, match="too short"):
        call_command("add_staff", "nadia", office="deu-ber", role="caseworker")
    with pytest.raises(CommandError, match="No office with code 'nowhere'"):
        call_command("add_staff", "nadia", office="nowhere", role="caseworker")
    assert not User.objects.filter(username="nadia").exists()
