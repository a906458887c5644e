"""Creating, changing and deleting regions: who may, what is refused and why, the
concurrency check and the audit log."""

import pytest
from django.utils.translation import override

from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.regions import lookup, services
from retorno.regions.models import Region, RegionCountry
from retorno.regions.services import create_region, delete_region, update_region

pytestmark = pytest.mark.django_db


def mena(world, **overrides) -> Region:
    data = {"code": "mena", "name": "Middle East and North Africa",
            "countries": ["IRQ", "SYR", "MAR"], **overrides}
    return create_region(actor=world.pia, data=data)


def events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=AuditType.REGION_CHANGED).order_by("id"))


def test_a_programme_manager_creates_a_region(world):
    region = mena(world, code=" MENA ", name=" Middle East and North Africa ",
                  countries=["syr", "IRQ", "MAR", "IRQ"])
    region.refresh_from_db()
    assert (region.code, region.name) == ("mena", "Middle East and North Africa")
    assert region.countries == ["IRQ", "MAR", "SYR"]  # upper-cased, once each, sorted
    assert (region.version, region.updated_by) == (1, world.pia)
    assert sorted(RegionCountry.objects.values_list("country", flat=True)) == [
        "IRQ", "MAR", "SYR"]
    [event] = events()
    assert (event.actor, event.office_id, event.case_id) == (world.pia, None, None)
    assert event.target_type == "region" and event.target_id == region.pk
    assert event.extra["action"] == "created"
    assert event.extra["new"]["countries"] == ["IRQ", "MAR", "SYR"]


@pytest.mark.parametrize("who", ["sam", "emil", "stella", "carla", "vera"])
def test_only_programme_managers_change_regions(world, who):
    region = mena(world)
    user = world.users[who]
    with pytest.raises(NotAllowed):
        create_region(actor=user, data={"code": "eea", "name": "EEA", "countries": ["DEU"]})
    with pytest.raises(NotAllowed):
        update_region(actor=user, region=region, data={"name": "MENA"}, version=1)
    with pytest.raises(NotAllowed):
        delete_region(actor=user, region=region, version=1)
    assert Region.objects.get().name == "Middle East and North Africa"
    assert len(events()) == 1


def test_it_names_every_unknown_country_code_at_once(world):
    with pytest.raises(Invalid) as refused, override("en"):
        mena(world, countries=["IRQ", "XYZ", "ABC"], name="")
    messages = refused.value.messages
    assert ("Unknown country codes: ABC, XYZ. Use ISO 3166-1 alpha-3 codes, such as IRQ "
            "for Iraq.") in messages
    assert "name" in refused.value.field_errors  # the empty name too
    assert not Region.objects.exists() and not events()


def test_a_region_needs_a_country_and_a_proper_code(world):
    with pytest.raises(Invalid) as refused, override("en"):
        mena(world, countries=[], code="middle east")
    assert "Choose at least one country." in refused.value.field_errors["countries"]
    assert "code" in refused.value.field_errors
    assert not Region.objects.exists()


def test_a_country_already_in_another_region_is_refused_naming_that_region(world):
    mena(world)
    with pytest.raises(Invalid) as refused, override("en"):
        create_region(actor=world.pia, data={
            "code": "asia", "name": "Asia", "countries": ["AFG", "IRQ", "SYR"]})
    assert refused.value.messages == [
        "Iraq (IRQ) is already in the region “Middle East and North Africa”: a country "
        "belongs to one region at most.",
        "Syrian Arab Republic (SYR) is already in the region “Middle East and North "
        "Africa”: a country belongs to one region at most."]
    assert Region.objects.count() == 1 and len(events()) == 1


def test_codes_and_names_are_unique(world):
    mena(world)
    with pytest.raises(Invalid) as refused, override("en"):
        create_region(actor=world.pia, data={"code": "mena", "name": "middle east AND north "
                                             "africa", "countries": ["EGY"]})
    assert refused.value.field_errors == {
        "code": ["There is already a region with the code “mena”."]}
    with pytest.raises(Invalid) as refused, override("en"):
        create_region(actor=world.pia, data={"code": "mena2", "name": "middle east AND north "
                                             "africa", "countries": ["EGY"]})
    assert refused.value.field_errors == {
        "name": ["There is already a region named “middle east AND north africa”."]}


def test_the_database_keeps_a_country_in_one_region_when_two_save_at_once(world, monkeypatch):
    mena(world)
    # The other save's check ran before this one committed: only the database sees it.
    monkeypatch.setattr(services, "_not_elsewhere", lambda codes, region: None)
    with pytest.raises(Invalid) as refused, override("en"):
        create_region(actor=world.pia, data={"code": "asia", "name": "Asia",
                                             "countries": ["AFG", "IRQ"]})
    assert "Someone else has just put one of these countries" in refused.value.messages[0]
    assert list(Region.objects.values_list("code", flat=True)) == ["mena"]
    assert not RegionCountry.objects.filter(country="AFG").exists() and len(events()) == 1


def test_changing_a_region_moves_its_countries_and_records_old_and_new(world):
    region = mena(world)
    region = update_region(actor=world.pia, region=region, version=1, data={
        "name": "MENA", "countries": ["IRQ", "EGY", "JOR"]})
    region.refresh_from_db()
    assert (region.name, region.countries, region.version) == (
        "MENA", ["EGY", "IRQ", "JOR"], 2)
    assert set(RegionCountry.objects.values_list("country", flat=True)) == {
        "EGY", "IRQ", "JOR"}
    assert set(lookup.organisation_region_of()) == {"EGY", "IRQ", "JOR"}
    event = events()[-1]
    assert event.extra["action"] == "changed" and event.extra["code"] == "mena"
    assert event.extra["old"] == {"name": "Middle East and North Africa",
                                  "countries": ["IRQ", "MAR", "SYR"]}
    assert event.extra["new"] == {"name": "MENA", "countries": ["EGY", "IRQ", "JOR"]}
    # Syria is free again: another region may take it.
    create_region(actor=world.pia, data={"code": "levant", "name": "Levant",
                                         "countries": ["SYR"]})


def test_a_region_keeps_its_own_countries_when_changed(world):
    region = mena(world)
    update_region(actor=world.pia, region=region, version=1,
                  data={"countries": ["IRQ", "SYR", "MAR", "TUN"]})
    assert Region.objects.get().countries == ["IRQ", "MAR", "SYR", "TUN"]


def test_its_code_cannot_be_changed(world):
    region = mena(world)
    with pytest.raises(Invalid):
        update_region(actor=world.pia, region=region, version=1, data={"code": "x"})


def test_a_stale_version_saves_nothing(world):
    region = mena(world)
    update_region(actor=world.pia, region=Region.objects.get(), version=1,
                  data={"name": "MENA"})
    with pytest.raises(StaleVersion) as refused, override("en"):
        update_region(actor=world.pia, region=region, version=1,
                      data={"countries": ["IRQ"]})
    assert "Someone else changed this record" in refused.value.messages[0]
    fresh = Region.objects.get()
    assert (fresh.name, fresh.countries, fresh.version) == ("MENA", ["IRQ", "MAR", "SYR"], 2)
    assert RegionCountry.objects.count() == 3
    with pytest.raises(StaleVersion):
        delete_region(actor=world.pia, region=fresh, version=1)
    assert Region.objects.exists()


def test_nothing_changed_writes_nothing(world):
    region = mena(world)
    update_region(actor=world.pia, region=region, version=1,
                  data={"name": "Middle East and North Africa", "countries": ["SYR", "IRQ",
                                                                              "MAR"]})
    assert Region.objects.get().version == 1 and len(events()) == 1


def test_deleting_a_region_frees_its_countries_and_is_audited(world):
    region = mena(world)
    delete_region(actor=world.pia, region=region, version=1)
    assert not Region.objects.exists() and not RegionCountry.objects.exists()
    event = events()[-1]
    assert event.extra["action"] == "deleted"
    assert event.extra["old"]["code"] == "mena"
    assert event.extra["old"]["countries"] == ["IRQ", "MAR", "SYR"]
    assert lookup.organisation_region_of() == {}
