"""Who prints and records voluntary return declarations, who opens the signed scan, and
who manages the declaration's texts.

- **That** a declaration was printed and signed (when, where, in which language, with
  which interpreter) is read with the case: whoever may see the case
  (`cases.policy.access_case`) sees it, the origin office after handover included. It is
  what the `applied` step stands on, and holds nothing the case page does not show.
- **Printing** a declaration and **recording its signed copy** (`declaration.record`):
  the caseworkers and supervisors of the case's *host office*, while the case is open.
  The printed PDF lists the family's names and dates of birth: it is produced for the
  person to sign, so only by those who record it.
- **The signed scan** is personal data (the person's signature, handwriting, sometimes
  an ID number) and opening it is audited (`services.read_scan`): the host office's
  caseworkers, supervisors and data protection focal point (`declaration.view`), the DP
  focal point because they answer the person's subject access requests. The origin office
  does not read it, even after handover: it knows the declaration exists and was signed
  on which day, which is what it needs.
- **Templates** (`declaration.manage_templates`, the programme manager) are the
  organisation's, not an office's: a programme manager of any office adds and retires
  them. They hold no personal data; those who print (`declaration.record`) also read
  their list.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import User
from retorno.cases.models import Case
from retorno.declarations.models import Declaration, DeclarationTemplate


def may_record(user: User | AnonymousUser, case: Case) -> bool:
    """The role check alone: a caseworker or supervisor of the host office."""
    return perms.can(user, perms.DECLARATION_RECORD, case.host_office_id)


def can_record(user: User | AnonymousUser, case: Case) -> bool:
    """May print declarations and record signed copies now: while the case is open."""
    return case.is_open and may_record(user, case)


def can_read_scan(user: User | AnonymousUser, case: Case) -> bool:
    # Held in the host office only: the origin office never reads the scan (see above).
    return perms.can(user, perms.DECLARATION_VIEW, case.host_office_id)


def can_manage_templates(user: User | AnonymousUser) -> bool:
    return perms.can(user, perms.DECLARATION_MANAGE_TEMPLATES)


def can_read_templates(user: User | AnonymousUser) -> bool:
    return can_manage_templates(user) or perms.can(user, perms.DECLARATION_RECORD)


def declarations_of(case: Case) -> QuerySet[Declaration]:
    """The declarations of a case the caller loaded through `access_case`, newest
    printing first."""
    return (Declaration.objects.filter(case=case)
            .select_related("template", "printed_by", "recorded_by"))


def access_declaration(case: Case, declaration_id: int) -> Declaration:
    """A declaration of `case` (already loaded through `access_case`); 404 otherwise."""
    declaration = declarations_of(case).filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    declaration.case = case
    return declaration


def templates() -> QuerySet[DeclarationTemplate]:
    """Every template, for those who may read them (`can_read_templates`)."""
    return DeclarationTemplate.objects.select_related("created_by")


def active_templates() -> QuerySet[DeclarationTemplate]:
    return DeclarationTemplate.objects.filter(active=True).order_by("language")


def access_template(template_id: int) -> DeclarationTemplate:
    template = DeclarationTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise Http404
    return template
