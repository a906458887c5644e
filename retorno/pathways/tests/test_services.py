import datetime

import pytest
from django.utils import timezone

from retorno.cases.models import Status, TimelineKind
from retorno.cases.services import transition_case
from retorno.lib.errors import GuardsFailed, Invalid, NotAllowed, StaleVersion
from retorno.pathways import services
from retorno.pathways.models import Pathway, PathwayChange, PathwayStatus
from retorno.pathways.tests.builders import pathway_data, propose
from retorno.pathways.transitions import ALLOWED, next_statuses
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db

GUARD = ("Record the alternative pathway (local integration or settlement in a third "
         "country) before referring the case.")


def change(pathway, status, actor, comment=""):
    return services.change_pathway_status(actor=actor, pathway=pathway, status=status,
                                          comment=comment, version=pathway.version)


def test_it_proposes_a_pathway_with_audit_timeline_and_history(world):
    case = open_case(world)
    pathway = propose(case, world.carla)
    stored = Pathway.objects.get(pk=pathway.pk)
    assert (stored.status, stored.third_country, stored.version) == ("proposed", "SWE", 1)
    assert stored.proposed_by == world.carla
    event = AuditEvent.objects.get(case=case, event_type=AuditType.PATHWAY_PROPOSED)
    assert event.target_type == "pathway" and event.target_id == pathway.pk
    assert event.extra["new"]["kind"] == "family_reunification"
    assert event.extra["new"]["third_country"] == "SWE"
    assert "notes" not in event.extra["new"] and event.extra["notes_given"] is True
    entry = case.timeline.first()
    assert entry.kind == TimelineKind.CHANGED and "Family reunification" in entry.summary
    assert "Malmö" not in entry.summary
    [first] = PathwayChange.objects.filter(pathway=pathway)
    assert (first.from_status, first.to_status, first.by) == ("", "proposed", world.carla)


def test_local_integration_has_no_third_country(world):
    case = open_case(world)
    pathway = propose(case, world.carla, kind="local_integration", third_country="",
                      receiving_organisation="Job centre Berlin-Mitte")
    assert pathway.third_country == ""
    with pytest.raises(Invalid) as refused:
        propose(case, world.carla, kind="local_integration", third_country="SWE")
    assert "third_country" in refused.value.field_errors


@pytest.mark.parametrize("kind", ["resettlement", "family_reunification", "work_visa",
                                  "study_visa", "humanitarian_admission"])
def test_third_country_kinds_need_the_country(world, kind):
    case = open_case(world)
    with pytest.raises(Invalid) as refused:
        propose(case, world.carla, kind=kind, third_country="")
    assert "third_country" in refused.value.field_errors
    with pytest.raises(Invalid):
        propose(case, world.carla, kind=kind, third_country="XXX")
    assert not Pathway.objects.exists()


def test_it_refuses_a_future_referral_date(world):
    case = open_case(world)
    with pytest.raises(Invalid):
        propose(case, world.carla, referred_on=timezone.localdate() + datetime.timedelta(3))


@pytest.mark.parametrize("persona", ["max", "mona", "dana", "pia", "otto"])
def test_it_refuses_roles_outside_the_case_team(world, persona):
    case = open_case(world)
    with pytest.raises(NotAllowed):
        propose(case, world.users[persona])
    pathway = propose(case, world.carla)
    with pytest.raises(NotAllowed):
        change(pathway, "submitted", world.users[persona])


def test_the_transition_table():
    assert next_statuses("proposed") == ["submitted", "withdrawn"]
    assert next_statuses("submitted") == ["accepted", "declined", "withdrawn"]
    assert next_statuses("accepted") == ["completed", "withdrawn"]
    for final in ("declined", "completed", "withdrawn"):
        assert ALLOWED[final] == frozenset()


def test_it_walks_the_pathway_and_records_each_change(world):
    case = open_case(world)
    pathway = propose(case, world.carla)
    change(pathway, "submitted", world.carla, "Application filed")
    change(pathway, "accepted", world.sam)
    change(pathway, "completed", world.carla, "Arrived in Sweden")
    stored = Pathway.objects.get(pk=pathway.pk)
    assert (stored.status, stored.version) == ("completed", 4)
    history = list(PathwayChange.objects.filter(pathway=pathway)
                   .values_list("from_status", "to_status", "by__username", "comment"))
    assert history == [("", "proposed", "carla", ""),
                       ("proposed", "submitted", "carla", "Application filed"),
                       ("submitted", "accepted", "sam", ""),
                       ("accepted", "completed", "carla", "Arrived in Sweden")]
    events = AuditEvent.objects.filter(event_type=AuditType.PATHWAY_CHANGED).order_by("id")
    assert [e.extra["new"]["status"] for e in events] == ["submitted", "accepted",
                                                         "completed"]
    assert events[0].extra == {"old": {"status": "proposed"}, "new": {"status": "submitted"},
                               "comment_given": True}


@pytest.mark.parametrize(("path", "refused"), [
    ([], "accepted"), ([], "completed"), (["submitted"], "completed"),
    (["submitted", "declined"], "submitted"), (["withdrawn"], "submitted"),
    (["submitted", "accepted", "completed"], "withdrawn"), ([], "nonsense")])
def test_it_refuses_moves_the_table_does_not_allow(world, path, refused):
    case = open_case(world)
    pathway = propose(case, world.carla)
    for status in path:
        change(pathway, status, world.carla)
    version = pathway.version
    with pytest.raises(Invalid):
        change(pathway, refused, world.carla)
    stored = Pathway.objects.get(pk=pathway.pk)
    assert stored.version == version and stored.status == (path[-1] if path else "proposed")


def test_it_refuses_a_stale_version_and_writes_nothing(world):
    case = open_case(world)
    pathway = propose(case, world.carla)
    stale = Pathway.objects.get(pk=pathway.pk)
    change(pathway, "submitted", world.carla)
    events, entries = AuditEvent.objects.count(), case.timeline.count()
    stale.case = case
    with pytest.raises(StaleVersion):
        services.change_pathway_status(actor=world.sam, pathway=stale, status="withdrawn",
                                       version=1)
    stored = Pathway.objects.get(pk=pathway.pk)
    assert (stored.status, stored.version) == ("submitted", 2)
    assert stale.status == "proposed"
    assert AuditEvent.objects.count() == events and case.timeline.count() == entries
    assert PathwayChange.objects.filter(pathway=pathway).count() == 2


def test_referral_needs_a_live_pathway(world):
    case = open_case(world)
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "referred_alternative", actor=world.carla, reason="Sweden")
    assert refused.value.messages == [GUARD]
    # The reason guard stays.
    with pytest.raises(GuardsFailed) as refused:
        transition_case(case, "referred_alternative", actor=world.carla)
    assert refused.value.messages == ["Give a reason.", GUARD]
    pathway = propose(case, world.carla)
    change(pathway, "submitted", world.carla)
    change(pathway, "declined", world.carla)
    withdrawn = propose(case, world.carla, kind="work_visa", third_country="CAN")
    change(withdrawn, "withdrawn", world.carla)
    with pytest.raises(GuardsFailed):
        transition_case(case, "referred_alternative", actor=world.carla, reason="Sweden")
    propose(case, world.carla, kind="local_integration", third_country="")
    transition_case(case, "referred_alternative", actor=world.carla, reason="Stays")
    assert case.status == Status.REFERRED_ALTERNATIVE


def test_the_pathway_goes_on_after_the_case_is_referred(world):
    case = open_case(world)
    pathway = propose(case, world.carla)
    transition_case(case, "referred_alternative", actor=world.carla, reason="Sweden")
    change(pathway, "submitted", world.carla)
    assert Pathway.objects.get(pk=pathway.pk).status == PathwayStatus.SUBMITTED


def test_it_refuses_a_closed_case(world):
    case = open_case(world)
    transition_case(case, "withdrawn", actor=world.carla, reason="Stays")
    with pytest.raises(Invalid):
        services.propose_pathway(actor=world.carla, case=case, data=pathway_data())
