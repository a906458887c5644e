"""Which declaration of a case counts: the latest printed one that has been signed, with
its scan recorded. It must list everyone now on the case: a member added after printing
has not signed it, so the declaration is printed again and signed by the family."""

from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from retorno.accounts.models import User
from retorno.cases.models import Case, CaseMember
from retorno.declarations import languages
from retorno.declarations.models import Declaration, DeclarationTemplate


def latest_signed(case: Case) -> Declaration | None:
    return (Declaration.objects.filter(case=case, signed_on__isnull=False)
            .exclude(scan="").order_by("-printed_at", "-id").first())


def latest(case: Case) -> Declaration | None:
    return Declaration.objects.filter(case=case).order_by("-printed_at", "-id").first()


def unlisted_members(case: Case, declaration: Declaration) -> list[CaseMember]:
    """The members of the case the declaration does not list (joined after printing)."""
    listed = set(declaration.members)
    return [m for m in case.members.select_related("person").order_by("id")
            if m.person_id not in listed]


def available_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages a declaration can be printed in: those with an
    active template."""
    return [(t.language, t.language_name())
            for t in DeclarationTemplate.objects.filter(active=True).order_by("language")]


def default_language(case: Case, user: User | AnonymousUser) -> str:
    """The language offered first: the first of the principal applicant's languages that
    has a template (the first they speak, where one exists), else the user's, else
    English; else any language there is a template for."""
    available = [code for code, _name in available_languages()]
    principal = case.principal
    spoken = principal.person.languages if principal else []
    mine = [getattr(user, "language", "") or "", translation.get_language() or ""]
    for code in [*spoken, *mine, "en"]:
        if code and languages.canonical(code) in available:
            return languages.canonical(code)
    return available[0] if available else "en"
