"""The reception guard of the `arrived` step (cases/workflow.py).

It reads without a user: the case was loaded through the policy by whoever tries the
step (the origin office's reintegration officers and supervisors).
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from retorno.reception.models import Reception

if TYPE_CHECKING:
    from retorno.cases.workflow import Attempt


def arrival_recorded(attempt: "Attempt") -> str | None:
    """The origin office accepted the handover and recorded the arrival (its date)."""
    reception = Reception.objects.filter(case_id=attempt.case.pk).only("arrived_on").first()
    if reception is None:
        return _("Accept the handover of this case (under Reception on the case page), "
                 "then record the arrival.")
    if reception.arrived_on is None:
        return _("Record the arrival (date, met at the airport…) under Reception on the "
                 "case page.")
    return None
