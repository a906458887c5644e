"""The return suspension guard of the ready_to_travel step (cases/workflow.py).

It reads without a user: suspensions name a destination, never a person, and everyone
who may take the step may read them.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from retorno.suspensions.models import ReturnSuspension

if TYPE_CHECKING:
    from retorno.cases.workflow import Attempt


def no_return_suspension(attempt: "Attempt") -> str | None:
    """No suspension is active today for the case's destination country as a whole, or
    for its destination subdivision.

    Shown to the user when unmet: "Returns to <destination> are suspended <until when>:
    <reason>. Wait until the suspension ends or is lifted, or put the case on hold."
    """
    case = attempt.case
    active = (ReturnSuspension.objects.active_on(attempt.today)
              .for_destination(case.destination_country, case.destination_subdivision)
              .order_by("starts_on", "id"))
    unmet = [_("Returns to %(destination)s are suspended %(until)s: %(reason)s.")
             % {"destination": s.destination_label(), "until": s.until_label(),
                "reason": s.reason} for s in active]
    if not unmet:
        return None
    return " ".join([*unmet, _("Wait until the suspension ends or is lifted, or put the "
                               "case on hold.")])
