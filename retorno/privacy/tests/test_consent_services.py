import datetime

import pytest
from django.utils import timezone

from retorno.cases.models import TimelineKind
from retorno.cases.services import register_and_add_member, transition_case
from retorno.lib.errors import Invalid, NotAllowed
from retorno.privacy.consent import (
    ConsentMissing,
    has_consent,
    missing_consent,
    record_consent,
    require_consent,
    withdraw_consent,
)
from retorno.privacy.models import AuditEvent, AuditType, ConsentPurpose
from retorno.programmes.models import MigrantCategory
from retorno.testing.personas import open_case, person_data

pytestmark = pytest.mark.django_db

ORIGIN = ConsentPurpose.ORIGIN_OFFICE


def _add_child(world, case, **overrides):
    data = person_data(given_name="Noor", given_name_original="نور", sex="F",
                       date_of_birth=datetime.date(2016, 2, 3))
    data.update(overrides)
    return register_and_add_member(
        actor=world.carla, case=case, person=data,
        member={"relationship": "child", "category": MigrantCategory.ASYLUM_REJECTED,
                "vulnerabilities": []}).person


def _record(world, case, person, purpose=ORIGIN, actor=None, **fields):
    defaults = {"given_on": timezone.localdate(), "form_version": "C-2026-1"}
    defaults.update(fields)
    return record_consent(actor=actor or world.carla, case=case, person=person,
                          purpose=purpose, **defaults)


class TestConsentServices:
    def test_it_records_consent_with_audit_and_timeline(self, world):
        case = open_case(world)
        principal = case.principal.person

        consent = _record(world, case, principal)

        assert consent.is_active and consent.recorded_by == world.carla
        assert has_consent(principal, ORIGIN)
        event = AuditEvent.objects.get(event_type=AuditType.CONSENT_RECORDED)
        assert (event.case_id, event.target_type, event.target_id) == (
            case.pk, "consent", consent.pk)
        assert event.extra["new"]["purpose"] == ORIGIN
        entry = case.timeline.filter(kind=TimelineKind.CONSENT).get()
        assert "Ahmed Al-Rashid" in entry.summary and entry.actor == world.carla

    def test_it_withdraws_at_once_with_audit_and_timeline(self, world):
        case = open_case(world)
        consent = _record(world, case, case.principal.person)

        withdraw_consent(actor=world.sam, consent=consent, reason="Changed their mind")

        assert not has_consent(case.principal.person, ORIGIN)
        consent.refresh_from_db()
        assert consent.withdrawn_by == world.sam and consent.withdrawn_at is not None
        assert consent.withdrawal_reason == "Changed their mind"
        event = AuditEvent.objects.get(event_type=AuditType.CONSENT_WITHDRAWN)
        assert event.extra["reason"] == "Changed their mind" and event.case_id == case.pk
        entry = case.timeline.filter(kind=TimelineKind.CONSENT).first()
        assert entry.reason == "Changed their mind" and entry.actor == world.sam

    def test_it_stops_the_sharing_it_covered_once_withdrawn(self, world):
        case = open_case(world)
        child = _add_child(world, case)
        _record(world, case, case.principal.person)
        consent = _record(world, case, child, guardian_name="Ahmed Al-Rashid",
                          guardian_relationship="father")
        require_consent(case, ORIGIN)  # everyone consented: sharing may go ahead

        withdraw_consent(actor=world.carla, consent=consent, reason="Guardian withdrew")

        with pytest.raises(ConsentMissing) as refused:
            require_consent(case, ORIGIN)
        assert refused.value.people == [child]
        assert "Noor Al-Rashid" in refused.value.messages[0]
        assert refused.value.status_code == 403
        assert isinstance(refused.value, NotAllowed)

    def test_it_lists_the_members_who_lack_consent(self, world):
        case = open_case(world)
        child = _add_child(world, case)
        principal = case.principal.person
        assert missing_consent(case, ORIGIN) == [principal, child]

        _record(world, case, principal)

        assert missing_consent(case, ORIGIN) == [child]
        assert missing_consent(case, ConsentPurpose.PROCESSING) == [principal, child]
        require_consent(case, ORIGIN, people=[principal])
        with pytest.raises(ConsentMissing):
            require_consent(case, ORIGIN, people=[child])

    def test_it_checks_partner_consent_per_partner(self, world):
        case = open_case(world)
        principal = case.principal.person
        partner = ConsentPurpose.PARTNER
        _record(world, case, principal, partner, partner_name="Hope Baghdad")

        assert has_consent(principal, partner, partner="hope baghdad ")
        assert not has_consent(principal, partner, partner="Other NGO")
        assert not has_consent(principal, ORIGIN)
        with pytest.raises(ValueError):
            has_consent(principal, partner)

    def test_it_needs_a_partner_name_only_for_partner_sharing(self, world):
        case = open_case(world)
        principal = case.principal.person
        with pytest.raises(Invalid) as refused:
            _record(world, case, principal, ConsentPurpose.PARTNER)
        assert "partner_name" in refused.value.field_errors
        with pytest.raises(Invalid):
            _record(world, case, principal, ORIGIN, partner_name="Hope")

    def test_it_refuses_a_childs_consent_without_a_guardian(self, world):
        case = open_case(world)
        child = _add_child(world, case)

        with pytest.raises(Invalid) as refused:
            _record(world, case, child)

        assert set(refused.value.field_errors) == {"guardian_name", "guardian_relationship"}
        assert not has_consent(child, ORIGIN)
        assert not AuditEvent.objects.filter(event_type=AuditType.CONSENT_RECORDED).exists()

    def test_it_treats_a_child_member_without_date_of_birth_as_a_child(self, world):
        case = open_case(world)
        child = _add_child(world, case, date_of_birth=None)
        with pytest.raises(Invalid):
            _record(world, case, child)
        consent = _record(world, case, child, guardian_name="Ahmed Al-Rashid",
                          guardian_relationship="father")
        assert consent.guardian_name == "Ahmed Al-Rashid"

    def test_it_treats_an_adult_child_as_an_adult(self, world):
        case = open_case(world)
        grown = _add_child(world, case, date_of_birth=datetime.date(2000, 1, 1))
        assert _record(world, case, grown).guardian_name == ""

    def test_it_refuses_a_consent_given_in_the_future(self, world):
        case = open_case(world)
        with pytest.raises(Invalid) as refused:
            _record(world, case, case.principal.person,
                    given_on=timezone.localdate() + datetime.timedelta(days=1))
        assert "given_on" in refused.value.field_errors

    def test_it_refuses_a_second_active_consent_for_the_same_purpose(self, world):
        case = open_case(world)
        principal = case.principal.person
        first = _record(world, case, principal)
        with pytest.raises(Invalid):
            _record(world, case, principal)
        withdraw_consent(actor=world.carla, consent=first, reason="New form")
        assert _record(world, case, principal, form_version="C-2026-2").is_active

    def test_it_refuses_a_role_without_case_change(self, world):
        case = open_case(world)
        with pytest.raises(NotAllowed):
            _record(world, case, case.principal.person, actor=world.mona)
        consent = _record(world, case, case.principal.person)
        with pytest.raises(NotAllowed):
            withdraw_consent(actor=world.dana, consent=consent, reason="No")
        assert has_consent(case.principal.person, ORIGIN)

    def test_it_refuses_someone_who_is_not_a_member(self, world):
        case = open_case(world)
        other = open_case(world, person=person_data(given_name="Sara")).principal.person
        with pytest.raises(Invalid):
            _record(world, case, other)

    def test_it_needs_a_reason_to_withdraw(self, world):
        case = open_case(world)
        consent = _record(world, case, case.principal.person)
        with pytest.raises(Invalid):
            withdraw_consent(actor=world.carla, consent=consent, reason="  ")
        assert has_consent(case.principal.person, ORIGIN)

    def test_it_changes_nothing_when_withdrawing_twice(self, world):
        case = open_case(world)
        consent = _record(world, case, case.principal.person)
        withdraw_consent(actor=world.carla, consent=consent, reason="First")
        withdraw_consent(actor=world.sam, consent=consent, reason="Second")
        consent.refresh_from_db()
        assert consent.withdrawal_reason == "First"
        assert AuditEvent.objects.filter(event_type=AuditType.CONSENT_WITHDRAWN).count() == 1

    def test_it_allows_withdrawal_on_a_closed_case_but_not_recording(self, world):
        case = open_case(world)
        consent = _record(world, case, case.principal.person)
        transition_case(case, "withdrawn", actor=world.carla, reason="Stays")
        with pytest.raises(Invalid):
            _record(world, case, case.principal.person, ConsentPurpose.PROCESSING)
        withdraw_consent(actor=world.carla, consent=consent, reason="Closed")
        assert not has_consent(case.principal.person, ORIGIN)
