import datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from retorno.cases import services as case_services
from retorno.cases.models import TimelineKind
from retorno.documents import services, workflow
from retorno.documents.models import TravelDocument
from retorno.documents.sections import by_member, case_section
from retorno.documents.tests.builders import NUMBER, held, in_days, record, requested, to_request
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case, open_case_with_child

pytestmark = pytest.mark.django_db


def test_it_records_a_held_passport_with_audit_and_a_timeline_without_the_number(world):
    case = open_case(world)
    document = record(case, world.max, **held(number=" a1234 5678 "))
    stored = TravelDocument.objects.get(pk=document.pk)
    assert stored.person == case.principal.person and stored.case == case
    # Capitals without blanks, as in the machine-readable zone.
    assert (stored.number, stored.status, stored.version) == ("A12345678", "collected", 1)
    assert stored.created_by == world.max and stored.updated_by == world.max
    assert stored.status_changed_on == timezone.localdate()
    event = AuditEvent.objects.get(case=case, event_type=AuditType.TRAVEL_DOCUMENT_RECORDED)
    assert event.target_type == "traveldocument" and event.target_id == document.pk
    assert event.actor == world.max and event.office == world.berlin
    # The audit log (supervisors, data protection) holds the number; not the notes' text.
    assert event.extra["new"]["number"] == "A12345678"
    assert event.extra["new"]["person"] == case.principal.person_id
    assert "notes" not in event.extra["new"] and event.extra["notes_given"] is True
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and entry.actor == world.max
    assert entry.summary == ("Travel document recorded: Passport of Ahmed Al-Rashid "
                             "(أحمد الرشيد), Collected")
    assert "A12345678" not in entry.summary


@pytest.mark.parametrize("persona", ["carla", "sam", "max"])
def test_it_lets_the_host_office_case_team_and_movement_officer_record(world, persona):
    case = open_case(world)
    record(case, world.users[persona])
    assert TravelDocument.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("persona", ["mona", "pia", "dana", "rita", "emil", "paul", "stella",
                                     "otto", "vera"])
def test_it_refuses_everyone_else(world, persona):
    case = open_case(world)
    with pytest.raises(NotAllowed):
        record(case, world.users[persona])
    document = record(case, world.carla)
    with pytest.raises(NotAllowed):
        services.update_document(actor=world.users[persona], document=document, version=1,
                                 data={"notes": "Not mine to write"})
    with pytest.raises(NotAllowed):
        services.change_status(actor=world.users[persona], document=document, version=1,
                               to="refused", data={"refusal_reason": "x"})
    assert TravelDocument.objects.get().notes == "Kept by the person"


def test_it_refuses_invalid_input_with_messages_per_field(world):
    case = open_case(world)
    with pytest.raises(Invalid) as refused:
        record(case, world.carla, **held(kind="visa", number="A-123 45/6",
                                         issuing_country="UTO", issued_on=in_days(1),
                                         expires_on=in_days(-1)))
    assert set(refused.value.field_errors) == {"kind", "number", "issuing_country",
                                               "issued_on", "expires_on"}
    assert refused.value.field_errors["number"] == [
        "Use capital letters A–Z and digits only, as in the machine-readable zone (no "
        "spaces, dashes or other signs)."]
    assert refused.value.field_errors["issuing_country"] == [
        "UTO is not an ISO 3166 country code."]
    with pytest.raises(Invalid) as refused:
        record(case, world.carla, **held(issued_on=in_days(-10), expires_on=in_days(-20)))
    assert refused.value.field_errors == {
        "expires_on": ["The expiry date must be after the issue date."]}
    # Issued or collected: the number and the expiry date are needed.
    with pytest.raises(Invalid) as refused:
        record(case, world.carla, **held(number="", expires_on=None))
    assert refused.value.field_errors == {
        "number": ["An issued document needs its number."],
        "expires_on": ["An issued document needs its expiry date."]}
    assert not TravelDocument.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditType.TRAVEL_DOCUMENT_RECORDED).exists()


def test_it_records_only_in_a_starting_status_and_for_a_member(world):
    case = open_case(world)
    for status in ("requested", "refused", "lost"):
        with pytest.raises(Invalid) as refused:
            record(case, world.carla, **held(status=status))
        assert set(refused.value.field_errors) == {"status"}
    with pytest.raises(Invalid):
        record(case, world.carla, **held(version=3))
    stranger = open_case(world).principal.person
    with pytest.raises(Invalid) as refused:
        record(case, world.carla, person=stranger)
    assert refused.value.messages == ["This person is not a member of this case."]
    document = record(case, world.carla, **to_request())
    assert (document.status, document.number) == ("to_request", "")
    assert TravelDocument.objects.count() == 1


def test_it_refuses_the_same_document_twice(world):
    case = open_case(world)
    record(case, world.carla)
    with pytest.raises(Invalid) as refused:
        record(case, world.carla, **held(number=NUMBER.lower()))
    assert refused.value.field_errors["number"] == [
        "This document is already recorded for Ahmed Al-Rashid (أحمد الرشيد) on this case."]
    record(case, world.carla, **held(number="B7654321"))
    assert TravelDocument.objects.count() == 2


def test_it_refuses_a_closed_case(world):
    case = open_case(world)
    document = record(case, world.carla)
    case_services.transition_case(case, "withdrawn", actor=world.carla, reason="Changed")
    with pytest.raises(Invalid):
        record(case, world.carla, **held(number="B7654321"))
    with pytest.raises(Invalid):
        services.update_document(actor=world.carla, document=document, version=1,
                                 data={"notes": "Too late"})


def test_it_updates_with_the_current_version(world):
    case = open_case(world)
    document = record(case, world.carla)
    services.update_document(actor=world.max, document=document, version=1,
                             data={"number": "B7654321", "notes": "Handed to the office"})
    stored = TravelDocument.objects.get(pk=document.pk)
    assert (stored.number, stored.version, stored.updated_by) == ("B7654321", 2, world.max)
    event = AuditEvent.objects.get(event_type=AuditType.TRAVEL_DOCUMENT_CHANGED)
    assert event.extra == {"old": {"number": NUMBER}, "new": {"number": "B7654321"},
                           "person": case.principal.person_id, "notes_changed": True}
    entry = case.timeline.first()
    assert entry.summary == ("Passport of Ahmed Al-Rashid (أحمد الرشيد) — changed: document "
                             "number, notes")
    assert "B7654321" not in entry.summary


def test_it_refuses_a_stale_version_and_overwrites_nothing(world):
    case = open_case(world)
    document = requested(case, world.carla)
    first = TravelDocument.objects.select_related("person", "case").get(pk=document.pk)
    services.update_document(actor=world.carla, document=first, version=2,
                             data={"authority": "Embassy of Iraq, Berlin"})
    events, entries = AuditEvent.objects.count(), case.timeline.count()
    stale = TravelDocument.objects.select_related("person", "case").get(pk=document.pk)
    with pytest.raises(StaleVersion):
        services.update_document(actor=world.carla, document=stale, version=2,
                                 data={"notes": "Overwritten"})
    # What the refused change set on the object is put back.
    assert stale.notes == ""
    with pytest.raises(StaleVersion):
        services.change_status(actor=world.carla, document=stale, version=2, to="refused",
                               data={"refusal_reason": "Overwritten"})
    assert (stale.status, stale.refusal_reason) == ("requested", "")
    stored = TravelDocument.objects.get(pk=document.pk)
    assert (stored.status, stored.notes, stored.authority, stored.version) == (
        "requested", "", "Embassy of Iraq, Berlin", 3)
    assert AuditEvent.objects.count() == events and case.timeline.count() == entries


def test_it_records_nothing_when_nothing_changed(world):
    case = open_case(world)
    document = record(case, world.carla)
    services.update_document(actor=world.carla, document=document, version=1,
                             data={"number": NUMBER.lower(), "notes": "Kept by the person"})
    assert not AuditEvent.objects.filter(event_type=AuditType.TRAVEL_DOCUMENT_CHANGED).exists()
    assert TravelDocument.objects.get(pk=document.pk).version == 1


def test_it_refuses_a_status_through_update(world):
    case = open_case(world)
    document = record(case, world.carla, **to_request())
    with pytest.raises(Invalid) as refused:
        services.update_document(actor=world.carla, document=document, version=1,
                                 data={"status": "collected"})
    assert set(refused.value.field_errors) == {"status"}
    assert TravelDocument.objects.get().status == "to_request"


def test_it_follows_the_status_table_from_request_to_collection(world):
    case = open_case(world)
    document = record(case, world.carla, **to_request())
    week_ago = in_days(-7)
    services.change_status(actor=world.max, document=document, to="requested", version=1,
                           data={"requested_on": week_ago})
    # The follow-up defaults to two weeks after the request.
    assert (document.status, document.requested_on, document.follow_up_on) == (
        "requested", week_ago, week_ago + datetime.timedelta(days=14))
    services.change_status(actor=world.max, document=document, to="requested", version=2,
                           data={"follow_up_on": in_days(3)})
    assert document.follow_up_on == in_days(3)
    services.change_status(actor=world.max, document=document, to="issued", version=3,
                           data={"number": "e1234567", "issued_on": in_days(-1),
                                 "expires_on": in_days(180)})
    services.change_status(actor=world.max, document=document, to="collected", version=4)
    stored = TravelDocument.objects.get(pk=document.pk)
    assert (stored.status, stored.number, stored.version) == ("collected", "E1234567", 5)
    summaries = list(case.timeline.order_by("id").values_list("summary", flat=True))[-4:]
    name = "Emergency travel document / laissez-passer of Ahmed Al-Rashid (أحمد الرشيد)"
    assert summaries == [
        f"{name}: To request → Requested from the consulate",
        f"{name}: followed up, next follow-up on "
        f"{in_days(3).strftime('%m/%d/%Y')}",
        f"{name}: Requested from the consulate → Issued",
        f"{name}: Issued → Collected",
    ]
    events = AuditEvent.objects.filter(event_type=AuditType.TRAVEL_DOCUMENT_CHANGED
                                       ).order_by("id")
    assert [e.extra["new"].get("status") for e in events] == [
        "requested", None, "issued", "collected"]
    assert events[2].extra["new"]["number"] == "E1234567"
    # All on one day: the date of the status change does not change.
    assert events[2].extra["old"] == {"number": "", "issued_on": None, "expires_on": None,
                                      "status": "requested"}


def test_it_records_a_refusal_and_a_new_attempt(world):
    case = open_case(world)
    document = requested(case, world.carla, requested_on=in_days(-20))
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="refused", version=2,
                               data={})
    assert refused.value.field_errors == {"refusal_reason": ["Give this to change the status."]}
    services.change_status(actor=world.carla, document=document, to="refused", version=2,
                           data={"refusal_reason": " Nationality not established. "})
    assert (document.status, document.refusal_reason) == ("refused",
                                                          "Nationality not established.")
    services.change_status(actor=world.carla, document=document, to="to_request", version=3)
    stored = TravelDocument.objects.get(pk=document.pk)
    # The last request's dates and its refusal go; the audit log keeps them.
    assert (stored.status, stored.requested_on, stored.follow_up_on, stored.refusal_reason) == (
        "to_request", None, None, "")
    event = AuditEvent.objects.filter(event_type=AuditType.TRAVEL_DOCUMENT_CHANGED
                                      ).order_by("id").last()
    assert event.extra["old"]["refusal_reason"] == "Nationality not established."
    assert event.extra["old"]["requested_on"] == str(in_days(-20))


@pytest.mark.parametrize(("start", "to"), [
    ("to_request", "issued"), ("to_request", "collected"), ("to_request", "refused"),
    ("to_request", "to_request"), ("collected", "requested"), ("collected", "issued"),
    ("collected", "collected"), ("to_request", "lost"),
])
def test_it_refuses_moves_the_table_does_not_have(world, start, to):
    case = open_case(world)
    data = to_request() if start == "to_request" else held()
    document = record(case, world.carla, **data)
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to=to, version=1,
                               data={})
    assert set(refused.value.field_errors) == {"to"}
    assert TravelDocument.objects.get().status == start


def test_it_names_the_move_that_is_refused(world):
    case = open_case(world)
    document = record(case, world.carla, **to_request())
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="collected", version=1)
    assert refused.value.messages == [
        "A travel document that is “To request” cannot become “Collected”."]


def test_it_takes_only_the_fields_of_the_move_and_needs_the_required_ones(world):
    case = open_case(world)
    document = requested(case, world.carla)
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="issued", version=2,
                               data={"number": "E1", "expires_on": in_days(90),
                                     "refusal_reason": "x", "kind": "passport"})
    assert set(refused.value.field_errors) == {"refusal_reason", "kind"}
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="issued", version=2,
                               data={"issued_on": in_days(-1)})
    assert set(refused.value.field_errors) == {"number", "expires_on"}
    assert refused.value.messages == ["Give the document number, expires on."]
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="issued", version=2,
                               data={"number": "E1", "issued_on": in_days(-1),
                                     "expires_on": in_days(-2)})
    assert set(refused.value.field_errors) == {"expires_on"}
    # A refused move leaves the object as it was.
    assert (document.status, document.number, document.issued_on) == ("requested", "", None)
    assert TravelDocument.objects.get().status == "requested"


def test_it_wants_a_follow_up_today_or_later_and_ignores_the_same_date(world):
    case = open_case(world)
    document = requested(case, world.carla, requested_on=in_days(-30))
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="requested",
                               version=2, data={"follow_up_on": in_days(-1)})
    assert refused.value.field_errors == {
        "follow_up_on": ["The next follow-up cannot be in the past."]}
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="requested",
                               version=2, data={})
    assert set(refused.value.field_errors) == {"follow_up_on"}
    services.change_status(actor=world.carla, document=document, to="requested", version=2,
                           data={"follow_up_on": in_days(7)})
    events = AuditEvent.objects.count()
    services.change_status(actor=world.carla, document=document, to="requested", version=3,
                           data={"follow_up_on": in_days(7)})
    assert AuditEvent.objects.count() == events
    assert TravelDocument.objects.get().version == 3


def test_it_keeps_a_request_s_follow_up_after_the_request(world):
    case = open_case(world)
    document = record(case, world.carla, **to_request())
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="requested",
                               version=1, data={"requested_on": in_days(1)})
    assert set(refused.value.field_errors) == {"requested_on"}
    with pytest.raises(Invalid) as refused:
        services.change_status(actor=world.carla, document=document, to="requested",
                               version=1, data={"requested_on": in_days(-3),
                                                "follow_up_on": in_days(-5)})
    assert refused.value.field_errors == {
        "follow_up_on": ["The follow-up cannot come before the request."]}


def test_every_move_of_the_table_is_reachable_and_leads_somewhere_known(world):
    statuses = {m.source for m in workflow.MOVES} | {m.target for m in workflow.MOVES}
    assert {str(s) for s in statuses} == {"to_request", "requested", "issued", "collected",
                                          "refused"}
    assert [m.target for m in workflow.moves_from("requested")] == [
        "requested", "issued", "refused"]
    assert workflow.moves_from("collected") == []
    for move in workflow.MOVES:
        assert set(move.required) <= set(move.fields)


def test_it_keeps_the_documents_of_a_member_taken_off_the_case(world):
    case, child = open_case_with_child(world)
    record(case, world.carla, person=child.person)
    case_services.remove_member(actor=world.carla, case=case, member=child)
    assert TravelDocument.objects.filter(person=child.person).count() == 1


def test_it_shows_the_section_to_the_roles_that_work_with_documents(world):
    case, child = open_case_with_child(world)
    case_services.update_case(actor=world.carla, case=case, version=case.version,
                              data={"planned_departure_on": in_days(30)})
    record(case, world.carla, **held(expires_on=in_days(20)))
    overdue = requested(case, world.carla, person=child.person, requested_on=in_days(-20))
    request = RequestFactory().get("/")
    for persona, shown, can_record in [("carla", True, True), ("sam", True, True),
                                       ("max", True, True), ("dana", True, False),
                                       ("mona", False, False), ("pia", False, False),
                                       ("emil", False, False)]:
        request.user = world.users[persona]
        context = case_section(request, case)
        if not shown:
            assert context is None, persona
            continue
        assert context["can_record"] is can_record, persona
        (principal, [passport]), (member, [etd]) = context["rows"]
        assert principal == case.principal and member == child
        assert passport.expires_before_departure and not passport.expired
        assert etd.document == overdue and etd.follow_up_overdue
        assert [m.target for m in etd.moves] == (
            ["requested", "issued", "refused"] if can_record else [])


def test_it_reads_a_family_s_documents_in_two_queries(world, django_assert_num_queries):
    case, child = open_case_with_child(world)
    record(case, world.carla)
    record(case, world.carla, **held(number="B7654321"))
    requested(case, world.carla, person=child.person)
    with django_assert_num_queries(2):
        rows = by_member(case, can_record=True)
        assert [len(documents) for _member, documents in rows] == [2, 1]
        assert [r.document.person.given_name for r in rows[0][1]] == ["Ahmed", "Ahmed"]
