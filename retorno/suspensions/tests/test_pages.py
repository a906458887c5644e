"""The suspensions pages and the navigation link."""

import pytest
from django.urls import reverse

from retorno.suspensions.models import ReturnSuspension
from retorno.suspensions.tests.builders import in_days, suspend
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


def test_the_list_shows_active_scheduled_and_past_suspensions(world, client):
    suspend(world, reason="Airport closed")
    suspend(world, subdivision="IQ-BG", starts_on=in_days(5), reason="Elections")
    lifted = suspend(world, country="AFG", reason="Checkpoint closures")
    client.force_login(world.sam)
    client.post(reverse("suspensions:lift", args=[lifted.pk]),
                {"reason": "Checkpoints reopened", "version": lifted.version})
    client.force_login(world.carla)
    body = client.get(reverse("suspensions:list")).content.decode()
    current, past = body.split('id="past-heading"')
    assert "Airport closed" in current and "Elections" in current
    assert "Baghdād (IQ-BG), Iraq" in current and "scheduled" in current
    assert "Checkpoint closures" in past and "Checkpoints reopened" in past
    assert reverse("suspensions:new") not in body  # carla may not manage
    assert f'href="{reverse("suspensions:list")}"' in body  # the navigation link


def test_the_navigation_link_is_for_those_who_read_cases(world, client):
    client.force_login(world.stella)
    body = client.get(reverse("cases:my_work")).content.decode()
    assert reverse("suspensions:list") not in body
    assert client.get(reverse("suspensions:list")).status_code == 403


def test_a_programme_manager_sets_a_suspension_through_the_form(world, client):
    client.force_login(world.pia)
    response = client.post(reverse("suspensions:new"), {
        "country": "IRQ", "subdivision": "iq-ni", "reason": "Floods",
        "starts_on": in_days(0).isoformat(), "ends_on": ""})
    assert response.status_code == 302
    suspension = ReturnSuspension.objects.get()
    assert (suspension.subdivision, suspension.set_by) == ("IQ-NI", world.pia)


def test_the_form_says_what_is_wrong_and_saves_nothing(world, client):
    client.force_login(world.sam)
    response = client.post(reverse("suspensions:new"), {
        "country": "IRQ", "subdivision": "SY-DI", "reason": "Floods",
        "starts_on": in_days(3).isoformat(), "ends_on": in_days(1).isoformat()})
    assert response.status_code == 422
    body = response.content.decode()
    assert "SY-DI (Dimashq) is not in Iraq." in body
    assert "A suspension cannot end before it starts." in body
    assert not ReturnSuspension.objects.exists()


def test_lifting_needs_a_reason_and_the_right_role(world, client):
    suspension = suspend(world)
    url = reverse("suspensions:lift", args=[suspension.pk])
    client.force_login(world.carla)
    assert client.get(url).status_code == 403
    client.force_login(world.vera)
    response = client.post(url, {"reason": "", "version": suspension.version})
    assert response.status_code == 422
    response = client.post(url, {"reason": "Calm", "version": suspension.version + 1})
    assert response.status_code == 422 and "Someone else changed" in response.content.decode()
    suspension.refresh_from_db()
    assert suspension.lifted_at is None
    assert client.post(url, {"reason": "Calm", "version": 1}).status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_by == world.vera


def test_the_case_form_takes_a_destination_subdivision(world, client):
    case = open_case(world)
    client.force_login(world.carla)
    url = reverse("cases:edit", args=[case.reference])
    form = {"destination_country": "IRQ", "destination_subdivision": "SY-DI",
            "programme": world.programme.pk, "origin_office": world.baghdad.pk,
            "version": case.version}
    response = client.post(url, form)
    assert response.status_code == 422
    assert "SY-DI (Dimashq) is not in Iraq." in response.content.decode()
    response = client.post(url, {**form, "destination_subdivision": "iq-bg"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.destination_subdivision == "IQ-BG"
    assert "IQ-BG" in client.get(reverse("cases:detail", args=[case.reference])).content.decode()
