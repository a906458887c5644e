"""The reintegration plan's pages and the community projects.

Each plan view loads the case through cases.policy.access_case_for (404 for outsiders;
403 for everyone but the origin office's reintegration officers and supervisors, once
the case has arrived), the plan and its rows through reintegration.policy (404 when
missing), and calls one service; buttons post, then go back to the case page with the
service's messages. Projects: every member of staff reads them (403 for a role that
does not, 404 for a missing one); reintegration.record in the project's office changes
them.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.models import Case
from retorno.cases.policy import access_case, access_case_for
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.lib.money import format_money
from retorno.partners.policy import visible_partners
from retorno.reintegration import policy, services
from retorno.reintegration.forms import (
    DeliveryForm,
    ItemForm,
    LinkForm,
    MilestoneForm,
    PlanForm,
    ProjectFilter,
    ProjectForm,
    ReopenForm,
)
from retorno.reintegration.models import CommunityProject

PROJECT_LIMIT = 200


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#reintegration"


def _form_page(request: HttpRequest, case: Case, form: Any, title: str,
               intro: str = "") -> HttpResponse:
    return render(request, "reintegration/form.html",
                  {"case": case, "form": form, "back": _back(case), "title": title,
                   "intro": intro}, status=422 if form.is_bound else 200)


def _post_button(request: HttpRequest, case: Case, action: Callable[[], Any],
                 done: str) -> HttpResponse:
    try:
        action()
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(_back(case))


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


# ---- the plan ------------------------------------------------------------------------------


@require_POST
@login_required
def start(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    try:
        services.start_plan(actor=request.user, case=case)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_back(case))
    messages.success(request, _("Reintegration plan started. Record the needs assessment "
                                "with the returnee."))
    return redirect("reintegration:edit", reference=case.reference)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    plan = policy.access_plan(case)
    read_notes = policy.can_read_notes(request.user, case)
    initial = {name: getattr(plan, name) for name in services.PLAN_FIELDS}
    form = PlanForm(request.POST or None, initial={**initial, "version": plan.version},
                    read_notes=read_notes)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_plan(actor=request.user, plan=plan,
                                 version=form.cleaned_data["version"],
                                 data=form.data_for_service()))):
        messages.success(request, _("Needs assessment saved."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Needs assessment"), _(
        "Assess the returnee's needs with them, in each dimension of reintegration."))


@require_POST
@login_required
def approve(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    plan = policy.access_plan(case)
    return _post_button(request, case, lambda: services.approve_plan(
        actor=request.user, plan=plan, version=_version(request)),
        _("Reintegration plan approved; the reintegration grant is awarded its total."))


@require_http_methods(["GET", "POST"])
@login_required
def reopen(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    plan = policy.access_plan(case)
    form = ReopenForm(request.POST or None, initial={"version": plan.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.reopen_plan(actor=request.user, plan=plan,
                                 version=form.cleaned_data["version"],
                                 reason=form.cleaned_data["reason"]))):
        messages.success(request, _("Reintegration plan reopened: change it, then approve "
                                    "it again."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Reopen the reintegration plan"), _(
        "An approved plan is changed only by reopening it. Its grant stays as awarded "
        "until the plan is approved again."))


# ---- items ---------------------------------------------------------------------------------


def _members(case: Case) -> list[tuple[int, str]]:
    return [(m.person_id, m.person.display_name)
            for m in case.members.select_related("person").order_by("id")]


def _item_form(request: HttpRequest, case: Case, **kwargs: Any) -> ItemForm:
    return ItemForm(request.POST or None, members=_members(case),
                    partners=visible_partners(request.user).filter(active=True)
                    .order_by("name"), **kwargs)


def _ceiling_intro(case: Case, plan: Any) -> str:
    """What an item may cost: the case's ceiling, and what the plan's items cost so far."""
    ceiling, currency = services.ceiling_of(case)
    if ceiling is None or not currency:
        return _("The programme has no assistance package: the case's ceiling is unknown.")
    total = sum((item.cost for item in policy.items_of(plan)), Decimal(0))
    return _("The package allows at most %(ceiling)s for this case; the plan's items cost "
             "%(total)s so far.") % {"ceiling": format_money(ceiling, currency),
                                     "total": format_money(total, currency)}


@require_http_methods(["GET", "POST"])
@login_required
def item_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    plan = policy.access_plan(case)
    form = _item_form(request, case)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.add_item(actor=request.user, plan=plan,
                              data=form.data_for_service()))):
        messages.success(request, _("Assistance item added."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Add an assistance item"),
                      _ceiling_intro(case, plan))


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    item = policy.access_item(policy.access_plan(case), item_id)
    initial = {"kind": item.kind, "description": item.description,
               "beneficiary": item.beneficiary_id, "provider": item.provider_id,
               "provider_name": item.provider_name, "cost": item.cost,
               "version": item.version}
    form = _item_form(request, case, initial=initial)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_item(actor=request.user, item=item,
                                 version=form.cleaned_data["version"] or 0,
                                 data=form.data_for_service()))):
        messages.success(request, _("Assistance item saved."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Change the assistance item"),
                      _ceiling_intro(case, item.plan))


@require_POST
@login_required
def item_remove(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    item = policy.access_item(policy.access_plan(case), item_id)
    return _post_button(request, case, lambda: services.remove_item(actor=request.user,
                                                                    item=item),
                        _("Assistance item removed."))


@require_http_methods(["GET", "POST"])
@login_required
def item_delivery(request: HttpRequest, reference: str, item_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    item = policy.access_item(policy.access_plan(case), item_id)
    form = DeliveryForm(request.POST or None, initial={
        "delivery": item.delivery, "delivered_on": item.delivered_on,
        "version": item.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_delivery(actor=request.user, item=item,
                                     version=form.cleaned_data["version"],
                                     delivery=form.cleaned_data["delivery"],
                                     delivered_on=form.cleaned_data["delivered_on"]))):
        messages.success(request, _("Delivery saved."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Delivery: %(item)s")
                      % {"item": item.get_kind_display()})


# ---- milestones ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def milestone_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    plan = policy.access_plan(case)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.add_milestone(actor=request.user, plan=plan,
                                   data=form.data_for_service()))):
        messages.success(request, _("Milestone added."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Add a milestone"))


@require_http_methods(["GET", "POST"])
@login_required
def milestone_edit(request: HttpRequest, reference: str, milestone_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.may_record)
    milestone = policy.access_milestone(policy.access_plan(case), milestone_id)
    initial = {name: getattr(milestone, name) for name in services.MILESTONE_FIELDS}
    form = MilestoneForm(request.POST or None, initial={**initial,
                                                        "version": milestone.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_milestone(actor=request.user, milestone=milestone,
                                      version=form.cleaned_data["version"] or 0,
                                      data=form.data_for_service()))):
        messages.success(request, _("Milestone saved."))
        return redirect(_back(case))
    return _form_page(request, case, form, _("Change the milestone"))


# ---- community projects --------------------------------------------------------------------


def _require_read(request: HttpRequest) -> None:
    if not policy.can_read_projects(request.user):
        raise PermissionDenied


def _project_row(project: CommunityProject) -> dict[str, Any]:
    return {"project": project,
            "budget": format_money(project.budget, project.currency)}


@require_http_methods(["GET"])
@login_required
def projects(request: HttpRequest) -> HttpResponse:
    _require_read(request)
    filters = ProjectFilter(request.GET or None)
    found = policy.visible_projects(request.user)
    if filters.is_valid():
        if filters.cleaned_data["country"]:
            found = found.filter(country=filters.cleaned_data["country"])
        if filters.cleaned_data["status"]:
            found = found.filter(status=filters.cleaned_data["status"])
        if filters.cleaned_data["programme"]:
            found = found.filter(programme=filters.cleaned_data["programme"])
    rows = [_project_row(p) for p in found.order_by("-id")[:PROJECT_LIMIT + 1]]
    return render(request, "reintegration/projects.html", {
        "rows": rows[:PROJECT_LIMIT], "more": len(rows) > PROJECT_LIMIT,
        "limit": PROJECT_LIMIT, "filters": filters,
        "can_create": policy.may_create_project(request.user)})


def _project_form(request: HttpRequest, **kwargs: Any) -> ProjectForm:
    return ProjectForm(request.POST or None,
                       offices=policy.project_offices(request.user),
                       partners=visible_partners(request.user).order_by("name"), **kwargs)


@require_http_methods(["GET", "POST"])
@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    _require_read(request)
    if not policy.may_create_project(request.user):
        raise PermissionDenied
    offices = policy.project_offices(request.user)
    first = offices.first()
    form = _project_form(request, initial={"office": first.pk if first else None,
                                           "status": "planned"})
    project = None
    if request.method == "POST" and form.is_valid():
        project = attempt([form], lambda: services.create_project(
            actor=request.user, data=form.data_for_service()))
    if project is not None:
        messages.success(request, _("Community project recorded."))
        return redirect("reintegration:project", project_id=project.pk)
    return render(request, "reintegration/project_form.html",
                  {"form": form, "title": _("New community project"),
                   "back": reverse("reintegration:projects")},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET"])
@login_required
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    found = policy.access_project(request.user, project_id)
    may = policy.may_manage_project(request.user, found)
    return render(request, "reintegration/project.html", {
        **_project_row(found), "cases": list(policy.linked_cases(request.user, found)),
        "can_manage": may, "link_form": LinkForm() if may else None})


@require_http_methods(["GET", "POST"])
@login_required
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    found = policy.access_project(request.user, project_id)
    if not policy.may_manage_project(request.user, found):
        raise PermissionDenied
    initial = {name: getattr(found, name) for name in services.PROJECT_FIELDS}
    initial.update(office=found.office_id, programme=found.programme_id,
                   partner=found.partner_id, version=found.version)
    form = _project_form(request, initial=initial)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_project(actor=request.user, project=found,
                                    version=form.cleaned_data["version"] or 0,
                                    data=form.data_for_service()))):
        messages.success(request, _("Community project saved."))
        return redirect("reintegration:project", project_id=found.pk)
    return render(request, "reintegration/project_form.html",
                  {"form": form, "title": _("Change the community project"),
                   "back": reverse("reintegration:project", args=[found.pk])},
                  status=422 if form.is_bound else 200)


def _link(request: HttpRequest, project_id: int, link: bool) -> HttpResponse:
    found = policy.access_project(request.user, project_id)
    if not policy.may_manage_project(request.user, found):
        raise PermissionDenied
    form = LinkForm(request.POST)
    back = redirect("reintegration:project", project_id=found.pk)
    if not form.is_valid():
        messages.error(request, _("Give a case reference."))
        return back
    reference = form.cleaned_data["reference"].strip().upper()
    try:
        case = access_case(request.user, reference)
    except Http404:
        messages.error(request, _("There is no case %(ref)s that you may see.")
                       % {"ref": reference})
        return back
    write = services.link_case if link else services.unlink_case
    try:
        write(actor=request.user, project=found, case=case)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, (_("Case %(ref)s linked.") if link
                                   else _("Case %(ref)s unlinked.")) % {"ref": reference})
    return back


@require_POST
@login_required
def project_link(request: HttpRequest, project_id: int) -> HttpResponse:
    return _link(request, project_id, link=True)


@require_POST
@login_required
def project_unlink(request: HttpRequest, project_id: int) -> HttpResponse:
    return _link(request, project_id, link=False)
