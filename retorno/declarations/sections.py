"""The voluntary return declaration on the case page (registered in
DeclarationsConfig.ready())."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from retorno.cases.models import Case
from retorno.declarations import current, policy
from retorno.declarations.forms import PrintForm, SignedForm


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: whoever sees the case sees
    # whether and when the declaration was signed; the scan only those who may read it.
    declarations = list(policy.declarations_of(case))
    latest = declarations[0] if declarations else None
    signed = next((d for d in declarations if d.is_signed), None)
    can_record = policy.can_record(request.user, case)
    languages = current.available_languages() if can_record else []
    return {
        "declarations": declarations,
        "latest": latest,
        "signed": signed,
        "unlisted_names": [m.person.display_name
                           for m in (current.unlisted_members(case, signed) if signed else [])],
        "can_record": can_record,
        "can_read_scan": policy.can_read_scan(request.user, case),
        "can_manage_templates": policy.can_manage_templates(request.user),
        "print_form": PrintForm(languages=languages, initial={
            "language": current.default_language(case, request.user)}) if languages else None,
        "signed_form": SignedForm(initial={"signed_on": timezone.localdate(),
                                           "version": latest.version},
                                  auto_id="id_signed_%s")
        if can_record and latest is not None and not latest.is_signed else None,
    }
