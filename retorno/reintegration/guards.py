"""The reintegration guard of the `monitoring` step (cases/workflow.py).

It reads without a user: the case was loaded through the policy by whoever tries the
step (the origin office's reintegration officers, M&E officers and supervisors).
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from retorno.reintegration.models import PlanStatus, ReintegrationPlan

if TYPE_CHECKING:
    from retorno.cases.models import Case
    from retorno.cases.workflow import Attempt


def has_approved_plan(case: "Case") -> bool:
    return ReintegrationPlan.objects.filter(case_id=case.pk,
                                            status=PlanStatus.APPROVED).exists()


def plan_approved(attempt: "Attempt") -> str | None:
    """Monitoring follows an approved reintegration plan."""
    plan = ReintegrationPlan.objects.filter(case_id=attempt.case.pk).only("status").first()
    if plan is None:
        return _("Build the reintegration plan with the returnee and approve it (under "
                 "Reintegration plan on the case page).")
    if plan.status != PlanStatus.APPROVED:
        return _("Approve the reintegration plan (under Reintegration plan on the case "
                 "page): it is still a draft.")
    return None
