from django.http import HttpRequest

from retorno.accounts import permissions as perms


def navigation(request: HttpRequest) -> dict[str, bool]:
    """What the top navigation offers: only links the user may follow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_cases": bool(perms.office_ids(user, perms.CASE_VIEW)),
        "nav_create": bool(perms.office_ids(user, perms.CASE_CREATE)),
        "nav_declaration_templates": bool(
            perms.office_ids(user, perms.DECLARATION_MANAGE_TEMPLATES)),
        # Return suspensions name no case: everyone who reads cases reads them.
        "nav_suspensions": bool(perms.office_ids(user, perms.CASE_VIEW)),
    }
