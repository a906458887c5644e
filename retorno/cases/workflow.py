"""The case lifecycle as one table.

Each `Transition` says where a case may go, from where, which roles may move it (and on
which side: the host office before handover, the origin office after), and which guards
must hold. A guard returns a sentence saying what is missing and what to do, or None
when satisfied. `services.transition_case` evaluates *every* guard and refuses with all
unmet ones, so the user sees the whole list at once.

Later issues add guards here.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retorno.accounts.models import Role
from retorno.cases.models import MAIN_ROAD, OPEN, Relationship, Status
from retorno.declarations.guards import signed_declaration
from retorno.people.models import display_names
from retorno.programmes.eligibility import unmet_rules
from retorno.suspensions.guards import no_return_suspension

if TYPE_CHECKING:
    from retorno.accounts.models import User
    from retorno.cases.models import Case


@dataclass(frozen=True)
class Attempt:
    """What a guard looks at: the case, who is acting, why, and when."""

    case: "Case"
    actor: "User"
    reason: str
    today: datetime.date


Guard = Callable[[Attempt], str | None]

HOST, ORIGIN, ANY = "host", "origin", "any"


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    to: Status | None  # None: back to the status the case was held from
    sources: frozenset[Status]
    roles: frozenset[Role]
    side: str = HOST
    guards: tuple[Guard, ...] = field(default_factory=tuple)
    needs_reason: bool = False
    asks_comment: bool = False  # offers an optional comment, kept as the timeline reason
    danger: bool = False  # shown apart, with a confirmation


# ---- guards, in the words shown to the user ---------------------------------------------


def reason_given(attempt: Attempt) -> str | None:
    if not attempt.reason.strip():
        return _("Give a reason.")
    return None


def has_principal(attempt: Attempt) -> str | None:
    if not attempt.case.members.filter(relationship=Relationship.PRINCIPAL).exists():
        return _("Add the principal applicant to the case.")
    return None


def has_assignee(attempt: Attempt) -> str | None:
    if attempt.case.assignee_id is None:
        return _("Assign a caseworker to the case.")
    return None


def has_programme(attempt: Attempt) -> str | None:
    if attempt.case.programme_id is None:
        return _("Choose a programme for this case.")
    return None


def has_origin_office(attempt: Attempt) -> str | None:
    if attempt.case.origin_office_id is None:
        return _("Choose the origin office that will receive the returnee.")
    return None


def meets_programme_rules(attempt: Attempt) -> str | None:
    if attempt.case.programme_id is None:
        return None  # has_programme already says so
    unmet = unmet_rules(attempt.case, attempt.today)
    return " ".join(unmet) or None


def four_eyes(attempt: Attempt) -> str | None:
    if attempt.case.assignee_id == attempt.actor.pk:
        return _("A supervisor other than the assigned caseworker must do this.")
    return None


def consents_to_processing(attempt: Attempt) -> str | None:
    # Imported here: the privacy app imports the cases app.
    from retorno.privacy.consent import missing_consent
    from retorno.privacy.models import ConsentPurpose

    lacking = missing_consent(attempt.case, ConsentPurpose.PROCESSING)
    if lacking:
        return _("Record consent to processing for: %(names)s.") % {"names": display_names(lacking)}
    return None


def wishes_to_return(attempt: Attempt) -> str | None:
    from retorno.counselling.models import Position

    if not attempt.case.counselling_sessions.filter(
            position=Position.WISHES_TO_RETURN).exists():
        return _("Record a counselling session in which the person says they wish to "
                 "return.")
    return None


def consents_to_origin_sharing(attempt: Attempt) -> str | None:
    from retorno.privacy.consent import missing_consent
    from retorno.privacy.models import ConsentPurpose

    lacking = missing_consent(attempt.case, ConsentPurpose.ORIGIN_OFFICE)
    if lacking:
        return _("Record consent to sharing with the office in the country of origin for: "
                 "%(names)s.") % {"names": display_names(lacking)}
    return None


def fit_to_travel(attempt: Attempt) -> str | None:
    from retorno.medical.fitness import unfit_or_pending

    waiting = unfit_or_pending(attempt.case)
    if waiting:
        return _("Not yet assessed fit to travel (unfit, pending or not assessed): "
                 "%(names)s. The medical officer records fitness to travel for each "
                 "member.") % {"names": display_names(waiting)}
    return None


def child_best_interest(attempt: Attempt) -> str | None:
    """Each unaccompanied or separated child: a best-interest determination finding return
    in their best interest, and consent to processing given by a guardian."""
    from retorno.privacy.models import Consent, ConsentPurpose
    from retorno.screening.bid import needs_best_interest_determination, without_positive_bid

    children = needs_best_interest_determination(attempt.case)
    if not children:
        return None
    unmet = []
    no_bid = without_positive_bid(attempt.case)
    if no_bid:
        unmet.append(_("No best-interest determination finding return in the child's best "
                       "interest for: %(names)s. Record one under Vulnerability screening "
                       "on the case page.") % {"names": display_names(no_bid)})
    by_guardian = set(Consent.objects.filter(
        person__in=children, purpose=ConsentPurpose.PROCESSING, withdrawn_at__isnull=True)
        .exclude(guardian_name="").values_list("person_id", flat=True))
    no_guardian = [p for p in children if p.pk not in by_guardian]
    if no_guardian:
        unmet.append(_("Consent to processing has not been given by a guardian for: "
                       "%(names)s. Record the guardian's consent for each child.")
                     % {"names": display_names(no_guardian)})
    return " ".join(unmet) or None


def holds_valid_travel_documents(attempt: Attempt) -> str | None:
    # Imported here: the documents app imports the cases app.
    from retorno.documents.guards import travel_documents_valid

    return travel_documents_valid(attempt)


def travel_booked(attempt: Attempt) -> str | None:
    # Imported here: the travel app imports the cases app.
    from retorno.travel.guards import itinerary_booked

    return itinerary_booked(attempt)


def escorts_on_every_leg(attempt: Attempt) -> str | None:
    from retorno.travel.guards import escorts_assigned

    return escorts_assigned(attempt)


def pre_embarkation_done(attempt: Attempt) -> str | None:
    from retorno.travel.guards import departure_checked

    return departure_checked(attempt)


def reception_arrival_recorded(attempt: Attempt) -> str | None:
    # Imported here: the reception app imports the cases app.
    from retorno.reception.guards import arrival_recorded

    return arrival_recorded(attempt)


def reintegration_plan_approved(attempt: Attempt) -> str | None:
    # Imported here: the reintegration app imports the cases app.
    from retorno.reintegration.guards import plan_approved

    return plan_approved(attempt)


def still_meets_held_status(attempt: Attempt) -> str | None:
    """Resuming returns the case to the status it was held in; what that status needed
    must still hold (a consent may have been withdrawn meanwhile). Decisions taken then
    (four-eyes approval) are not taken again."""
    entering = next((t for t in TRANSITIONS if t.to == attempt.case.held_from), None)
    if entering is None:
        return None
    unmet = [msg for guard in entering.guards
             if guard not in (four_eyes, reason_given) and (msg := guard(attempt))]
    return " ".join(unmet) or None


def has_alternative_pathway(attempt: Attempt) -> str | None:
    from retorno.pathways.current import has_live_pathway

    if not has_live_pathway(attempt.case):
        return _("Record the alternative pathway (local integration or settlement in a "
                 "third country) before referring the case.")
    return None


# ---- the table ------------------------------------------------------------------------

_CW, _SUP = Role.CASEWORKER, Role.SUPERVISOR
_MOVE, _REINT, _ME = Role.MOVEMENT_OFFICER, Role.REINTEGRATION_OFFICER, Role.ME_OFFICER
_BEFORE_DEPARTURE = frozenset(MAIN_ROAD[: MAIN_ROAD.index(Status.DEPARTED)])
_BEFORE_APPROVAL = frozenset(MAIN_ROAD[: MAIN_ROAD.index(Status.APPROVED) + 1])


def _one(status: Status) -> frozenset[Status]:
    return frozenset({status})


TRANSITIONS: tuple[Transition, ...] = (
    Transition("counselling", gettext_lazy("Start counselling"), Status.COUNSELLING,
               _one(Status.REGISTERED), frozenset({_CW, _SUP}),
               guards=(has_principal, has_assignee)),
    Transition("applied", gettext_lazy("Record the application"), Status.APPLIED,
               _one(Status.COUNSELLING), frozenset({_CW, _SUP}),
               guards=(has_principal, has_programme, consents_to_processing,
                       wishes_to_return, signed_declaration)),
    Transition("approved", gettext_lazy("Approve"), Status.APPROVED,
               _one(Status.APPLIED), frozenset({_SUP}),
               guards=(has_programme, meets_programme_rules, four_eyes), asks_comment=True),
    Transition("preparing_departure", gettext_lazy("Start preparing departure"),
               Status.PREPARING_DEPARTURE, _one(Status.APPROVED),
               frozenset({_CW, _SUP, _MOVE})),
    Transition("ready_to_travel", gettext_lazy("Mark ready to travel"), Status.READY_TO_TRAVEL,
               _one(Status.PREPARING_DEPARTURE), frozenset({_MOVE, _SUP}),
               guards=(has_origin_office, consents_to_origin_sharing, fit_to_travel,
                       child_best_interest, holds_valid_travel_documents, travel_booked,
                       escorts_on_every_leg, no_return_suspension)),
    Transition("departed", gettext_lazy("Confirm departure"), Status.DEPARTED,
               _one(Status.READY_TO_TRAVEL), frozenset({_MOVE, _SUP}),
               guards=(has_origin_office, pre_embarkation_done)),
    Transition("arrived", gettext_lazy("Confirm arrival"), Status.ARRIVED,
               _one(Status.DEPARTED), frozenset({_REINT, _SUP}), side=ORIGIN,
               guards=(reception_arrival_recorded,)),
    Transition("reintegration", gettext_lazy("Start reintegration"), Status.REINTEGRATION,
               _one(Status.ARRIVED), frozenset({_REINT, _SUP}), side=ORIGIN),
    Transition("monitoring", gettext_lazy("Start monitoring"), Status.MONITORING,
               _one(Status.REINTEGRATION), frozenset({_REINT, _ME, _SUP}), side=ORIGIN,
               guards=(reintegration_plan_approved,)),
    Transition("closed", gettext_lazy("Close the case"), Status.CLOSED,
               _one(Status.MONITORING), frozenset({_SUP}), side=ORIGIN, guards=(four_eyes,)),
    # Side exits. Withdrawal is the migrant's right at any time: its only guard is a reason.
    Transition("withdrawn", gettext_lazy("Withdraw (the migrant changed their mind)"),
               Status.WITHDRAWN, OPEN, frozenset({_CW, _SUP, _MOVE, _REINT}),
               side=ANY, guards=(reason_given,), needs_reason=True, danger=True),
    Transition("rejected", gettext_lazy("Reject (not eligible)"), Status.REJECTED,
               _BEFORE_APPROVAL, frozenset({_SUP}), guards=(reason_given,),
               needs_reason=True, danger=True),
    Transition("on_hold", gettext_lazy("Put on hold"), Status.ON_HOLD,
               OPEN - {Status.ON_HOLD}, frozenset({_CW, _SUP, _MOVE, _REINT}),
               side=ANY, guards=(reason_given,), needs_reason=True),
    Transition("resume", gettext_lazy("Resume"), None, _one(Status.ON_HOLD),
               frozenset({_CW, _SUP, _MOVE, _REINT}), side=ANY,
               guards=(still_meets_held_status,)),
    Transition("referred_alternative",
               gettext_lazy("Refer to an alternative pathway (local integration, third country)"),
               Status.REFERRED_ALTERNATIVE, _BEFORE_DEPARTURE, frozenset({_CW, _SUP}),
               guards=(reason_given, has_alternative_pathway), needs_reason=True, danger=True),
    Transition("cancelled", gettext_lazy("Cancel the case"), Status.CANCELLED, OPEN,
               frozenset({_SUP}), side=ANY, guards=(reason_given,), needs_reason=True, danger=True),
)
BY_NAME = {t.name: t for t in TRANSITIONS}


def target_status(transition: Transition, case: "Case") -> Status:
    return transition.to if transition.to is not None else Status(case.held_from)


def leaving(case: "Case") -> list[Transition]:
    """The transitions whose source includes the case's current status."""
    return [t for t in TRANSITIONS if case.status in t.sources]


def unmet_guards(transition: Transition, case: "Case", actor: "User", reason: str = "",
                 today: datetime.date | None = None,
                 skip: tuple[Guard, ...] = ()) -> list[str]:
    """Every unmet guard's message, in table order; `skip` leaves some out (the page
    asks for the reason when the button is pressed, so it does not list it beforehand)."""
    attempt = Attempt(case, actor, reason, today or timezone.localdate())
    return [msg for guard in transition.guards
            if guard not in skip and (msg := guard(attempt))]
