import datetime
import re

import pytest
from django.utils import timezone

from retorno.feedback import deadlines, services
from retorno.feedback.models import Category, Feedback, Kind, Status
from retorno.feedback.tests.builders import public, recorded, sensitive
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

_REFERENCE = re.compile(r"^FB-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$")


def _events(item: Feedback) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(target_type="feedback", target_id=item.pk)
                .order_by("id"))


def test_references_are_random_and_unambiguous(world):
    items = [public(world) for _i in range(5)]
    references = {i.reference for i in items}
    assert len(references) == 5
    assert all(_REFERENCE.match(r) for r in references)


def test_sensitivity_is_derived_from_the_category(world):
    assert sensitive(world).sensitive is True
    fraud = recorded(world, category=Category.FRAUD)
    assert fraud.sensitive is True
    assert recorded(world, category=Category.STAFF_CONDUCT).sensitive is False


def test_deadlines_follow_kind_and_category(world):
    today = timezone.localdate()
    assert sensitive(world).due_on == today + datetime.timedelta(days=2)
    assert recorded(world).due_on == today + datetime.timedelta(days=14)
    assert public(world).due_on == today + datetime.timedelta(days=7)
    assert recorded(world, kind=Kind.COMPLIMENT, category=Category.OTHER).due_on == (
        today + datetime.timedelta(days=30))
    assert deadlines.days_for(Kind.COMPLIMENT, Category.FRAUD) == 2


def test_the_public_form_needs_no_actor_and_is_audited_without_content(world):
    item = public(world, anonymous=False, name="Ali Example", contact="ali@example.org",
                  description="Secret words")
    assert item.channel == "web" and item.recorded_by is None and item.status == "received"
    (event,) = _events(item)
    assert event.event_type == AuditType.FEEDBACK_RECEIVED and event.actor is None
    assert event.case_id is None
    text = str(event.extra)
    assert "Ali" not in text and "ali@example.org" not in text and "Secret" not in text


def test_anonymous_feedback_carries_no_name(world):
    with pytest.raises(Invalid) as refused:
        public(world, anonymous=True, name="Ali")
    assert "anonymous" in refused.value.field_errors


def test_recording_is_refused_for_an_office_where_one_does_not_record(world):
    with pytest.raises(NotAllowed):
        recorded(world, actor=world.carla, office=world.baghdad)
    with pytest.raises(NotAllowed):
        recorded(world, actor=world.paul)


def test_recording_refuses_every_problem_at_once(world):
    with pytest.raises(Invalid) as refused:
        recorded(world, channel="web", kind="rant", category="", description=" ")
    assert set(refused.value.field_errors) == {"channel", "kind", "category", "description"}
    assert not Feedback.objects.exists()


def test_a_linked_case_must_be_visible_to_the_recorder(world):
    case = open_case(world, actor=world.otto, office=world.vienna)
    with pytest.raises(Invalid) as refused:
        recorded(world, case=case)
    assert "case" in refused.value.field_errors
    own = open_case(world)
    item = recorded(world, case=own, description="About my case")
    assert item.case_id == own.pk
    # The audit event names the feedback item, never the case.
    assert all(e.case_id is None for e in _events(item))


def test_assign_only_to_a_handler_who_is_not_concerned(world):
    item = recorded(world)
    with pytest.raises(Invalid):
        services.assign(actor=world.sam, item=item, version=item.version,
                        assignee=world.carla)
    services.assign(actor=world.sam, item=item, version=item.version, assignee=world.sam)
    item.refresh_from_db()
    assert item.assignee == world.sam and item.status == Status.IN_PROGRESS
    event = _events(item)[-1]
    assert event.event_type == AuditType.FEEDBACK_ASSIGNED
    assert event.extra["new"] == {"assignee": world.sam.pk, "status": "in_progress"}


def test_a_sensitive_item_is_assigned_to_a_focal_point_only(world):
    item = sensitive(world)
    with pytest.raises(NotAllowed):  # sam may not even handle it
        services.assign(actor=world.sam, item=item, version=item.version,
                        assignee=world.sam)
    with pytest.raises(Invalid):
        services.assign(actor=world.dana, item=item, version=item.version,
                        assignee=world.sam)
    services.assign(actor=world.dana, item=item, version=item.version, assignee=world.dana)
    assert item.assignee == world.dana


def test_never_assigned_to_someone_it_concerns(world):
    item = sensitive(world, office=world.baghdad, actor=world.rita, concerns=[world.emil])
    with pytest.raises(NotAllowed):
        services.assign(actor=world.emil, item=item, version=item.version,
                        assignee=world.emil)


def test_reclassifying_to_sensitive_hands_it_to_the_focal_points(world):
    item = recorded(world)
    services.assign(actor=world.sam, item=item, version=item.version, assignee=world.sam)
    services.categorise(actor=world.sam, item=item, version=item.version, kind=Kind.COMPLAINT,
                        category=Category.FRAUD)
    item.refresh_from_db()
    assert item.sensitive and item.assignee is None
    assert item.due_on == timezone.localdate(item.received_at) + datetime.timedelta(days=2)
    with pytest.raises(NotAllowed):
        services.categorise(actor=world.sam, item=item, version=item.version,
                            kind=Kind.COMPLAINT, category=Category.DELAYS)


def test_only_a_focal_point_makes_a_sensitive_item_ordinary(world):
    item = sensitive(world)
    services.categorise(actor=world.dana, item=item, version=item.version,
                        kind=Kind.COMPLAINT, category=Category.STAFF_CONDUCT)
    item.refresh_from_db()
    assert not item.sensitive
    event = _events(item)[-1]
    assert event.event_type == AuditType.FEEDBACK_CATEGORISED
    assert event.extra["old"]["category"] == "sea" and event.extra["new"]["sensitive"] is False


def test_only_a_focal_point_takes_someone_off_the_staff_concerned(world):
    item = recorded(world, concerns=[world.max])
    with pytest.raises(NotAllowed):
        services.categorise(actor=world.sam, item=item, version=item.version,
                            kind=item.kind, category=item.category,
                            remove_concerns=[world.max])
    services.categorise(actor=world.sam, item=item, version=item.version, kind=item.kind,
                        category=item.category, add_concerns=[world.mona])
    assert set(item.concerns.all()) == {world.max, world.mona}


def test_answer_close_and_reopen(world):
    item = recorded(world)
    with pytest.raises(Invalid):
        services.answer(actor=world.sam, item=item, version=item.version, response=" ")
    services.answer(actor=world.sam, item=item, version=item.version,
                    response="Your appointment is on Monday.")
    assert item.status == Status.ANSWERED and item.answered_at and item.answered_by
    services.close(actor=world.sam, item=item, version=item.version)
    assert item.status == Status.CLOSED and item.closed_at
    with pytest.raises(Invalid):
        services.answer(actor=world.sam, item=item, version=item.version, response="More")
    services.reopen(actor=world.sam, item=item, version=item.version)
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.closed_at is None
    types = [e.event_type for e in _events(item)]
    assert types == [360, 363, 364, 365]
    assert "Monday" not in str([e.extra for e in _events(item)])


def test_changes_are_versioned(world):
    item = recorded(world)
    stale = Feedback.objects.get(pk=item.pk)
    services.assign(actor=world.sam, item=item, version=item.version, assignee=world.sam)
    with pytest.raises(StaleVersion):
        services.close(actor=world.sam, item=stale, version=stale.version)
    assert Feedback.objects.get(pk=item.pk).status == Status.IN_PROGRESS


def test_public_status_reads_only_the_status(world):
    item = public(world)
    assert services.public_status(item.reference.lower()) == "received"
    assert services.public_status(item.reference.removeprefix("FB-")) == "received"
    assert services.public_status("FB-AAAAAAAA") is None
