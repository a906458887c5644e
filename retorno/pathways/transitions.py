"""Where a pathway's status may go from each status. Declined, completed and withdrawn
are final."""

from retorno.pathways.models import PathwayStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ACCEPTED, S.DECLINED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.DECLINED: frozenset(),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


def next_statuses(status: str) -> list[S]:
    """The statuses a pathway may move to, in the order of PathwayStatus."""
    return [s for s in S if s in ALLOWED.get(status, frozenset())]
