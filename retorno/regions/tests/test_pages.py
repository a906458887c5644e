"""The regions pages: the list for statistics readers, the forms for programme managers."""

import pytest
from django.urls import reverse

from retorno.privacy.models import AuditEvent, AuditType
from retorno.regions.models import Region
from retorno.regions.services import create_region

pytestmark = pytest.mark.django_db

LIST = "/regions/"


def mena(world) -> Region:
    return create_region(actor=world.pia, data={
        "code": "mena", "name": "Middle East and North Africa",
        "countries": ["IRQ", "SYR", "MAR"]})


@pytest.mark.parametrize("who", ["sam", "emil", "stella", "pia", "vera"])
def test_statistics_readers_see_the_regions_with_country_names(world, client, who):
    mena(world)
    client.force_login(world.users[who])
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    organisation, m49 = body.split('id="m49-heading"')
    assert "Middle East and North Africa" in organisation
    assert "Iraq <span class=\"muted\">(IRQ)</span>, Morocco" in organisation
    assert (reverse("regions:edit", args=["mena"]) in organisation) == (who == "pia")
    assert (reverse("regions:new") in body) == (who == "pia")
    # The M49 table: region, sub-region (or intermediate region), countries.
    assert "Western Asia" in m49 and "Western Africa" in m49 and "Sub-Saharan" not in m49
    assert "Nigeria <span class=\"muted\">(NGA)</span>" in m49


def test_the_list_speaks_the_readers_language(world, client):
    mena(world)
    client.force_login(world.stella)
    body = client.get(LIST, headers={"accept-language": "fr"}).content.decode()
    assert "Maroc <span" in body and "Syrienne, République arabe <span" in body


@pytest.mark.parametrize("who", ["carla", "rita", "dana", "paul", "otto", "tariq"])
def test_others_are_refused(world, client, who):
    client.force_login(world.users[who])
    assert client.get(LIST).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (LIST, "/regions/new/", "/regions/mena/edit/", "/regions/mena/delete/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["sam", "emil", "stella", "carla"])
def test_only_programme_managers_open_the_forms(world, client, who):
    mena(world)
    client.force_login(world.users[who])
    for url in ("/regions/new/", "/regions/mena/edit/", "/regions/mena/delete/"):
        assert client.get(url).status_code == 403
    assert client.post("/regions/mena/delete/", {"version": 1}).status_code == 403
    assert Region.objects.exists()


def test_a_programme_manager_creates_a_region_through_the_form(world, client):
    client.force_login(world.pia)
    assert client.get("/regions/new/").status_code == 200
    response = client.post("/regions/new/", {"code": "WCA", "name": "West and Central Africa",
                                             "countries": "nga, SEN;GMB  NER"})
    assert response.status_code == 302 and response["Location"] == LIST
    region = Region.objects.get()
    assert (region.code, region.countries) == ("wca", ["GMB", "NER", "NGA", "SEN"])
    assert "Region created." in client.get(LIST).content.decode()


def test_the_form_says_what_is_wrong_and_saves_nothing(world, client):
    mena(world)
    client.force_login(world.pia)
    response = client.post("/regions/new/", {"code": "asia", "name": "Asia",
                                             "countries": "AFG, IRQ, XXX"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Unknown country codes: XXX." in body
    assert Region.objects.count() == 1
    response = client.post("/regions/new/", {"code": "asia", "name": "Asia",
                                             "countries": "AFG, IRQ"})
    assert response.status_code == 422
    assert ("Iraq (IRQ) is already in the region “Middle East and North Africa”"
            in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”"))


def test_a_programme_manager_changes_a_region(world, client):
    mena(world)
    client.force_login(world.pia)
    url = reverse("regions:edit", args=["mena"])
    page = client.get(url).content.decode()
    assert ">\nIRQ, MAR, SYR</textarea>" in page
    assert 'name="code"' not in page  # the code is permanent
    response = client.post(url, {"name": "MENA", "countries": "IRQ, EGY", "version": 1})
    assert response.status_code == 302
    region = Region.objects.get()
    assert (region.name, region.countries, region.version) == ("MENA", ["EGY", "IRQ"], 2)


def test_someone_else_saved_first(world, client):
    mena(world)
    client.force_login(world.pia)
    url = reverse("regions:edit", args=["mena"])
    client.post(url, {"name": "MENA", "countries": "IRQ", "version": 1})
    response = client.post(url, {"name": "Mashreq", "countries": "IRQ, SYR", "version": 1})
    assert response.status_code == 422
    assert "Someone else changed this record after you opened it" in response.content.decode()
    assert Region.objects.get().name == "MENA"


def test_an_unknown_region_is_not_found(world, client):
    client.force_login(world.pia)
    assert client.get("/regions/nowhere/edit/").status_code == 404
    assert client.get("/regions/nowhere/delete/").status_code == 404


def test_deleting_asks_first_then_deletes(world, client):
    mena(world)
    client.force_login(world.pia)
    url = reverse("regions:delete", args=["mena"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Its 3 countries will then be in no organisation region" in page.content.decode()
    assert Region.objects.exists()  # a GET deletes nothing
    response = client.post(url, {"version": 2})
    assert response.status_code == 422 and Region.objects.exists()
    response = client.post(url, {"version": 1})
    assert response.status_code == 302 and not Region.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditType.REGION_CHANGED,
                                     extra__action="deleted").count() == 1
