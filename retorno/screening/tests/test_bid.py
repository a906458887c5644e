"""Best-interest determinations: the service, the page, the API and the guard on "ready
to travel"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.cases.models import Status, TimelineKind
from retorno.cases.services import transition_case
from retorno.cases.workflow import Attempt, child_best_interest
from retorno.lib.errors import GuardsFailed, Invalid, NotAllowed
from retorno.medical.fitness import unfit_or_pending
from retorno.medical.services import record_assessment
from retorno.privacy.models import AuditEvent, AuditType, ConsentPurpose
from retorno.screening.models import BestInterestDetermination, BidDecision
from retorno.screening.services import record_bid
from retorno.screening.tests.builders import add, born
from retorno.testing.personas import (
    book_travel,
    open_case,
    prepare_application,
    prepare_travel_documents,
    record_consents,
)

pytestmark = pytest.mark.django_db

POSITIVE = {"decided_on": "2026-03-02", "decision": "in_best_interest",
            "panel": "BID panel Berlin", "guardian_name": "Mariam Haddad",
            "reasons": "Mother traced in Erbil; wishes to rejoin her."}


def _case_with_child(world, flag="unaccompanied_child"):
    case = open_case(world)
    child = add(case, world.carla, "other_relative", born(15), given_name="Lana",
                vulnerabilities=[flag])
    return case, child


def _data(**overrides):
    data = {**POSITIVE, **overrides}
    data["decided_on"] = datetime.date.fromisoformat(data["decided_on"])
    return data


# ---- the service ----------------------------------------------------------------------


def test_it_records_a_bid_with_audit_and_timeline_without_the_reasons(world):
    case, child = _case_with_child(world)
    bid = record_bid(actor=world.carla, case=case, person=child.person, data=_data())
    stored = BestInterestDetermination.objects.get(pk=bid.pk)
    assert stored.decision == BidDecision.RETURN_IN_BEST_INTEREST and stored.is_positive
    assert stored.recorded_by == world.carla and stored.version == 1
    assert stored.reasons.startswith("Mother traced")
    event = AuditEvent.objects.get(case=case, event_type=AuditType.BID_RECORDED)
    assert event.target_id == bid.pk and event.actor == world.carla
    assert event.extra == {"new": {"person": child.person_id, "decided_on": "2026-03-02",
                                   "decision": "in_best_interest",
                                   "panel": "BID panel Berlin",
                                   "guardian_name": "Mariam Haddad"},
                           "reasons_given": True}
    entry = case.timeline.filter(kind=TimelineKind.CHANGED).latest("id")
    assert entry.summary == ("Best-interest determination recorded for "
                             f"{child.person.display_name}")
    assert "Erbil" not in entry.summary and not entry.reason


def test_it_records_bids_only_for_children_who_need_one(world):
    case, _child = _case_with_child(world)
    with pytest.raises(Invalid, match="no best-interest determination is needed"):
        record_bid(actor=world.carla, case=case, person=case.principal.person, data=_data())
    assert not BestInterestDetermination.objects.exists()


def test_it_refuses_roles_outside_the_case_team_and_invalid_data(world):
    case, child = _case_with_child(world)
    for user in (world.max, world.mona, world.otto):
        with pytest.raises(NotAllowed):
            record_bid(actor=user, case=case, person=child.person, data=_data())
    with pytest.raises(Invalid) as exc:
        record_bid(actor=world.carla, case=case, person=child.person,
                   data=_data(decision="maybe", panel=""))
    assert set(exc.value.field_errors) == {"decision", "panel"}
    assert not BestInterestDetermination.objects.exists()


# ---- the page -------------------------------------------------------------------------


def _url(case, member):
    return f"/cases/{case.reference}/members/{member.person_id}/best-interest/"


def test_the_page_records_a_bid_and_the_case_page_shows_it(world, client):
    case, child = _case_with_child(world)
    client.force_login(world.carla)
    assert "Record a best-interest determination" in client.get(
        f"/cases/{case.reference}/").content.decode()
    response = client.post(_url(case, child), POSITIVE)
    assert response.status_code == 302
    bid = BestInterestDetermination.objects.get()
    assert bid.person == child.person and bid.panel == "BID panel Berlin"
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Return is in the child&#x27;s best interest" in page
    assert "Mother traced" in page
    client.force_login(world.max)  # sees the case, not the protection detail
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "BID panel Berlin" in page and "Mother traced" not in page


def test_the_page_shows_errors_and_is_closed_to_others(world, client):
    case, child = _case_with_child(world)
    client.force_login(world.carla)
    response = client.post(_url(case, child), {**POSITIVE, "panel": ""})
    assert response.status_code == 422
    assert not BestInterestDetermination.objects.exists()
    assert client.get(_url(case, case.principal)).status_code == 404
    client.force_login(world.max)
    assert client.get(_url(case, child)).status_code == 403
    client.force_login(world.otto)
    assert client.get(_url(case, child)).status_code == 404


# ---- the API --------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_records_and_lists_bids_with_reasons_for_protection_roles(world):
    case, child = _case_with_child(world)
    url = reverse("api:case_bids", args=[case.reference])
    response = _api(world.carla).post(url, {**POSITIVE, "person_id": child.person_id},
                                      format="json")
    assert response.status_code == 201, response.content
    assert response.json()["decision"] == "in_best_interest"
    assert response.json()["reasons"].startswith("Mother traced")
    listed = _api(world.carla).get(url).json()
    assert [b["person_id"] for b in listed] == [child.person_id]
    hidden = _api(world.max).get(url).json()
    assert "reasons" not in hidden[0] and hidden[0]["panel"] == "BID panel Berlin"
    assert _api(world.otto).get(url).status_code == 404


def test_the_api_refuses_a_member_who_needs_no_bid_and_wrong_roles(world):
    case, child = _case_with_child(world)
    url = reverse("api:case_bids", args=[case.reference])
    response = _api(world.carla).post(
        url, {**POSITIVE, "person_id": case.principal.person_id}, format="json")
    assert response.status_code == 400
    response = _api(world.max).post(url, {**POSITIVE, "person_id": child.person_id},
                                    format="json")
    assert response.status_code == 403
    assert not BestInterestDetermination.objects.exists()


# ---- the guard on "ready to travel" ---------------------------------------------------


def _preparing_departure(world, flag="unaccompanied_child"):
    case, child = _case_with_child(world, flag)
    prepare_application(world, case)  # the child's consent is given by a guardian
    for name, actor in [("counselling", world.carla), ("applied", world.carla),
                        ("approved", world.sam), ("preparing_departure", world.max)]:
        transition_case(case, name, actor=actor)
    record_consents(world, case, ConsentPurpose.ORIGIN_OFFICE)
    for person in unfit_or_pending(case):
        record_assessment(actor=world.mona, case=case, person=person, data={
            "outcome": "fit", "assessed_on": timezone.localdate()})
    prepare_travel_documents(world, case)
    book_travel(world, case)
    return case, child


def test_it_keeps_an_unaccompanied_child_from_travelling_without_a_positive_bid(world):
    case, child = _preparing_departure(world)
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "ready_to_travel", actor=world.max)
    assert exc.value.messages == [
        "No best-interest determination finding return in the child's best interest for: "
        f"{child.person.display_name}. Record one under Vulnerability screening on the "
        "case page."]
    record_bid(actor=world.carla, case=case, person=child.person,
               data=_data(decision="not_in_best_interest"))
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "ready_to_travel", actor=world.max)
    assert child.person.display_name in exc.value.messages[0]
    record_bid(actor=world.carla, case=case, person=child.person,
               data=_data(decided_on="2026-03-03"))
    transition_case(case, "ready_to_travel", actor=world.max)
    assert case.status == Status.READY_TO_TRAVEL


def test_it_asks_for_a_guardians_consent_to_processing(world):
    case, child = _case_with_child(world, "separated_child")
    record_bid(actor=world.carla, case=case, person=child.person, data=_data())
    attempt = Attempt(case, world.max, "", timezone.localdate())
    assert child_best_interest(attempt) == (
        "Consent to processing has not been given by a guardian for: "
        f"{child.person.display_name}. Record the guardian's consent for each child.")
    record_consents(world, case, ConsentPurpose.PROCESSING)
    assert child_best_interest(attempt) is None


def test_it_asks_nothing_of_a_case_without_such_children(world):
    case = open_case(world)
    assert child_best_interest(Attempt(case, world.max, "", timezone.localdate())) is None
