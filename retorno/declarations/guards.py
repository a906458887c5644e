"""The `applied` guard: the application stands on a signed voluntary return declaration.

Listed in the `applied` row of `cases/workflow.py`. Satisfied by the latest signed
declaration of the case with its scan recorded (`current.latest_signed`), provided it
lists everyone now on the case."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from retorno.declarations.current import latest_signed, unlisted_members

if TYPE_CHECKING:
    from retorno.cases.workflow import Attempt


def signed_declaration(attempt: "Attempt") -> str | None:
    declaration = latest_signed(attempt.case)
    if declaration is None:
        return _("Print the voluntary return declaration, have it signed, and record the "
                 "signed copy under “Voluntary return declaration” on the case page.")
    unlisted = unlisted_members(attempt.case, declaration)
    if unlisted:
        return _("The signed voluntary return declaration does not list %(names)s, who "
                 "joined the case after it was printed. Print it again, have it signed, and "
                 "record the signed copy under “Voluntary return declaration” on the case "
                 "page.") % {"names": ", ".join(m.person.display_name for m in unlisted)}
    return None
