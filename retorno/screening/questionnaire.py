"""The vulnerability screening questionnaire, as data.

Questions follow the four levels at which factors make a migrant more or less vulnerable
(individual, household and family, community, structural). Each is answered yes, no or
unknown; a "yes" suggests the vulnerability flags it names. Age gives three more flags,
derived from the date of birth and who else returns in the case (`rules.py`). For each
flag, `PROPOSALS` says what tailored assistance or referral to offer.

Changing a question's text is safe; changing or removing a `code` is not: stored
screenings keep the answers by code.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from retorno.cases.models import Relationship, Vulnerability

V = Vulnerability


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Factor(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual factors")
    HOUSEHOLD = "household", _("Household and family factors")
    COMMUNITY = "community", _("Community factors")
    STRUCTURAL = "structural", _("Structural factors")


@dataclass(frozen=True)
class Question:
    code: str
    text: Promise
    factor: Factor
    flags: tuple[Vulnerability, ...]


QUESTIONS: list[Question] = [
    # Individual
    Question("pregnant", _("Is the person pregnant, or nursing a baby?"),
             Factor.INDIVIDUAL, (V.PREGNANT,)),
    Question("serious_illness", _("Does the person have a serious or chronic illness that "
                                  "needs treatment or medication?"),
             Factor.INDIVIDUAL, (V.MEDICAL,)),
    Question("disability", _("Does the person have a physical, sensory or intellectual "
                             "disability, or great difficulty walking, seeing, hearing or "
                             "remembering?"),
             Factor.INDIVIDUAL, (V.DISABILITY,)),
    Question("psychological_distress", _("Does the person show signs of severe "
                                         "psychological distress, or have they been "
                                         "treated for a mental health condition?"),
             Factor.INDIVIDUAL, (V.MENTAL_HEALTH,)),
    Question("forced_work", _("Was the person ever forced to work, held against their will, "
                              "or made to work off a debt to those who arranged the "
                              "journey?"),
             Factor.INDIVIDUAL, (V.TRAFFICKING,)),
    Question("documents_withheld", _("Are the person's identity documents held by someone "
                                     "else against their will (an employer, recruiter or "
                                     "smuggler)?"),
             Factor.INDIVIDUAL, (V.TRAFFICKING,)),
    Question("violence_survivor", _("Has the person survived torture or serious violence "
                                    "(detention, kidnapping, armed conflict)?"),
             Factor.INDIVIDUAL, (V.TORTURE, V.MENTAL_HEALTH)),
    Question("sexual_violence", _("Has the person experienced sexual or gender-based "
                                  "violence, including forced marriage?"),
             Factor.INDIVIDUAL, (V.GBV,)),
    # Household and family
    Question("sole_caregiver", _("Is the person the only adult caring for children under "
                                 "18?"),
             Factor.HOUSEHOLD, (V.SINGLE_PARENT,)),
    Question("violence_at_home", _("Does the person fear violence from a partner or family "
                                   "member, now or after return?"),
             Factor.HOUSEHOLD, (V.GBV,)),
    Question("cares_for_dependant", _("Does the person care for a family member who is "
                                      "seriously ill, disabled or elderly?"),
             Factor.HOUSEHOLD, (V.OTHER,)),
    Question("migration_debt", _("Is the person or their family pressed to repay a debt to "
                                 "those who arranged the journey?"),
             Factor.HOUSEHOLD, (V.TRAFFICKING,)),
    # Community
    Question("fears_exploiters", _("Does the person fear that those who exploited them, or "
                                   "their associates, will find them after return?"),
             Factor.COMMUNITY, (V.TRAFFICKING,)),
    Question("rejection_on_return", _("Might the community reject or discriminate against "
                                      "the person on return (e.g. for their ethnicity, "
                                      "religion, sexual orientation or what happened to "
                                      "them)?"),
             Factor.COMMUNITY, (V.OTHER,)),
    Question("no_support_network", _("Is there no family member or friend to support the "
                                     "person where they will live?"),
             Factor.COMMUNITY, (V.OTHER,)),
    # Structural
    Question("treatment_unavailable", _("Is treatment the person needs unavailable or "
                                        "unaffordable in the country of origin?"),
             Factor.STRUCTURAL, (V.MEDICAL,)),
    Question("no_civil_documents", _("Does the person lack the civil documents (birth "
                                     "registration, identity card) needed to reach services "
                                     "in the country of origin?"),
             Factor.STRUCTURAL, (V.OTHER,)),
]

BY_CODE: dict[str, Question] = {q.code: q for q in QUESTIONS}


def grouped() -> list[tuple[Factor, list[Question]]]:
    """The questions by factor, in the order screeners see them."""
    return [(f, [q for q in QUESTIONS if q.factor == f]) for f in Factor]


# ---- age ---------------------------------------------------------------------------------

CHILD_UNDER = 18
ELDERLY_FROM = 60
# Relationships are to the principal applicant. Who, in the same case, is a parent (or
# guardian) of a member related in this way; a member related as "other" has no known
# relatives in the case.
PARENTS_OF: dict[str, frozenset[str]] = {
    Relationship.PRINCIPAL: frozenset({Relationship.PARENT}),
    Relationship.CHILD: frozenset({Relationship.PRINCIPAL, Relationship.SPOUSE}),
    Relationship.SIBLING: frozenset({Relationship.PARENT}),
}
UNRELATED = frozenset({Relationship.OTHER})


# ---- what to propose for each flag -------------------------------------------------------


class ProposalKind(models.TextChoices):
    REFERRAL = "referral", _("Referral")
    ASSISTANCE = "assistance", _("Tailored assistance")


@dataclass(frozen=True)
class Proposal:
    kind: ProposalKind
    action: Promise


PROPOSALS: dict[Vulnerability, Proposal] = {
    V.UNACCOMPANIED_CHILD: Proposal(ProposalKind.REFERRAL, _(
        "Refer to a child-protection actor for a best-interest determination, and trace the "
        "family before any return is planned.")),
    V.SEPARATED_CHILD: Proposal(ProposalKind.REFERRAL, _(
        "Refer to a child-protection actor for a best-interest determination; check the "
        "accompanying relative's care arrangement and the parents' consent.")),
    V.SINGLE_PARENT: Proposal(ProposalKind.ASSISTANCE, _(
        "Plan childcare and schooling in the reintegration plan, and add a family "
        "allowance to the reception assistance.")),
    V.ELDERLY: Proposal(ProposalKind.ASSISTANCE, _(
        "Arrange assistance at airports and in transit, and check access to health care "
        "and a pension or social protection after return.")),
    V.PREGNANT: Proposal(ProposalKind.REFERRAL, _(
        "Refer to the medical officer for fitness to travel (airlines limit travel late in "
        "pregnancy) and arrange antenatal or postnatal care at destination.")),
    V.DISABILITY: Proposal(ProposalKind.ASSISTANCE, _(
        "Arrange mobility assistance and accessible transport and accommodation; refer to a "
        "rehabilitation or disability service at destination.")),
    V.MEDICAL: Proposal(ProposalKind.REFERRAL, _(
        "Refer to the medical officer for a fitness-to-travel assessment and continuity of "
        "treatment and medication at destination.")),
    V.MENTAL_HEALTH: Proposal(ProposalKind.REFERRAL, _(
        "Refer to a mental health and psychosocial support (MHPSS) provider before "
        "departure and at destination.")),
    V.TRAFFICKING: Proposal(ProposalKind.REFERRAL, _(
        "Refer to a counter-trafficking service for protection and a risk assessment before "
        "return, with the person's informed consent.")),
    V.GBV: Proposal(ProposalKind.REFERRAL, _(
        "Refer to a gender-based violence case management service (safe, confidential, "
        "survivor-centred), with the person's informed consent.")),
    V.TORTURE: Proposal(ProposalKind.REFERRAL, _(
        "Refer to a specialised service for survivors of torture for medical, psychological "
        "and legal support.")),
    V.OTHER: Proposal(ProposalKind.ASSISTANCE, _(
        "Assess the specific needs with the person and include tailored assistance in the "
        "reintegration plan.")),
}
