import datetime

import pytest
from django.utils import timezone

from retorno.accounts.models import Membership, Role
from retorno.cases.models import TimelineEntry
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.partners import minimum, policy, services
from retorno.partners.models import Partner, PartnerUser, Referral, ReferralStatus
from retorno.partners.tests.builders import (
    berlin_case,
    every_service_partner,
    referred,
    second_partner,
    staff_user,
)
from retorno.privacy.consent import record_consent, withdraw_consent
from retorno.privacy.models import AuditEvent, AuditType, Consent, ConsentPurpose
from retorno.reintegration.models import ItemKind
from retorno.testing.personas import PASSWORD, add_partner, refer

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _consent(world, case, person, name):
    return record_consent(actor=world.carla, case=case, person=person,
                          purpose=ConsentPurpose.PARTNER, partner_name=name,
                          given_on=TODAY(), form_version="C-1")


def _send(world, case, partner, service="business", actor=None, **kw):
    return services.send_referral(actor=actor or world.sam, case=case,
                                  person=case.principal.person, partner=partner,
                                  service=service, need="Needs a sewing machine.", **kw)


# ---- the world ------------------------------------------------------------------------------


def test_it_gives_the_world_a_partner_with_paul(world):
    partner = world.partner
    assert partner.name == "Baghdad Business Hub" and partner.country == "IRQ"
    assert partner.services == ["business", "vocational_training"]
    assert partner.office == world.baghdad
    assert services.valid_agreement(partner).valid_until == datetime.date(2099, 12, 31)
    assert policy.partner_of(world.paul) == partner
    assert policy.partner_of(world.rita) is None


# ---- the minimum fields ---------------------------------------------------------------------


def test_it_shares_exactly_the_minimum_fields_of_each_service(world):
    partner = every_service_partner(world)
    case = berlin_case(world)
    _consent(world, case, case.principal.person, partner.name)
    for service in ItemKind.values:
        referral = _send(world, case, partner, service=service)
        assert tuple(referral.shared) == minimum.MINIMUM[service], service
        assert referral.shared["name"] == case.principal.person.display_name
        assert referral.shared["age"] == services.timezone.localdate().year - 1990 - (
            (TODAY().month, TODAY().day) < (5, 17))
        assert referral.shared["sex"] == "M" and referral.shared["language"] == "arb"
        assert referral.shared["phone"] == "+4915112345678"
        assert referral.shared["need"] == "Needs a sewing machine."
        text = str(referral.shared)
        assert "1990-05-17" not in text and case.reference not in text
        assert "vulnerab" not in text and "date_of_birth" not in text
        event = AuditEvent.objects.get(event_type=AuditType.REFERRAL_SENT,
                                       target_id=referral.pk)
        assert event.extra["fields"] == list(minimum.MINIMUM[service])
        assert "Needs a sewing machine." not in str(event.extra)  # names, not values
        services.withdraw_referral(actor=world.sam, referral=referral,
                                   version=referral.version, reason="next")
    legal = Referral.objects.filter(service="legal").get()
    assert legal.shared["nationality"] == "IRQ"
    medical = Referral.objects.filter(service="medical").get()
    assert set(medical.shared) == set(minimum.COMMON)


def test_it_shares_where_the_person_lives_now(world):
    case = berlin_case(world)
    referral = referred(world, case)
    assert referral.shared["lives_in"] == "Iraq"
    case2 = berlin_case(world, given_name="Ali")
    from retorno.cases.services import update_case

    update_case(actor=world.carla, case=case2, data={"destination_area": "Karbala"},
                version=case2.version)
    assert referred(world, case2).shared["lives_in"] == "Karbala"


def test_it_records_the_referral_on_the_timeline_and_audit(world):
    referral = referred(world)
    entry = TimelineEntry.objects.filter(case=referral.case).order_by("-at", "-id").first()
    assert entry.summary == "Referred to Baghdad Business Hub for Business set-up"
    assert "sewing" not in entry.summary
    assert referral.status == ReferralStatus.SENT and referral.sent_by == world.sam
    assert referral.office == world.berlin
    assert referral.agreement == services.valid_agreement(world.partner)


# ---- the agreement ----------------------------------------------------------------------


def test_it_refuses_a_partner_without_a_valid_agreement(world):
    case = berlin_case(world)
    person = case.principal.person
    none = services.create_partner(actor=world.rita, office=world.baghdad, data={
        "name": "No Papers", "country": "IRQ", "services": ["business"]})
    expired = add_partner(world.rita, world.baghdad, name="Old Friends",
                          valid=(datetime.date(2020, 1, 1), datetime.date(2021, 6, 30)))
    future = TODAY() + datetime.timedelta(days=10)
    pending = add_partner(world.rita, world.baghdad, name="Soon",
                          valid=(future, datetime.date(2099, 1, 1)))
    for partner in (none, expired, pending):
        _consent(world, case, person, partner.name)
    with pytest.raises(Invalid) as exc:
        _send(world, case, none)
    assert exc.value.messages == ["No Papers has no signed data-sharing agreement."]
    with pytest.raises(Invalid) as exc:
        _send(world, case, expired)
    assert "The data-sharing agreement with Old Friends expired on 06/30/2021." in \
        exc.value.messages
    with pytest.raises(Invalid) as exc:
        _send(world, case, pending)
    assert "takes effect only on" in exc.value.messages[0]
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditType.REFERRAL_SENT).exists()


def test_it_refuses_a_service_the_partner_does_not_offer_and_an_inactive_partner(world):
    case = berlin_case(world)
    _consent(world, case, case.principal.person, world.partner.name)
    with pytest.raises(Invalid) as exc:
        _send(world, case, world.partner, service="legal")
    assert exc.value.field_errors["service"] == [
        "Baghdad Business Hub does not offer Legal help."]
    partner = world.partner
    services.update_partner(actor=world.rita, partner=partner, data={"active": False},
                            version=partner.version)
    with pytest.raises(Invalid) as exc:
        _send(world, case, partner)
    assert "Baghdad Business Hub is no longer an active partner." in exc.value.messages


# ---- consent ------------------------------------------------------------------------------


def test_it_refuses_without_consent_to_that_partner(world):
    case = berlin_case(world)
    person = case.principal.person
    with pytest.raises(Invalid) as exc:
        _send(world, case, world.partner)
    assert exc.value.field_errors["person"] == [
        "Ahmed Al-Rashid (أحمد الرشيد) has not consented to sharing their data with "
        "Baghdad Business Hub: record their consent first."]
    # Consent to another partner does not count.
    _consent(world, case, person, "Basra Legal Aid")
    with pytest.raises(Invalid):
        _send(world, case, world.partner)
    # Withdrawn consent does not count either.
    consent = _consent(world, case, person, "baghdad business hub")
    withdraw_consent(actor=world.carla, consent=consent, reason="changed mind")
    with pytest.raises(Invalid) as exc:
        _send(world, case, world.partner)
    assert "record their consent first" in exc.value.messages[0]
    assert not Referral.objects.exists()
    # Every problem at once.
    with pytest.raises(Invalid) as exc:
        services.send_referral(actor=world.sam, case=case, person=person,
                               partner=world.partner, service="legal", need=" ")
    assert set(exc.value.field_errors) == {"person", "service", "need"}


def test_it_withdraws_open_referrals_when_consent_is_withdrawn(world):
    case = berlin_case(world)
    open_one = referred(world, case)
    other = second_partner(world)[0]
    elsewhere = referred(world, case, partner=other, service="legal")
    done = referred(world, case, service="vocational_training")
    for step in ("accept", "service", "close"):
        done = _partner_step(world, done, step)
    consent = Consent.objects.get(partner_name=world.partner.name)
    withdraw_consent(actor=world.carla, consent=consent, reason="No longer wishes it")
    open_one.refresh_from_db()
    assert open_one.status == ReferralStatus.WITHDRAWN
    assert open_one.shared == {"name": case.principal.person.display_name}
    assert open_one.version == 2
    done.refresh_from_db()
    assert done.status == ReferralStatus.CLOSED and "need" in done.shared
    elsewhere.refresh_from_db()
    assert elsewhere.status == ReferralStatus.SENT and "need" in elsewhere.shared
    event = AuditEvent.objects.get(event_type=AuditType.REFERRAL_CHANGED,
                                   target_id=open_one.pk)
    assert event.extra["new"]["status"] == "withdrawn" and event.actor == world.carla
    assert TimelineEntry.objects.filter(
        case=case, summary__startswith="Referral to Baghdad Business Hub for Business "
                                       "set-up withdrawn: consent withdrawn").exists()


# ---- who refers ---------------------------------------------------------------------------


def test_it_lets_only_reintegration_staff_of_the_case_refer(world):
    case = berlin_case(world)
    _consent(world, case, case.principal.person, world.partner.name)
    for persona in ("carla", "rita", "otto", "paul", "pia"):
        with pytest.raises(NotAllowed):
            _send(world, case, world.partner, actor=world.users[persona])
    assert _send(world, case, world.partner).status == ReferralStatus.SENT


def test_it_refuses_the_same_open_referral_twice(world):
    case = berlin_case(world)
    referred(world, case)
    with pytest.raises(Invalid) as exc:
        _send(world, case, world.partner)
    assert "already has an open referral" in exc.value.messages[0]
    assert Referral.objects.count() == 1


# ---- the partner's workflow ---------------------------------------------------------------


def _partner_step(world, referral, step, actor=None):
    actor = actor or world.paul
    referral.refresh_from_db()
    if step == "accept":
        return services.accept_referral(actor=actor, referral=referral,
                                        version=referral.version)
    if step == "decline":
        return services.decline_referral(actor=actor, referral=referral,
                                         version=referral.version, reason="Full")
    if step == "service":
        return services.record_service(actor=actor, referral=referral,
                                       version=referral.version,
                                       service_given="Business training, 5 days",
                                       service_on=TODAY())
    return services.close_referral(actor=actor, referral=referral, version=referral.version,
                                   feedback="Shop opened")


def test_it_runs_the_partner_workflow_in_order(world):
    referral = referred(world)
    for step in ("service", "close"):
        with pytest.raises(Invalid):
            _partner_step(world, referral, step)
    referral = _partner_step(world, referral, "accept")
    assert referral.status == ReferralStatus.ACCEPTED and referral.responded_by == world.paul
    for step in ("accept", "decline", "close"):
        with pytest.raises(Invalid):
            _partner_step(world, referral, step)
    with pytest.raises(Invalid) as exc:
        services.record_service(actor=world.paul, referral=referral, version=referral.version,
                                service_given="x", service_on=TODAY() + datetime.timedelta(1))
    assert exc.value.field_errors["service_on"] == [
        "The date the service was given cannot be in the future."]
    referral = _partner_step(world, referral, "service")
    with pytest.raises(Invalid) as exc:
        services.close_referral(actor=world.paul, referral=referral,
                                version=referral.version, feedback="  ")
    assert "Give your feedback" in exc.value.messages[0]
    referral = _partner_step(world, referral, "close")
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == ReferralStatus.CLOSED and stored.feedback == "Shop opened"
    assert stored.service_on == TODAY() and stored.closed_at is not None
    assert stored.version == 4
    summaries = list(TimelineEntry.objects.filter(case=stored.case).order_by("at", "id")
                     .values_list("summary", flat=True))
    assert summaries[-3:] == ["Baghdad Business Hub accepted the referral",
                              "Baghdad Business Hub recorded the service given",
                              "Baghdad Business Hub closed the referral"]
    assert AuditEvent.objects.filter(event_type=AuditType.REFERRAL_CHANGED,
                                     target_id=stored.pk).count() == 3
    with pytest.raises(Invalid):
        services.withdraw_referral(actor=world.sam, referral=stored, version=stored.version,
                                   reason="late")


def test_it_lets_a_partner_decline_with_a_reason(world):
    referral = referred(world)
    with pytest.raises(Invalid):
        services.decline_referral(actor=world.paul, referral=referral,
                                  version=referral.version, reason="")
    referral = _partner_step(world, referral, "decline")
    assert Referral.objects.get(pk=referral.pk).decline_reason == "Full"
    with pytest.raises(Invalid):
        _partner_step(world, referral, "accept")


def test_it_refuses_partner_steps_by_others_and_on_stale_versions(world):
    referral = referred(world)
    _other, pete = second_partner(world)
    for actor in (pete, world.rita, world.sam):
        with pytest.raises(NotAllowed):
            services.accept_referral(actor=actor, referral=referral, version=1)
    stale = Referral.objects.get(pk=referral.pk)
    services.accept_referral(actor=world.paul, referral=referral, version=1)
    with pytest.raises(StaleVersion):
        services.decline_referral(actor=world.paul, referral=stale, version=1, reason="x")
    referral = Referral.objects.get(pk=referral.pk)
    with pytest.raises(StaleVersion):
        services.withdraw_referral(actor=world.sam, referral=referral, version=1,
                                   reason="x")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


def test_it_withdraws_a_referral_for_staff_only(world):
    referral = referred(world)
    with pytest.raises(NotAllowed):
        services.withdraw_referral(actor=world.paul, referral=referral, version=1,
                                   reason="x")
    with pytest.raises(Invalid):
        services.withdraw_referral(actor=world.sam, referral=referral, version=1, reason="")
    services.withdraw_referral(actor=world.sam, referral=referral, version=1,
                               reason="Found a job")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert "need" in referral.shared  # only consent withdrawal empties the copy


# ---- the directory ------------------------------------------------------------------------


def test_it_validates_a_partner_all_at_once(world):
    with pytest.raises(Invalid) as exc:
        services.create_partner(actor=world.rita, office=world.baghdad, data={
            "name": "baghdad business hub", "country": "IRQ", "areas": ["DE-BE", "XX-1"],
            "services": ["flying"], "email": "nope", "phone": "0770 123"})
    assert set(exc.value.field_errors) == {"name", "areas", "services", "email", "phone"}
    assert len(exc.value.field_errors["areas"]) == 2
    with pytest.raises(Invalid) as exc:
        services.create_partner(actor=world.rita, office=world.baghdad, data={
            "name": "X", "country": "ZZZ", "services": []})
    assert set(exc.value.field_errors) == {"country", "services"}
    partner = services.create_partner(actor=world.rita, office=world.baghdad, data={
        "name": " Mosul Skills ", "country": "irq", "areas": ["iq-ni"],
        "services": ["vocational_training"], "phone": "+964 770 123 4567"})
    assert partner.name == "Mosul Skills" and partner.areas == ["IQ-NI"]
    assert partner.phone == "+9647701234567" and partner.country == "IRQ"
    event = AuditEvent.objects.get(event_type=AuditType.PARTNER_CHANGED, target_id=partner.pk)
    assert event.extra["new"]["name"] == "Mosul Skills" and event.actor == world.rita


def test_it_lets_only_the_keepers_change_a_partner(world):
    partner = world.partner
    for persona in ("carla", "sam", "paul", "stella", "emil"):
        with pytest.raises(NotAllowed):
            services.update_partner(actor=world.users[persona], partner=partner,
                                    data={"contact_name": "X"}, version=partner.version)
    with pytest.raises(NotAllowed):
        services.create_partner(actor=world.sam, office=world.baghdad,
                                data={"name": "Y", "country": "IRQ", "services": ["legal"]})
    # The supervisor keeps his own office's partners; the programme manager, anyone's.
    services.create_partner(actor=world.sam, office=world.berlin,
                            data={"name": "Y", "country": "DEU", "services": ["legal"]})
    services.update_partner(actor=world.pia, partner=partner, data={"contact_name": "Omar"},
                            version=partner.version)
    services.update_partner(actor=world.rita, partner=partner, data={"contact_name": "Ali"},
                            version=partner.version)
    stored = Partner.objects.get(pk=partner.pk)
    assert stored.contact_name == "Ali" and stored.version == 3
    with pytest.raises(StaleVersion):
        services.update_partner(actor=world.rita, partner=stored, data={"address": "Z"},
                                version=2)
    event = AuditEvent.objects.filter(event_type=AuditType.PARTNER_CHANGED,
                                      target_id=partner.pk).latest("id")
    assert event.extra == {"old": {"contact_name": "Omar"}, "new": {"contact_name": "Ali"}}


def test_it_refuses_renaming_a_partner_that_consents_name(world):
    partner = world.partner
    services.update_partner(actor=world.rita, partner=partner,
                            data={"name": "Baghdad Business Hub Ltd"}, version=1)
    case = berlin_case(world)
    _consent(world, case, case.principal.person, "Baghdad Business Hub Ltd")
    with pytest.raises(Invalid) as exc:
        services.update_partner(actor=world.rita, partner=partner,
                                data={"name": "BBH"}, version=partner.version)
    assert "cannot be renamed" in exc.value.messages[0]
    assert Partner.objects.get(pk=partner.pk).name == "Baghdad Business Hub Ltd"


def test_it_records_agreements_valid_after_signing(world):
    partner = world.partner
    with pytest.raises(Invalid) as exc:
        services.record_agreement(actor=world.rita, partner=partner,
                                  signed_on=datetime.date(2026, 1, 1),
                                  valid_until=datetime.date(2026, 1, 1))
    assert "valid until a date after it was signed" in exc.value.messages[0]
    with pytest.raises(NotAllowed):
        services.record_agreement(actor=world.carla, partner=partner,
                                  signed_on=datetime.date(2026, 1, 1),
                                  valid_until=datetime.date(2027, 1, 1))
    agreement = services.record_agreement(actor=world.rita, partner=partner,
                                          signed_on=datetime.date(2026, 1, 1),
                                          valid_until=datetime.date(2027, 1, 1),
                                          reference="DSA-2", scope="Names and needs")
    assert agreement.recorded_by == world.rita
    assert AuditEvent.objects.filter(event_type=AuditType.AGREEMENT_RECORDED,
                                     target_id=agreement.pk).exists()


def test_it_opens_and_links_partner_user_accounts(world):
    partner, pete = second_partner(world)
    assert pete.check_password(PASSWORD)
    assert PartnerUser.objects.get(user=pete).partner == partner
    assert Membership.objects.get(user=pete).role == Role.PARTNER
    assert Membership.objects.get(user=pete).office == world.baghdad
    assert AuditEvent.objects.filter(event_type=AuditType.PARTNER_USER_LINKED,
                                     extra__user=pete.pk).exists()
    assert policy.partner_of(pete) == partner
    with pytest.raises(Invalid) as exc:
        services.link_partner_user(actor=world.rita, partner=world.partner, user=pete)
    assert "already a user of Basra Legal Aid" in exc.value.messages[0]
    with pytest.raises(Invalid) as exc:
        services.link_partner_user(actor=world.rita, partner=partner, user=world.carla)
    assert "member of staff" in exc.value.messages[0]
    with pytest.raises(Invalid) as exc:
        services.create_partner_user(actor=world.rita, partner=partner, username="PETE",
                                     password="short")
    assert set(exc.value.field_errors) == {"username"}
    with pytest.raises(Invalid) as exc:
        services.create_partner_user(actor=world.rita, partner=partner, username="quinn",
                                     password="short")
    assert "password" in exc.value.field_errors
    with pytest.raises(NotAllowed):
        services.create_partner_user(actor=world.carla, partner=partner, username="q",
                                     password=PASSWORD)
    # A user with no partner role (staff account) is no partner user.
    bare = staff_user("bare")
    services.link_partner_user(actor=world.rita, partner=partner, user=bare)
    assert policy.partner_of(bare) == partner


def test_it_shows_a_disabled_partner_user_nothing(world):
    referred(world)
    world.paul.is_active = False
    assert policy.partner_of(world.paul) is None
    assert not policy.visible_referrals(world.paul).exists()


def test_it_scopes_referrals_per_reader(world):
    referral = referred(world)
    other, pete = second_partner(world)
    theirs = referred(world, partner=other, service="legal")
    assert list(policy.visible_referrals(world.paul)) == [referral]
    assert list(policy.visible_referrals(pete)) == [theirs]
    assert set(policy.visible_referrals(world.carla)) == {referral, theirs}
    assert not policy.visible_referrals(world.otto).exists()
    assert not policy.visible_referrals(world.rita).exists()  # not handed over
    assert not policy.visible_referrals(world.stella).exists()


def test_it_refers_through_the_personas_helper(world):
    from retorno.reception.tests.builders import handed_over

    case = handed_over(world)
    referral = refer(world, case)
    assert referral.sent_by == world.rita and referral.office == world.baghdad
    assert referral.partner == world.partner
