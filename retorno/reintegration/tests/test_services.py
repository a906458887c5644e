import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from retorno.cases.models import TimelineEntry
from retorno.cases.services import transition_case
from retorno.finance.models import Grant
from retorno.lib.errors import GuardsFailed, Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.reintegration import services
from retorno.reintegration.models import Delivery, PlanStatus, ReintegrationPlan
from retorno.reintegration.tests.builders import arrived, assessed, item
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import build_plan, walk

pytestmark = pytest.mark.django_db


def _latest_timeline(case) -> str:
    return TimelineEntry.objects.filter(case=case).order_by("-at", "-id").first().summary


def test_it_approves_a_plan_exactly_at_the_ceiling_and_awards_the_grant(world):
    case = arrived(world)  # one person: 2,000 EUR
    plan = assessed(world, case)
    item(world, plan, "1500")
    item(world, plan, "500", kind="education", description="Evening classes")
    plan = services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == world.rita
    grant = Grant.objects.get(case=case, kind="reintegration")
    assert grant.amount == Decimal("2000") and grant.currency == "EUR"
    assert AuditEvent.objects.filter(event_type=AuditType.PLAN_APPROVED, case_id=case.pk,
                                     extra__total="2000.000").exists()
    assert _latest_timeline(case) == "Reintegration plan approved"
    assert not Task.objects.filter(case=case, kind=TaskKind.BUILD_PLAN,
                                   status=TaskStatus.OPEN).exists()


def test_it_refuses_one_minor_unit_above_the_ceiling(world):
    case = arrived(world)
    plan = assessed(world, case)
    item(world, plan, "2000.01")
    with pytest.raises(Invalid) as exc:
        services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    assert exc.value.messages == [
        "The items cost €2,000.01; the package allows at most €2,000.00 for this case."]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not Grant.objects.filter(case=case).exists()


def test_it_lists_every_problem_of_an_incomplete_plan(world):
    case = arrived(world)
    plan = services.start_plan(actor=world.rita, case=case)
    with pytest.raises(Invalid) as exc:
        services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    assert exc.value.messages == [
        "Give the date of the needs assessment.",
        "Rate the needs of the assessment: economic needs, social needs, psychosocial needs.",
        "Add at least one assistance item to the plan."]


def test_it_refuses_approval_without_a_package(world):
    case = arrived(world, package=False)
    plan = assessed(world, case)
    with pytest.raises(Invalid) as exc:
        services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    assert any("no assistance package" in m for m in exc.value.messages)


def test_it_reopens_and_approves_again_with_a_new_total(world):
    case = arrived(world)
    plan = assessed(world, case)
    first = item(world, plan, "1000")
    plan = services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    with pytest.raises(Invalid, match="Say why"):
        services.reopen_plan(actor=world.rita, plan=plan, version=plan.version, reason=" ")
    plan = services.reopen_plan(actor=world.rita, plan=plan, version=plan.version,
                                reason="The returnee moved to Basra.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.approved_by is None
    event = AuditEvent.objects.get(event_type=AuditType.PLAN_REOPENED, case_id=case.pk)
    assert event.extra["reason"] == "The returnee moved to Basra."
    assert _latest_timeline(case) == "Reintegration plan reopened"
    assert Task.objects.filter(case=case, kind=TaskKind.BUILD_PLAN,
                               status=TaskStatus.OPEN).exists()
    first.plan = plan
    services.update_item(actor=world.rita, item=first, version=first.version,
                         data={"cost": Decimal("1800")})
    plan.case = case
    services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    assert Grant.objects.get(case=case, kind="reintegration").amount == Decimal("1800")


def test_it_changes_the_assessment_and_items_of_a_draft_only(world):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "100")
    plan = services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    with pytest.raises(Invalid, match="reopen it"):
        services.update_plan(actor=world.rita, plan=plan, version=plan.version,
                             data={"level": "family"})
    it.plan = plan
    with pytest.raises(Invalid, match="reopen it"):
        services.update_item(actor=world.rita, item=it, version=it.version,
                             data={"cost": Decimal("50")})
    with pytest.raises(Invalid, match="reopen it"):
        services.add_item(actor=world.rita, plan=plan, data={"kind": "legal"})
    with pytest.raises(Invalid, match="reopen it"):
        services.remove_item(actor=world.rita, item=it)
    # Milestones and delivery: any time.
    milestone = services.add_milestone(actor=world.rita, plan=plan, data={
        "title": "Shop open", "due_on": timezone.localdate() + datetime.timedelta(days=60)})
    services.update_milestone(actor=world.rita, milestone=milestone,
                              version=milestone.version,
                              data={"reached_on": timezone.localdate()})
    assert _latest_timeline(case) == "Plan milestone reached"
    services.record_delivery(actor=world.rita, item=it, version=it.version,
                             delivery=Delivery.DELIVERED, delivered_on=timezone.localdate())
    it.refresh_from_db()
    assert it.delivery == Delivery.DELIVERED
    assert _latest_timeline(case) == "Assistance delivery (Business set-up): Delivered"


def test_it_refuses_delivery_before_approval_and_without_a_date(world):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "100")
    with pytest.raises(Invalid, match="once the plan is approved"):
        services.record_delivery(actor=world.rita, item=it, version=it.version,
                                 delivery=Delivery.DELIVERED, delivered_on=None)
    services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    with pytest.raises(Invalid) as exc:
        services.record_delivery(actor=world.rita, item=it, version=it.version,
                                 delivery=Delivery.DELIVERED, delivered_on=None)
    assert exc.value.field_errors == {
        "delivered_on": ["Give the date the assistance was delivered."]}
    with pytest.raises(Invalid, match="future"):
        services.record_delivery(
            actor=world.rita, item=it, version=it.version, delivery=Delivery.DELIVERED,
            delivered_on=timezone.localdate() + datetime.timedelta(days=1))


def test_it_dates_the_assessment_neither_in_the_future_nor_before_arrival(world):
    case = arrived(world)
    plan = services.start_plan(actor=world.rita, case=case)
    with pytest.raises(Invalid) as exc:
        services.update_plan(actor=world.rita, plan=plan, version=plan.version, data={
            "assessed_on": timezone.localdate() + datetime.timedelta(days=1)})
    assert exc.value.field_errors["assessed_on"] == [
        "The needs assessment cannot be dated in the future."]
    with pytest.raises(Invalid) as exc:
        services.update_plan(actor=world.rita, plan=plan, version=plan.version, data={
            "assessed_on": timezone.localdate() - datetime.timedelta(days=3)})
    assert "cannot be before the arrival" in exc.value.field_errors["assessed_on"][0]
    plan.refresh_from_db()
    assert plan.assessed_on is None and plan.version == 1


def test_it_refuses_a_stale_version_and_writes_nothing(world):
    case = arrived(world)
    plan = assessed(world, case)
    stale = plan.version - 1
    with pytest.raises(StaleVersion):
        services.update_plan(actor=world.rita, plan=plan, version=stale,
                             data={"level": "family"})
    assert ReintegrationPlan.objects.get(pk=plan.pk).level == "individual"


def test_it_records_audit_and_timeline_without_amounts_or_notes(world):
    case = arrived(world)
    plan = assessed(world, case)
    it = item(world, plan, "1234.50")
    services.update_item(actor=world.rita, item=it, version=it.version,
                         data={"cost": Decimal("1300"), "description": "Tools and stock"})
    summaries = list(TimelineEntry.objects.filter(case=case).values_list("summary",
                                                                        flat=True))
    assert "Reintegration plan started" in summaries
    assert ("Reintegration plan changed: assessed on, economic needs, economic situation, "
            "social needs, social situation, psychosocial needs, psychosocial situation, "
            "in the returnee's words") in summaries
    assert "Assistance item added: Business set-up" in summaries
    assert "Assistance item changed (Business set-up): description, cost" in summaries
    text = " ".join(summaries)
    assert "1234" not in text and "1300" not in text and "sleeping" not in text
    event = AuditEvent.objects.filter(event_type=AuditType.ASSISTANCE_ITEM_CHANGED,
                                      extra__part="changed").get()
    assert event.extra["old"]["cost"] == "1234.500" and event.extra["new"]["cost"] == "1300.000"
    event = AuditEvent.objects.filter(event_type=AuditType.PLAN_CHANGED,
                                      extra__part="assessment").get()
    assert event.extra["new"]["psychosocial_notes"] == "Trouble sleeping."


def test_it_validates_items_with_every_problem_at_once(world):
    case = arrived(world)
    plan = assessed(world, case)
    with pytest.raises(Invalid) as exc:
        services.add_item(actor=world.rita, plan=plan, data={
            "kind": "space_travel", "description": " ", "beneficiary": 999999,
            "cost": Decimal("-1")})
    fields = exc.value.field_errors
    assert set(fields) == {"kind", "description", "beneficiary", "cost"}
    with pytest.raises(Invalid) as exc:
        services.add_item(actor=world.rita, plan=plan, data={
            "kind": "business", "description": "Shop", "cost": Decimal("10.005")})
    assert exc.value.field_errors["cost"] == [
        "An amount in EUR has at most 2 digits after the decimal point."]
    it = services.add_item(actor=world.rita, plan=plan, data={
        "kind": "business", "description": "Shop", "cost": Decimal("0"),
        "beneficiary": case.principal.person_id})
    assert it.beneficiary_id == case.principal.person_id
    services.remove_item(actor=world.rita, item=it)
    assert not plan.items.filter(pk=it.pk).exists()
    assert _latest_timeline(case) == "Assistance item removed: Business set-up"


def test_it_lets_only_the_origin_office_record(world):
    case = arrived(world)
    for user in (world.carla, world.sam, world.emil):
        with pytest.raises(NotAllowed):
            services.start_plan(actor=user, case=case)
    plan = services.start_plan(actor=world.rita, case=case)
    with pytest.raises(NotAllowed):
        services.update_plan(actor=world.sam, plan=plan, version=plan.version,
                             data={"level": "family"})


def test_it_guards_monitoring_with_an_approved_plan(world):
    case = arrived(world)
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "monitoring", actor=world.rita)
    assert "Build the reintegration plan" in exc.value.messages[0]
    plan = assessed(world, case)
    with pytest.raises(GuardsFailed) as exc:
        transition_case(case, "monitoring", actor=world.rita)
    assert "still a draft" in exc.value.messages[0]
    item(world, plan, "100")
    services.approve_plan(actor=world.rita, plan=plan, version=plan.version)
    transition_case(case, "monitoring", actor=world.rita)
    assert case.status == "monitoring"


def test_it_opens_the_build_plan_task_on_arrival(world):
    case = arrived(world, reintegration=False)
    task = Task.objects.get(case=case, kind=TaskKind.BUILD_PLAN, status=TaskStatus.OPEN)
    assert task.office_id == world.baghdad.pk and task.role == "reintegration_officer"
    assert task.due_on == timezone.localdate() + datetime.timedelta(days=14)


def test_it_walks_to_closed_through_build_plan(world):
    case = arrived(world)
    walk(world, case, ("monitoring", world.rita))
    assert ReintegrationPlan.objects.get(case=case).status == PlanStatus.APPROVED
    assert build_plan(world, case).status == PlanStatus.APPROVED  # idempotent
