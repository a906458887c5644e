"""Where a travel document's status may go, as one table.

Each `Move` says from which status to which, the fields the user gives with it (and
which of them are required), and what it clears. `services.change_status` is the only
place a move happens. A document is recorded in one of `INITIAL` (a passport the person
already holds is recorded as collected); a refusal is only ever recorded on a request.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from retorno.documents.models import DocumentStatus as S

# When to ask the consulate again, unless the user chooses another date.
FOLLOW_UP_AFTER = datetime.timedelta(days=14)

INITIAL: tuple[S, ...] = (S.TO_REQUEST, S.ISSUED, S.COLLECTED)


@dataclass(frozen=True)
class Move:
    source: S
    target: S
    label: Promise
    fields: tuple[str, ...] = ()  # what the user may give with the move
    required: tuple[str, ...] = ()  # of those, what they must give
    clears: tuple[str, ...] = ()  # emptied by the move


MOVES: tuple[Move, ...] = (
    Move(S.TO_REQUEST, S.REQUESTED, _("Record the request to the consulate"),
         fields=("requested_on", "follow_up_on", "authority"), required=("requested_on",)),
    # Following up again: the request stands, with a new date to ask again.
    Move(S.REQUESTED, S.REQUESTED, _("Followed up: set the next follow-up"),
         fields=("follow_up_on",), required=("follow_up_on",)),
    Move(S.REQUESTED, S.ISSUED, _("Record the issued document"),
         fields=("number", "issued_on", "expires_on"), required=("number", "expires_on")),
    Move(S.REQUESTED, S.REFUSED, _("Record a refusal"),
         fields=("refusal_reason",), required=("refusal_reason",)),
    Move(S.ISSUED, S.COLLECTED, _("Mark as collected")),
    # Trying again: a new request, so the last one's dates and refusal go (the audit log
    # keeps them).
    Move(S.REFUSED, S.TO_REQUEST, _("Try again: to request"),
         clears=("requested_on", "follow_up_on", "refusal_reason")),
)


def find_move(source: str, target: str) -> Move | None:
    return next((m for m in MOVES if m.source == source and m.target == target), None)


def moves_from(status: str) -> list[Move]:
    """The moves a document in `status` may make, in table order."""
    return [m for m in MOVES if m.source == status]
