"""A suspension set while cases are booked for a journey it covers flags them: a timeline
entry, a review task for the caseworker, the references in the audit event; lifting it
is recorded on those cases and closes the tasks. Booking under it is refused."""

import pytest

from retorno.lib.errors import Invalid
from retorno.privacy.models import AuditEvent, AuditType
from retorno.suspensions.services import lift_suspension
from retorno.suspensions.tests.builders import in_days, preparing_departure, suspend
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import book_travel, walk
from retorno.travel.models import Itinerary
from retorno.travel.suspended import suspensions_covering

pytestmark = pytest.mark.django_db


def test_setting_a_suspension_flags_booked_cases_and_lifting_it_unflags_them(world, client):
    booked = preparing_departure(world)  # booked for a journey in four weeks
    walk(world, booked, ("ready_to_travel", world.max))
    not_booked = preparing_departure(world, book=False)
    to_mosul = preparing_departure(world, destination_subdivision="IQ-NI")
    later = suspend(world, starts_on=in_days(40), reason="Elections")  # after the journey
    assert not Task.objects.filter(kind=TaskKind.SUSPENSION_REVIEW).exists()
    suspend(world, subdivision="IQ-BA", reason="Floods")  # Basra: neither case
    suspension = suspend(world, subdivision="IQ-NI", reason="Fighting near the airport")
    event = AuditEvent.objects.get(event_type=AuditType.SUSPENSION_SET,
                                   target_id=suspension.pk)
    assert event.extra["new"]["flagged_cases"] == [to_mosul.reference]
    (task,) = Task.objects.filter(kind=TaskKind.SUSPENSION_REVIEW)
    assert task.case == to_mosul and task.status == TaskStatus.OPEN
    assert task.assignee == to_mosul.assignee is not None  # the case's caseworker
    assert to_mosul.timeline.first().summary == (
        "Booking flagged: returns to Nīnawá (IQ-NI), Iraq are suspended until lifted")
    itinerary = Itinerary.objects.get(case=to_mosul, status="booked")
    assert suspensions_covering(to_mosul, itinerary) == [suspension]
    client.force_login(world.carla)
    page = client.get(f"/cases/{to_mosul.reference}/").content.decode()
    assert 'data-testid="booking-flagged"' in page and "Fighting near the airport" in page
    assert not booked.timeline.filter(summary__startswith="Booking flagged").exists()
    # A whole-country suspension flags the other booked case too; nothing can be booked.
    country = suspend(world, reason="Airport closed")
    assert AuditEvent.objects.get(event_type=AuditType.SUSPENSION_SET, target_id=country.pk
                                  ).extra["new"]["flagged_cases"] == sorted(
        [booked.reference, to_mosul.reference])
    with pytest.raises(Invalid, match="Returns to Iraq are suspended until lifted"):
        book_travel(world, not_booked)
    lift_suspension(actor=world.pia, suspension=country, reason="Reopened",
                    version=country.version)
    lift_suspension(actor=world.sam, suspension=suspension, reason="Airport reopened",
                    version=suspension.version)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert to_mosul.timeline.first().summary == (
        "Suspension of returns to Nīnawá (IQ-NI), Iraq lifted")
    lifted = AuditEvent.objects.get(event_type=AuditType.SUSPENSION_LIFTED,
                                    target_id=suspension.pk)
    assert lifted.extra["new"]["unflagged_cases"] == [to_mosul.reference]
    assert suspensions_covering(to_mosul, itinerary) == []
    page = client.get(f"/cases/{to_mosul.reference}/").content.decode()
    assert 'data-testid="booking-flagged"' not in page
    assert later.pk  # a suspension after the journey flagged nothing
    book_travel(world, not_booked)
