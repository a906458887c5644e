"""Referrals on the case page (registered in PartnersConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.partners import directory, policy, services
from retorno.partners.forms import ReasonForm, ReferralForm
from retorno.partners.models import OPEN_REFERRAL
from retorno.reintegration.models import AssistanceItem


def _items(case: Case) -> list[AssistanceItem]:
    return list(AssistanceItem.objects.filter(plan__case_id=case.pk).order_by("id"))


def referral_form(case: Case, data: Any = None) -> ReferralForm:
    """The "Refer to a partner" form of a case loaded through `access_case`: its members,
    the partners a case may be referred to, the items of its plan."""
    members = list(case.members.select_related("person").order_by("id"))
    items = _items(case)
    form = ReferralForm(data, members=members, partners=directory.partners_for_referral(),
                        items=items)
    form.items = items  # type: ignore[attr-defined]
    return form


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page loaded `case` through access_case: whoever sees the case reads its
    # referrals (never a partner user: they reach no case).
    if policy.is_partner_user(request.user):
        return None
    referrals = list(policy.case_referrals(case))
    names = {m.person_id: m.person.display_name
             for m in case.members.select_related("person")}
    may = policy.may_refer(request.user, case) and case.is_open
    rows = []
    for referral in referrals:
        rows.append({
            "referral": referral,
            "person": names.get(referral.person_id) or referral.shared.get("name", ""),
            "service": services.service_label(referral.service),
            "open": referral.status in OPEN_REFERRAL,
            "withdraw_form": (ReasonForm(initial={"version": referral.version},
                                         auto_id=f"withdraw-{referral.pk}-%s")
                              if may and referral.status in OPEN_REFERRAL else None),
        })
    return {"rows": rows, "can_refer": may,
            "refer_form": referral_form(case) if may else None}
