"""What each role may do, as data.

Rights are always held *in an office*: a caseworker of the Berlin office may change the
Berlin office's cases and nobody else's. Which rows that reaches is decided by the
`visible_*` functions in each app's `policy.py`; this table only says which actions a
role grants. Transitions are not listed here: each row of the lifecycle table in
`cases/workflow.py` names the roles that may perform it.

A few actions concern no office's rows and are checked "in any office": managing the
declaration texts, and setting or lifting a return suspension (`suspension.manage`). A
suspension stops returns to a destination from every host office, so it is granted to the
supervisors (of any office) and the programme managers, not to caseworkers.
"""

from django.contrib.auth.models import AnonymousUser

from retorno.accounts.models import Role, User

PERSON_VIEW = "person.view"
PERSON_CREATE = "person.create"
PERSON_CHANGE = "person.change"
CASE_VIEW = "case.view"
CASE_CREATE = "case.create"
CASE_CHANGE = "case.change"
CASE_ASSIGN = "case.assign"
CASE_VIEW_PROTECTION = "case.view_protection"  # vulnerability flags
AUDIT_VIEW = "audit.view"
MEDICAL_VIEW_DETAIL = "medical.view_detail"  # diagnosis, medication, clinician notes
MEDICAL_RECORD = "medical.record"  # fitness to travel
TASK_MANAGE = "task.manage"  # mark done or give to someone else any task of the office
DOCUMENT_VIEW = "document.view"  # travel documents: numbers, status, expiry
DOCUMENT_RECORD = "document.record"  # record travel documents, change their status
# Voluntary return declarations: print them and record the signed copy (host office); open
# the signed scan (personal data: the host office's case team and DP focal point); add and
# retire the declaration's texts (organisation-wide).
DECLARATION_RECORD = "declaration.record"
DECLARATION_VIEW = "declaration.view"
DECLARATION_MANAGE_TEMPLATES = "declaration.manage_templates"
TRAVEL_VIEW = "travel.view"  # itineraries: legs, times, booking references, costs
TRAVEL_RECORD = "travel.record"  # record, change and cancel itineraries (host office)
# Return suspensions: set and lift them. Organisation-wide (held in any office): a
# suspension stops returns from every host office, so the supervisors of every office and
# the programme managers decide it; everyone who reads cases reads the list.
SUSPENSION_MANAGE = "suspension.manage"
# Transit assistance: the movement staff of a *transit* office read the movement data of
# the cases whose booked itinerary connects through their country — names, legs, special
# needs for the journey, escorts — and confirm the assistance given. Nothing else of the
# case: they never reach it through `cases.policy`.
TRANSIT_ASSIST = "transit.assist"
# Handover and reception: the origin office accepts a handed-over case, plans the
# reception and records the arrival.
RECEPTION_RECORD = "reception.record"
# Reintegration (the office of origin, once the case is handed over): the plan, its
# assistance items and milestones, awarding grants, referrals to partners, community
# projects.
REINTEGRATION_RECORD = "reintegration.record"
# Paying money out of a case's grants: requesting a disbursement and recording it paid
# (host office before departure, origin office after handover).
GRANT_DISBURSE = "grant.disburse"
# The second pair of eyes: approving or rejecting a disbursement above the programme's
# threshold — never one's own. Supervisors in the case's office; programme managers
# anywhere (they answer for the programme's money).
GRANT_APPROVE = "grant.approve"
# Programme finance, organisation-wide: budgets, commitments and spending per programme,
# and their exports (read); assistance packages, thresholds and the monthly exchange rates
# (manage).
FINANCE_VIEW = "finance.view"
FINANCE_MANAGE = "finance.manage"
# The partner directory: every member of staff reads it; reintegration officers,
# supervisors and programme managers keep it (partners, agreements, partner users).
PARTNER_VIEW = "partner.view"
PARTNER_MANAGE = "partner.manage"
# Monitoring and evaluation. Recording monitoring visits and calls and survey responses on
# a case, and importing survey submissions (ODK, KoboToolbox): the M&E officers,
# reintegration officers and supervisors of the case's origin office, once handed over.
SURVEY_RECORD = "survey.record"
# The survey instruments (loading a new version from a spreadsheet) and the programmes'
# monitoring schedules: organisation-wide, held in any office.
SURVEY_MANAGE = "survey.manage"
# The M&E dashboard: scores, follow-up coverage and complaints, aggregated, never a person.
ME_VIEW = "me.view"
# Feedback and complaints. Any member of staff who receives feedback (in person, on the
# phone) records it; the M&E officers and supervisors of the receiving office read,
# categorise, assign and answer it. Complaints of sexual exploitation and abuse or fraud
# are read and handled only by the designated focal points (`feedback.sensitive`), and
# never by a member of staff the complaint concerns (`feedback.policy`).
FEEDBACK_RECORD = "feedback.record"
FEEDBACK_HANDLE = "feedback.handle"
FEEDBACK_SENSITIVE = "feedback.sensitive"
# Statistics (aggregates, never a person). `stats.view`: the staff dashboard and reports
# with exact counts, organisation-wide. `stats.public`: the statistics viewer's outputs,
# with small counts suppressed (`reports.disclosure`). `stats.extract`: the pseudonymised
# case-level extract for analysts (audited). `report.build`: building the quarterly
# bulletin and the donor and programme reports. `region.manage`: the organisation's own
# regional grouping of countries (organisation-wide, held in any office).
STATS_VIEW = "stats.view"
STATS_PUBLIC = "stats.public"
STATS_EXTRACT = "stats.extract"
REPORT_BUILD = "report.build"
REGION_MANAGE = "region.manage"
# Data protection (issue 8): the focal point searches the whole audit log of their office
# ("who looked at this person?"), runs retention, answers subject access requests and
# records corrections.
AUDIT_SEARCH = "audit.search"
RETENTION_MANAGE = "privacy.retention"
SUBJECT_ACCESS = "privacy.subject_access"

_CASE_READ = {PERSON_VIEW, CASE_VIEW, PARTNER_VIEW, FEEDBACK_RECORD}
_CASE_WRITE = _CASE_READ | {PERSON_CREATE, PERSON_CHANGE, CASE_CREATE, CASE_CHANGE}

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CASEWORKER: frozenset(_CASE_WRITE | {CASE_VIEW_PROTECTION, DOCUMENT_VIEW,
                                              DOCUMENT_RECORD, DECLARATION_RECORD,
                                              DECLARATION_VIEW, TRAVEL_VIEW}),
    Role.SUPERVISOR: frozenset(_CASE_WRITE | {CASE_ASSIGN, CASE_VIEW_PROTECTION, AUDIT_VIEW,
                                              DOCUMENT_VIEW, DOCUMENT_RECORD,
                                              DECLARATION_RECORD, DECLARATION_VIEW,
                                              TASK_MANAGE, SUSPENSION_MANAGE, TRAVEL_VIEW,
                                              TRAVEL_RECORD, TRANSIT_ASSIST,
                                              RECEPTION_RECORD, REINTEGRATION_RECORD,
                                              GRANT_DISBURSE, GRANT_APPROVE, FINANCE_VIEW,
                                              PARTNER_MANAGE, SURVEY_RECORD, ME_VIEW,
                                              FEEDBACK_HANDLE, STATS_VIEW}),
    Role.MEDICAL_OFFICER: frozenset(_CASE_READ | {CASE_VIEW_PROTECTION, MEDICAL_VIEW_DETAIL,
                                                  MEDICAL_RECORD}),
    Role.MOVEMENT_OFFICER: frozenset(_CASE_READ | {DOCUMENT_VIEW, DOCUMENT_RECORD,
                                                   TRAVEL_VIEW, TRAVEL_RECORD,
                                                   TRANSIT_ASSIST, GRANT_DISBURSE}),
    Role.REINTEGRATION_OFFICER: frozenset(_CASE_READ | {CASE_VIEW_PROTECTION, DOCUMENT_VIEW,
                                                        TRAVEL_VIEW, RECEPTION_RECORD,
                                                        REINTEGRATION_RECORD, GRANT_DISBURSE,
                                                        PARTNER_MANAGE, SURVEY_RECORD}),
    Role.ME_OFFICER: frozenset(_CASE_READ | {SURVEY_RECORD, SURVEY_MANAGE, ME_VIEW,
                                             FEEDBACK_HANDLE, STATS_VIEW, STATS_EXTRACT,
                                             REPORT_BUILD}),
    Role.PROGRAMME_MANAGER: frozenset(_CASE_READ | {DECLARATION_MANAGE_TEMPLATES,
                                                   SUSPENSION_MANAGE, GRANT_APPROVE,
                                                   FINANCE_VIEW, FINANCE_MANAGE,
                                                   PARTNER_MANAGE, SURVEY_MANAGE, ME_VIEW,
                                                   STATS_VIEW, STATS_EXTRACT, REPORT_BUILD,
                                                   REGION_MANAGE}),
    Role.DP_FOCAL_POINT: frozenset(_CASE_READ | {CASE_VIEW_PROTECTION, AUDIT_VIEW,
                                                 DOCUMENT_VIEW, DECLARATION_VIEW,
                                                 AUDIT_SEARCH, RETENTION_MANAGE,
                                                 SUBJECT_ACCESS}),
    # Partner users see only the referrals sent to their organisation (`partners.policy`,
    # through their `PartnerUser` link, not through this table); statistics viewers see
    # aggregates only. Neither reads a case or a person.
    Role.PARTNER: frozenset(),
    Role.STATISTICS_VIEWER: frozenset({STATS_PUBLIC}),
    # A designation held beside another role: it adds the sensitive complaints, nothing
    # else (no case, no person).
    Role.COMPLAINTS_FOCAL_POINT: frozenset({FEEDBACK_RECORD, FEEDBACK_SENSITIVE}),
}


def _memberships(user: User) -> list[tuple[int, str]]:
    # Cached on the user object: one query per request, however many checks it makes.
    cached = getattr(user, "_retorno_memberships", None)
    if cached is None:
        cached = list(user.memberships.values_list("office_id", "role"))
        user._retorno_memberships = cached  # type: ignore[attr-defined]  # per-request cache
    return cached


def office_ids(user: User | AnonymousUser, action: str) -> set[int]:
    """The offices in which `user` may perform `action`. Empty for anyone inactive."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return {office for office, role in _memberships(user) if action in PERMISSIONS[role]}


def roles_in(user: User | AnonymousUser, office_id: int | None) -> set[str]:
    if office_id is None or not user.is_authenticated or not user.is_active:
        return set()
    return {role for office, role in _memberships(user) if office == office_id}


def can(user: User | AnonymousUser, action: str, office_id: int | None = None) -> bool:
    """May `user` do `action` in `office_id` (or in any office when it is None)?"""
    offices = office_ids(user, action)
    return bool(offices) if office_id is None else office_id in offices
