"""The caseworker's pages. Each view loads through the policy, validates, calls one
service and redirects or renders a fragment (HTMX)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office
from retorno.cases import sections, services
from retorno.cases.forms import (
    AssignForm,
    CaseEditForm,
    CaseFieldsForm,
    MemberForm,
    OfficeChoiceForm,
    SearchForm,
)
from retorno.cases.models import MAIN_ROAD, OPEN, Case, CaseMember, Status
from retorno.cases.policy import access_case, can_on_case, can_view_protection, visible_cases
from retorno.cases.search import ResultPage, find_cases
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.people.duplicates import possible_duplicates
from retorno.people.forms import PersonForm
from retorno.people.models import Person
from retorno.people.policy import access_person
from retorno.privacy.models import AuditEvent
from retorno.tasks.rows import due_soon

MY_WORK_LIMIT = 200


@require_GET
@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """My tasks due soon (overdue, today, the next 7 days), then my open cases, grouped
    by status in lifecycle order, with counts."""
    from retorno.partners.policy import is_partner_user

    if is_partner_user(request.user):  # a partner user's home: their referrals
        return redirect("partners:partner_home")
    mine = visible_cases(request.user).filter(assignee=request.user, status__in=OPEN)
    counts = dict(mine.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    cases = list(
        mine.select_related("host_office")
        .prefetch_related(Prefetch("members", queryset=CaseMember.objects.filter(
            relationship="principal").select_related("person"), to_attr="principals"))
        .order_by("status_changed_at")[:MY_WORK_LIMIT]
    )
    order = [*MAIN_ROAD, Status.ON_HOLD]
    groups = [
        {"status": status, "label": Status(status).label, "count": counts[status],
         "cases": [c for c in cases if c.status == status]}
        for status in order if counts.get(status)
    ]
    tasks = due_soon(request.user)
    return render(request, "cases/my_work.html", {
        "groups": groups, "total": sum(counts.values()), "limit": MY_WORK_LIMIT,
        "tasks": tasks,
        # The applications on the user's queues (tasks.hooks puts each on the host
        # office's supervisors' queue).
        "waiting_approval": tasks.counts["approve"],
        "can_create": bool(perms.office_ids(request.user, perms.CASE_CREATE)),
    })


SEARCH_PAGE_SIZE = 25


def _page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), 100_000)
    except ValueError:
        return 1


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Cases matching the form, newest first, a page at a time. Results are not counted
    (a common name matches thousands): the page says which ones it shows and whether
    more follow, and gives the number only once the last one is on screen."""
    form = SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        number = _page_number(request.GET.get("page"))
        found = find_cases(
            request.user, offset=(number - 1) * SEARCH_PAGE_SIZE, limit=SEARCH_PAGE_SIZE,
            reference=data["reference"], q=data["q"], date_of_birth=data["date_of_birth"],
            nationality=data["nationality"], statuses=form.statuses(),
        )
        cases = visible_cases(request.user).filter(id__in=found.ids).select_related(
            "host_office", "assignee").prefetch_related(
            Prefetch("members", queryset=CaseMember.objects.select_related("person"),
                     to_attr="member_list")).order_by("-id")
        page = ResultPage(list(cases), number, SEARCH_PAGE_SIZE, found.has_next)
    query = request.GET.copy()
    query.pop("page", None)
    template = "cases/_results.html" if request.htmx else "cases/search.html"
    return render(request, template, {"form": form, "page": page,
                                      "query": query.urlencode()})


def _existing_person(request: HttpRequest) -> Person | None:
    """The registered person chosen with ?person=<id>, through the policy."""
    if not request.GET.get("person"):
        return None
    return access_person(request.user, _int(request.GET["person"]))


def _duplicates(request: HttpRequest, person_form: PersonForm | None) -> list[Person]:
    """People who may be the one being registered, unless the user said they are not."""
    if person_form is None or request.POST.get("confirmed_new"):
        return []
    return possible_duplicates(request.user, person_form.cleaned_data)


def _creatable_offices(request: HttpRequest):
    return Office.objects.filter(pk__in=perms.office_ids(request.user, perms.CASE_CREATE))


@require_http_methods(["GET", "POST"])
@login_required
def new_case(request: HttpRequest) -> HttpResponse:
    """Register a person and open a case; before saving, offer people who may be the same.

    With ?person=<id>, opens a case for someone already registered instead.
    """
    offices = _creatable_offices(request)
    if not offices:
        raise PermissionDenied
    existing = _existing_person(request)
    data = request.POST or None
    office_form = OfficeChoiceForm(data, offices=offices)
    person_form = None if existing else PersonForm(data, prefix="person")
    member_form = MemberForm(data, prefix="member", principal=True)
    case_form = CaseFieldsForm(data, prefix="case")
    forms = [f for f in (office_form, person_form, member_form, case_form) if f]
    duplicates = []
    if request.method == "POST" and all(f.is_valid() for f in forms):
        duplicates = _duplicates(request, person_form)
        case = None if duplicates else attempt(forms, lambda: _open(
            request, office_form, person_form, member_form, case_form, existing))
        if case:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/new.html", {
        "office_form": office_form, "person_form": person_form, "member_form": member_form,
        "case_form": case_form, "existing": existing, "duplicates": duplicates,
    }, status=200 if request.method == "GET" or duplicates else 422)


def _open(request, office_form, person_form, member_form, case_form, existing) -> Case:
    office = office_form.cleaned_data["office"]
    if existing:
        return services.open_case(actor=request.user, office=office, principal=existing,
                                  member=member_form.member_data(), case=case_form.case_data())
    return services.register_and_open_case(
        actor=request.user, office=office, person=person_form.person_data(),
        member=member_form.member_data(), case=case_form.case_data())


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404 from None


def _case_context(request: HttpRequest, case: Case, **extra) -> dict:
    members = list(case.members.select_related("person").order_by("id"))
    return {
        "case": case, "members": members,
        "timeline": case.timeline.select_related("actor")[:50],
        "options": services.transition_options(case, request.user),
        "can_change": case.is_open and can_on_case(request.user, perms.CASE_CHANGE, case),
        "can_assign": case.is_open and can_on_case(request.user, perms.CASE_ASSIGN, case),
        "can_audit": can_on_case(request.user, perms.AUDIT_VIEW, case),
        "show_protection": can_view_protection(request.user, case),
        "sections": sections.render_context(request, case),
        **extra,
    }


@require_GET
@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case(request.user, reference)
    return render(request, "cases/detail.html", _case_context(request, case))


@require_POST
@login_required
def transition(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    """Perform one lifecycle step. HTMX gets the case body back (status, steps, members,
    timeline, the actions the new status allows); a refused step shows its unmet guards
    in the status panel."""
    case = access_case(request.user, reference)
    refused: list[str] = []
    try:
        services.transition_case(case, name, actor=request.user,
                                 reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        refused = exc.messages
        if not request.htmx:
            for message in refused:
                messages.error(request, message)
    if not request.htmx:
        return redirect("cases:detail", reference=case.reference)
    context = _case_context(request, case, refused=refused, refused_name=name,
                            reason=request.POST.get("reason", ""))
    return render(request, "cases/_body.html", context, status=422 if refused else 200)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case(request.user, reference)
    if not (case.is_open and can_on_case(request.user, perms.CASE_CHANGE, case)):
        raise PermissionDenied
    initial = {"destination_country": case.destination_country,
               "destination_subdivision": case.destination_subdivision,
               "destination_area": case.destination_area,
               "planned_departure_on": case.planned_departure_on, "programme": case.programme,
               "origin_office": case.origin_office, "version": case.version}
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_case(actor=request.user, case=case, data=form.case_data(),
                                 version=form.cleaned_data["version"]))):
        messages.success(request, _("Case %(ref)s saved.") % {"ref": case.reference})
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/edit.html", {"case": case, "form": form},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case(request.user, reference)
    if not (case.is_open and can_on_case(request.user, perms.CASE_ASSIGN, case)):
        raise PermissionDenied
    form = AssignForm(request.POST or None, office=case.host_office,
                      initial={"assignee": case.assignee, "version": case.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.assign_case(actor=request.user, case=case,
                                 assignee=form.cleaned_data["assignee"],
                                 version=form.cleaned_data["version"]))):
        messages.success(request, _("Case %(ref)s assigned.") % {"ref": case.reference})
        return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/assign.html", {"case": case, "form": form},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def add_member(request: HttpRequest, reference: str) -> HttpResponse:
    """Add a family member: a new person, or (with ?person=<id>) someone registered."""
    case = access_case(request.user, reference)
    if not (case.is_open and can_on_case(request.user, perms.CASE_CHANGE, case)):
        raise PermissionDenied
    existing = _existing_person(request)
    data = request.POST or None
    person_form = None if existing else PersonForm(data, prefix="person")
    member_form = MemberForm(data, prefix="member")
    forms = [f for f in (person_form, member_form) if f]
    duplicates = []
    if request.method == "POST" and all(f.is_valid() for f in forms):
        duplicates = _duplicates(request, person_form)
        if not duplicates and attempt(forms, lambda: _add(request, case, existing,
                                                           person_form, member_form)):
            messages.success(request, _("Member added to case %(ref)s.")
                             % {"ref": case.reference})
            return redirect("cases:detail", reference=case.reference)
    return render(request, "cases/add_member.html", {
        "case": case, "person_form": person_form, "member_form": member_form,
        "existing": existing, "duplicates": duplicates,
    }, status=200 if request.method == "GET" or duplicates else 422)


def _add(request, case, existing, person_form, member_form) -> CaseMember:
    if existing:
        return services.add_member(actor=request.user, case=case, person=existing,
                                   member=member_form.member_data())
    return services.register_and_add_member(actor=request.user, case=case,
                                            person=person_form.person_data(),
                                            member=member_form.member_data())


@require_POST
@login_required
def remove_member(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    case = access_case(request.user, reference)
    member = case.members.select_related("person").filter(pk=member_id).first()
    if member is None:
        raise Http404
    try:
        services.remove_member(actor=request.user, case=case, member=member)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s was taken off the case.")
                         % {"name": member.person.display_name})
    return redirect("cases:detail", reference=case.reference)


@require_GET
@login_required
def audit(request: HttpRequest, reference: str) -> HttpResponse:
    """Who changed what on this case, with values before and after."""
    case = access_case(request.user, reference)
    if not can_on_case(request.user, perms.AUDIT_VIEW, case):
        raise PermissionDenied
    events = AuditEvent.objects.filter(case=case).select_related("actor", "office")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "cases/audit.html", {"case": case, "page": page,
                                                "back": reverse("cases:detail",
                                                                args=[case.reference])})
