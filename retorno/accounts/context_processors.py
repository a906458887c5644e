from django.http import HttpRequest

from retorno.accounts import permissions as perms


def _transit():
    # Imported when called: the travel app imports the accounts app.
    from retorno.travel import transit

    return transit


def _manifests():
    from retorno.travel import manifests

    return manifests


def _policies():
    # The policies the pages themselves ask, so a link shows exactly when its page opens.
    from retorno.partners import policy as partners
    from retorno.programmes import policy as programmes
    from retorno.reintegration import policy as reintegration

    return partners, programmes, reintegration


def _me_policies():
    from retorno.feedback import policy as feedback
    from retorno.monitoring import policy as monitoring
    from retorno.surveys import policy as surveys

    return feedback, monitoring, surveys


def _reports():
    from retorno.reports import policy

    return policy


def navigation(request: HttpRequest) -> dict[str, bool]:
    """What the top navigation offers: only links the user may follow."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    partners, programmes, reintegration = _policies()
    feedback, monitoring, surveys = _me_policies()
    return {
        "nav_cases": bool(perms.office_ids(user, perms.CASE_VIEW)),
        "nav_create": bool(perms.office_ids(user, perms.CASE_CREATE)),
        "nav_declaration_templates": bool(
            perms.office_ids(user, perms.DECLARATION_MANAGE_TEMPLATES)),
        # Return suspensions name no case: everyone who reads cases reads them.
        "nav_suspensions": bool(perms.office_ids(user, perms.CASE_VIEW)),
        # Cases handed over to the user's office: for those who receive them.
        "nav_incoming": bool(perms.office_ids(user, perms.RECEPTION_RECORD)),
        # Transit requests: the movement staff of a transit office; departure manifests:
        # those who record travel in a host office.
        "nav_transit": _transit().can_assist(user),
        "nav_manifests": _manifests().can_read_manifests(user),
        # Programmes, the partner directory and community projects name no case: every
        # member of staff reads them; the finances are for finance.view. A partner
        # user's own referrals replace the case navigation.
        "nav_programmes": programmes.can_read(user),
        "nav_finance": programmes.can_view_finance(user),
        "nav_partners": partners.can_view_directory(user),
        "nav_projects": reintegration.can_read_projects(user),
        "nav_partner": partners.is_partner_user(user),
        # Monitoring and evaluation: the contacts due, the dashboard, the survey
        # instruments; the feedback inbox for its handlers and focal points, and for every
        # other member of staff a way to record feedback they received.
        "nav_monitoring": monitoring.can_list(user),
        "nav_me_dashboard": monitoring.can_view_dashboard(user),
        "nav_surveys": surveys.can_read_instruments(user),
        "nav_feedback_inbox": feedback.may_use_inbox(user),
        "nav_feedback_record": feedback.may_record(user) and not feedback.may_use_inbox(user),
        # Statistics: exact for staff with stats.view, published for statistics viewers.
        "nav_statistics": _reports().can_view(user),
    }
