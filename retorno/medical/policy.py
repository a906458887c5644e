"""Who records fitness to travel, and who reads its medical detail.

Assessments are read with their case: whoever may see the case (`cases.policy.access_case`)
sees each member's outcome, special needs and escort flag. The medical detail, and the
right to record or change an assessment, belong to the medical officer of the case's
*host office* only. After handover the origin office sees the outcome but not the
detail: sharing medical detail with another office is not a purpose anyone has consented
to yet.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.medical.models import FitnessAssessment


def can_view_detail(user: User | AnonymousUser, case: Case) -> bool:
    # medical.view_detail is held by the medical officer role only; held in the host
    # office, not in the origin office (see above).
    return perms.can(user, perms.MEDICAL_VIEW_DETAIL, case.host_office_id)


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    """The role check alone: the host office's medical officer."""
    return perms.can(user, perms.MEDICAL_RECORD, case.host_office_id)


def can_record(user: User | AnonymousUser, case: Case) -> bool:
    """May record or change assessments now: the medical officer, while the case is
    open."""
    return case.is_open and may_record(user, case)


def assessments_of(case: Case) -> QuerySet[FitnessAssessment]:
    """Every assessment of a case the caller loaded through `access_case`: per person,
    newest first."""
    return FitnessAssessment.objects.filter(case=case).select_related("person",
                                                                      "assessed_by")


def access_assessment(case: Case, assessment_id: int) -> FitnessAssessment:
    """An assessment of `case` (already loaded through `access_case`); 404 otherwise."""
    assessment = assessments_of(case).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    assessment.case = case
    return assessment
