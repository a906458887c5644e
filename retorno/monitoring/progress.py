"""Read functions for the M&E dashboard: whether returnees were followed up.

`followup_done(case_ids)` is the set of those cases with at least one *conclusive*
follow-up contact after the baseline: a monitoring visit or call whose outcome settles a
contact (reached, has migrated again, declined, deceased: `models.CONCLUSIVE`) dated
after the case's arrival (the baseline is taken on arrival, so a contact on the arrival
day itself does not count). `reached(case_ids)` narrows it to the returnee actually
reached. Neither checks who may see the cases: the caller passes ids it read through
`cases.policy.visible_cases`. Two queries whatever the number of cases.
"""

from collections.abc import Iterable

from retorno.monitoring.models import CONCLUSIVE, MonitoringVisit, Outcome


def _after_arrival(case_ids: Iterable[int], outcomes: Iterable[str]) -> set[int]:
    from retorno.monitoring.services import arrival_dates

    ids = list(set(case_ids))
    if not ids:
        return set()
    rows = list(MonitoringVisit.objects.filter(case_id__in=ids, outcome__in=list(outcomes))
                .values_list("case_id", "contact_on"))
    if not rows:
        return set()
    arrivals = arrival_dates({case_id for case_id, _on in rows})
    return {case_id for case_id, on in rows
            if arrivals.get(case_id) is None or on > arrivals[case_id]}


def followup_done(case_ids: Iterable[int]) -> set[int]:
    """The cases among `case_ids` with a conclusive contact after arrival."""
    return _after_arrival(case_ids, CONCLUSIVE)


def reached(case_ids: Iterable[int]) -> set[int]:
    """The cases among `case_ids` whose returnee was reached after arrival."""
    return _after_arrival(case_ids, [Outcome.REACHED])
