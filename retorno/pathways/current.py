"""What the case lifecycle asks of pathways (the `referred_alternative` guard)."""

from retorno.cases.models import Case
from retorno.pathways.models import DEAD, Pathway


def has_live_pathway(case: Case) -> bool:
    """The case has a pathway that is neither withdrawn nor declined."""
    return Pathway.objects.filter(case=case).exclude(status__in=DEAD).exists()
