"""Reading the directory: its filters and each partner's agreement state. The partners
come from `policy.visible_partners`; a directory holds hundreds of organisations, so the
list filters on areas and services (JSON lists) in Python, the same on both databases."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from retorno.lib.subdivisions import _alpha2 as alpha2
from retorno.lib.subdivisions import subdivision_name
from retorno.partners.models import Agreement, Partner, Referral, ReferralStatus


@dataclass(frozen=True)
class AgreementState:
    state: str  # "valid", "expired", "pending" or "none"
    date: datetime.date | None = None  # valid until, expired on, takes effect on


def state_of(agreements: Iterable[Agreement], on: datetime.date) -> AgreementState:
    rows = list(agreements)
    valid = [a.valid_until for a in rows if a.signed_on <= on <= a.valid_until]
    if valid:
        return AgreementState("valid", max(valid))
    past = [a.valid_until for a in rows if a.valid_until < on]
    if past:
        return AgreementState("expired", max(past))
    future = [a.signed_on for a in rows if a.signed_on > on]
    if future:
        return AgreementState("pending", min(future))
    return AgreementState("none")


def agreement_states(partners: list[Partner],
                     on: datetime.date | None = None) -> dict[int, AgreementState]:
    """Each partner's agreement state on `on` (today by default). One query."""
    on = on or timezone.localdate()
    by_partner: dict[int, list[Agreement]] = {p.pk: [] for p in partners}
    for agreement in Agreement.objects.filter(partner_id__in=list(by_partner)):
        by_partner[agreement.partner_id].append(agreement)
    return {pk: state_of(rows, on) for pk, rows in by_partner.items()}


def area_country(area: str) -> str:
    """The alpha-2 code an ISO 3166-2 code starts with ("IQ-BG" -> "IQ")."""
    return area.split("-", 1)[0]


def filter_partners(partners: QuerySet[Partner], *, q: str = "", country: str = "",
                    area: str = "", service: str = "") -> list[Partner]:
    """The partners matching every given filter, by country and name. `area` matches
    partners working there or in the whole of its country."""
    if q.strip():
        partners = partners.filter(name__icontains=q.strip())
    if country:
        partners = partners.filter(country=country.upper())
    rows = list(partners.order_by("country", "name"))
    if service:
        rows = [p for p in rows if service in (p.services or [])]
    if area:
        area = area.strip().upper()
        rows = [p for p in rows
                if area in (p.areas or [])
                or (not p.areas and alpha2(p.country) == area_country(area))]
    return rows


def area_names(partner: Partner) -> list[str]:
    return [f"{subdivision_name(code)} ({code})" for code in partner.areas or []]


def referral_counts(partner: Partner) -> list[tuple[str, int]]:
    """(status label, number) of the partner's referrals, in the workflow's order."""
    counts = dict(Referral.objects.filter(partner_id=partner.pk).values_list("status")
                  .annotate(n=Count("id")).values_list("status", "n"))
    return [(str(s.label), counts.get(s.value, 0)) for s in ReferralStatus]


def partners_for_referral(on: datetime.date | None = None) -> list[Partner]:
    """Active partners with an agreement valid on `on` that offer services: those a case
    may be referred to. Two queries."""
    on = on or timezone.localdate()
    ids = set(Agreement.objects.filter(signed_on__lte=on, valid_until__gte=on)
              .values_list("partner_id", flat=True))
    return [p for p in Partner.objects.filter(pk__in=ids, active=True).order_by("name")
            if p.services]
