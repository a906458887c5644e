"""Who reads the partner directory and keeps it, and who reads which referrals.

The **directory** (partners, their agreements, contacts and users) is read by every
member of staff (`partner.view`) and kept (`partner.manage`) by the reintegration
officers and supervisors of the partner's own office — or by a programme manager, from
any office.

A **partner user** (an active user with a `PartnerUser` link and the partner role) reads
only the referrals sent to their organisation, and only what they carry (`shared`): never
a case, a person or another organisation's referral. Staff read the referrals of the
cases they see (`cases.policy.visible_cases`); the reintegration officers and supervisors
of an office of the case (the host office, or the origin office once the case is handed
over) send and withdraw them (`reintegration.record`).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office, Role, User
from retorno.cases.models import Case
from retorno.cases.policy import can_on_case, case_offices, visible_case_rule
from retorno.partners.models import Partner, PartnerUser, Referral

# ---- partner users -------------------------------------------------------------------------


def _is_partner_role(user: User | AnonymousUser) -> bool:
    return any(role == Role.PARTNER for _office, role in perms._memberships(user))


def partner_of(user: User | AnonymousUser) -> Partner | None:
    """The organisation an active partner user works for; None for everyone else. One
    query for a partner user (cached on the user object), none for staff."""
    if not user.is_authenticated or not user.is_active or not _is_partner_role(user):
        return None
    if not hasattr(user, "_retorno_partner"):
        link = PartnerUser.objects.select_related("partner").filter(user=user).first()
        user._retorno_partner = link.partner if link else None  # type: ignore[union-attr]
    return user._retorno_partner  # type: ignore[union-attr]


def is_partner_user(user: User | AnonymousUser) -> bool:
    return partner_of(user) is not None


# ---- the directory ---------------------------------------------------------------------------


def can_view_directory(user: User | AnonymousUser) -> bool:
    return bool(perms.office_ids(user, perms.PARTNER_VIEW))


def _managing_offices(user: User | AnonymousUser) -> tuple[bool, set[int]]:
    """(manages everywhere, the offices where the user keeps the directory)."""
    offices = perms.office_ids(user, perms.PARTNER_MANAGE)
    everywhere = any(Role.PROGRAMME_MANAGER in perms.roles_in(user, o) for o in offices)
    return everywhere, offices


def may_manage(user: User | AnonymousUser, partner: Partner) -> bool:
    """May change the partner, record its agreements and add its users."""
    everywhere, offices = _managing_offices(user)
    return everywhere or partner.office_id in offices


def may_create(user: User | AnonymousUser) -> bool:
    return bool(_managing_offices(user)[1])


def creating_offices(user: User | AnonymousUser) -> QuerySet[Office]:
    """The offices a new partner may be kept by, for `user`."""
    everywhere, offices = _managing_offices(user)
    if everywhere:
        return Office.objects.all()
    return Office.objects.filter(pk__in=offices)


def may_create_in(user: User | AnonymousUser, office_id: int) -> bool:
    everywhere, offices = _managing_offices(user)
    return bool(offices) and (everywhere or office_id in offices)


def visible_partners(user: User | AnonymousUser) -> QuerySet[Partner]:
    if not can_view_directory(user):
        return Partner.objects.none()
    return Partner.objects.select_related("office")


def access_partner(user: User | AnonymousUser, partner_id: int) -> Partner:
    """The partner if `user` reads the directory; 404 otherwise."""
    partner = visible_partners(user).filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    return partner


def partner_names() -> list[str]:
    """The directory's names, for the consent form's suggestions (staff only)."""
    return list(Partner.objects.filter(active=True).order_by("name")
                .values_list("name", flat=True))


# ---- referrals -----------------------------------------------------------------------------


def visible_referrals(user: User | AnonymousUser) -> QuerySet[Referral]:
    """For a partner user, the referrals sent to their organisation and nothing else; for
    staff, the referrals of the cases they see; for anyone else, none."""
    partner = partner_of(user)
    if partner is not None:
        return Referral.objects.filter(partner_id=partner.pk)
    rule = visible_case_rule(user, "case__")
    if rule is None:
        return Referral.objects.none()
    return Referral.objects.filter(rule)


def access_partner_referral(user: User | AnonymousUser, referral_id: int) -> Referral:
    """A referral sent to the partner user's organisation; 404 for everything else."""
    partner = partner_of(user)
    if partner is None:
        raise Http404
    referral = (Referral.objects.select_related("partner", "item")
                .filter(pk=referral_id, partner_id=partner.pk).first())
    if referral is None:
        raise Http404
    return referral


def case_referrals(case: Case) -> QuerySet[Referral]:
    """The referrals of a case the caller loaded through `access_case`."""
    return (Referral.objects.filter(case_id=case.pk)
            .select_related("partner", "sent_by", "item"))


def access_case_referral(case: Case, referral_id: int) -> Referral:
    """A referral of `case` (already loaded through `access_case`); 404 otherwise."""
    referral = case_referrals(case).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    referral.case = case
    return referral


def may_refer(user: User | AnonymousUser, case: Case) -> bool:
    """May send and withdraw the case's referrals: reintegration.record in an office of the
    case (the host office, or the origin office once handed over)."""
    return can_on_case(user, perms.REINTEGRATION_RECORD, case)


def referring_office(user: User | AnonymousUser, case: Case) -> int | None:
    """The office through which `user` refers: the origin office once the case is handed
    over to it, else the host office."""
    offices = perms.office_ids(user, perms.REINTEGRATION_RECORD) & case_offices(case)
    if case.origin_office_id in offices:
        return case.origin_office_id
    return case.host_office_id if case.host_office_id in offices else None
