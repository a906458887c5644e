"""The work each step of a case puts on a queue, and takes off it.

Called by the services of other apps, inside their transaction, after their step
succeeded (one line each: `cases.services` on opening, assigning and moving a case,
`medical.services` after a fitness to travel assessment, `screening.services` after a
screening). Deterministic: due dates count from the day of the step
(`timezone.localdate()`), so a step taken in the past (the demo's clock) leaves the
tasks it would have left then — overdue now, or closed by later steps.

- case opened (registered), or given to a caseworker while registered: `counsel`, for
  the assigned caseworker (the office's caseworkers' queue while nobody is), 7 days;
  done when counselling starts;
- applied: `approve`, on the host office's supervisors' queue, 5 days; done when the
  application is approved or rejected;
- approved, with members not yet assessed fit: `fitness`, on the host office's medical
  officers' queue, 7 days; done once every member is assessed fit;
- a screening with proposals: one `screening_action` per proposal, for the assigned
  caseworker, 7 days (2 for a victim of trafficking or a child without their parents);
- withdrawn, rejected, referred to an alternative pathway, cancelled, closed: every open
  task of the case is cancelled;
- a travel document to request: `document_request`, for the caseworker, 7 days; once
  requested from the consulate, `document_follow_up`, due on the document's follow-up date
  (moved with each follow-up); once issued, `document_collect`, 7 days; each done when
  the document moves on (a refusal closes the follow-up; asking again reopens the
  request);
- the case given to another caseworker: the open tasks of the case the previous one
  held go to the new one (back to the caseworkers' queue when there is none).
- arrived: `build_plan`, on the origin office's reintegration officers' queue, 14 days
  (`reintegration.services.open_build_plan_task`, opened again when an approved plan is
  reopened); done when the reintegration plan is approved; and one `monitoring_contact`
  per step of the programme's monitoring schedule, on the origin office's M&E officers'
  queue, due that many months after the arrival (`monitoring.services.open_contacts`);
  done when a visit or call with a conclusive outcome is recorded for the step.

Two more are opened by the step itself rather than from here: booking an itinerary
(`travel.services.book_itinerary`) hands the case over and puts `accept_handover` on the
origin office's reintegration officers' queue, 3 days, done when the handover is
accepted; a return suspension set over a booked journey
(`suspensions.services.set_suspension`) gives the caseworker `suspension_review`, 2 days,
done when the suspension is lifted (or marked done once reviewed).
"""

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from retorno.accounts.models import Role, User
from retorno.cases.models import FINAL, Case, Status, Vulnerability
from retorno.tasks.models import TaskKind
from retorno.tasks.services import close_tasks, move_tasks, open_task

if TYPE_CHECKING:
    from retorno.cases.workflow import Transition
    from retorno.documents.models import TravelDocument
    from retorno.screening.models import Screening

COUNSEL_DAYS = 7
APPROVE_DAYS = 5
FITNESS_DAYS = 7
DOCUMENT_REQUEST_DAYS = 7
DOCUMENT_COLLECT_DAYS = 7
SCREENING_DAYS = 7
URGENT_SCREENING_DAYS = 2
# Proposals that cannot wait a week: a victim of trafficking, a child without parents.
URGENT_FLAGS = frozenset({Vulnerability.TRAFFICKING, Vulnerability.UNACCOMPANIED_CHILD,
                          Vulnerability.SEPARATED_CHILD})


def _due(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _caseworker(case: Case) -> dict:
    """The case's caseworker, or the caseworkers' queue of its host office."""
    if case.assignee_id is not None:
        return {"assignee": case.assignee}
    return {"role": Role.CASEWORKER}


def after_case_opened(case: Case, actor: User) -> None:
    if case.status == Status.REGISTERED:
        open_task(case=case, kind=TaskKind.COUNSEL, due_on=_due(COUNSEL_DAYS), actor=actor,
                  **_caseworker(case))


def after_case_assigned(case: Case, actor: User, previous: int | None) -> None:
    """The case went from `previous` (a user id, or None) to `case.assignee`: their
    open tasks of the case go with it."""
    move_tasks(case=case, from_user=previous, to_user=case.assignee)


def after_transition(case: Case, transition: "Transition", actor: User) -> None:
    """`case` has just moved by `transition` (its status is the new one)."""
    status = case.status
    if status == Status.COUNSELLING:
        close_tasks(case=case, kind=TaskKind.COUNSEL, actor=actor)
    elif status == Status.APPLIED and transition.name == "applied":
        # Not on resuming a held application: its task stayed open, due when it was.
        open_task(case=case, kind=TaskKind.APPROVE, due_on=_due(APPROVE_DAYS),
                  role=Role.SUPERVISOR, actor=actor)
    elif status in (Status.APPROVED, Status.REJECTED):
        close_tasks(case=case, kind=TaskKind.APPROVE, actor=actor)
    if status == Status.APPROVED and transition.name == "approved":
        from retorno.medical.fitness import unfit_or_pending

        if unfit_or_pending(case):
            open_task(case=case, kind=TaskKind.FITNESS, due_on=_due(FITNESS_DAYS),
                      role=Role.MEDICAL_OFFICER, actor=actor)
    if status == Status.ARRIVED and transition.name == "arrived":
        from retorno.reintegration.services import open_build_plan_task

        open_build_plan_task(case, actor)
        from retorno.monitoring.services import open_contacts

        open_contacts(case, actor)
    if status in FINAL:
        # Nothing more is needed on a case that is over.
        close_tasks(case=case, actor=actor, cancelled=True)


def after_fitness_recorded(case: Case, actor: User) -> None:
    from retorno.medical.fitness import unfit_or_pending

    if not unfit_or_pending(case):
        close_tasks(case=case, kind=TaskKind.FITNESS, actor=actor)


def after_screening(screening: "Screening", actor: User) -> None:
    """One task per proposal of the screening, for the case's caseworker."""
    case = screening.case
    for proposal in screening.proposals:
        flag = proposal["flag"]
        days = URGENT_SCREENING_DAYS if flag in URGENT_FLAGS else SCREENING_DAYS
        open_task(case=case, kind=TaskKind.SCREENING_ACTION, due_on=_due(days), actor=actor,
                  subject=(f"flag:{flag}", screening.person_id),
                  detail={"flag": flag, "proposal": proposal["kind"],
                          "person": screening.person_id},
                  **_caseworker(case))


def after_document_status(document: "TravelDocument", actor: User) -> None:
    """A travel document was recorded or changed status (its status is the new one)."""
    from retorno.documents.models import DocumentStatus

    case, status = document.case, document.status
    about = {"subject": document, "detail": {"person": document.person_id}, "actor": actor}
    if status != DocumentStatus.TO_REQUEST:
        close_tasks(case=case, kind=TaskKind.DOCUMENT_REQUEST, subject=document, actor=actor)
    if status != DocumentStatus.REQUESTED:
        close_tasks(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP, subject=document, actor=actor)
    if status != DocumentStatus.ISSUED:
        close_tasks(case=case, kind=TaskKind.DOCUMENT_COLLECT, subject=document, actor=actor)
    if status == DocumentStatus.TO_REQUEST:
        open_task(case=case, kind=TaskKind.DOCUMENT_REQUEST, due_on=_due(DOCUMENT_REQUEST_DAYS),
                  **about, **_caseworker(case))
    elif status == DocumentStatus.REQUESTED:
        open_task(case=case, kind=TaskKind.DOCUMENT_FOLLOW_UP, due_on=document.follow_up_on,
                  **about, **_caseworker(case))
    elif status == DocumentStatus.ISSUED:
        open_task(case=case, kind=TaskKind.DOCUMENT_COLLECT, due_on=_due(DOCUMENT_COLLECT_DAYS),
                  **about, **_caseworker(case))
