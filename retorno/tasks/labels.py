"""A task's label and hint, in the reader's language, from its kind and detail codes.

Screening proposals are protection detail (`cases.policy.can_view_protection`): a reader
without that right sees that there is a screening proposal to act on, not which flag it
is about. Pass `protected=True` only for a reader who may read protection detail on the
task's case (`tasks.policy.can_read_protected`).
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from retorno.cases.models import Vulnerability
from retorno.tasks.models import Task, TaskKind

# Kinds whose detail is protection detail.
PROTECTED_KINDS = frozenset({TaskKind.SCREENING_ACTION})
# The grants a disbursement task names (`finance.services`: detail["grant"]).
_GRANTS = frozenset({"reinstallation", "reintegration"})


def _flag(task: Task) -> Vulnerability | None:
    flag = task.detail.get("flag") if isinstance(task.detail, dict) else None
    return Vulnerability(flag) if flag in Vulnerability.values else None


def label(task: Task, *, protected: bool) -> str:
    """What to do, in a few words."""
    kind = TaskKind(task.kind)
    flag = _flag(task)
    if kind == TaskKind.SCREENING_ACTION and protected and flag is not None:
        return _("Act on the screening: %(flag)s") % {"flag": flag.label}
    grant = task.detail.get("grant") if isinstance(task.detail, dict) else None
    if kind == TaskKind.APPROVE_DISBURSEMENT and grant in _GRANTS:
        return (_("Approve or reject a payment from the reinstallation grant")
                if grant == "reinstallation"
                else _("Approve or reject a payment from the reintegration grant"))
    if kind == TaskKind.PAY_DISBURSEMENT and grant in _GRANTS:
        return (_("Pay the approved payment from the reinstallation grant")
                if grant == "reinstallation"
                else _("Pay the approved payment from the reintegration grant"))
    months = task.detail.get("months") if isinstance(task.detail, dict) else None
    if kind == TaskKind.MONITORING_CONTACT and isinstance(months, int):
        return ngettext("Contact the returnee for monitoring (%(months)d month after "
                        "arrival)",
                        "Contact the returnee for monitoring (%(months)d months after "
                        "arrival)", months) % {"months": months}
    return str(kind.label)


def hint(task: Task, *, protected: bool) -> str:
    """A sentence more, where the kind has one to give (the proposed referral or
    assistance of a screening); empty otherwise."""
    flag = _flag(task)
    if task.kind == TaskKind.SCREENING_ACTION and protected and flag is not None:
        from retorno.screening.rules import proposal_text

        return proposal_text(flag)
    if task.kind == TaskKind.BUILD_PLAN:
        return _("Record the needs assessment and the assistance items under "
                 "Reintegration plan on the case page, then approve the plan.")
    if task.kind == TaskKind.MONITORING_CONTACT:
        return _("Record the visit or call under Monitoring on the case page: a conclusive "
                 "outcome closes this task, an attempt that did not reach the returnee "
                 "leaves it open.")
    return ""
