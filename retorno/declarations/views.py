"""Printing declarations, recording signed copies, opening scans, and the templates page.

Case views load the case through cases.policy.access_case (404 for outsiders) and refuse
those who see the case but may not do this (403); every change goes through one service.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.models import Case
from retorno.cases.policy import access_case, access_case_for
from retorno.declarations import languages, policy, services
from retorno.declarations.forms import SignedForm, TemplateForm
from retorno.declarations.models import Declaration, DeclarationTemplate
from retorno.lib.errors import Invalid, NotAllowed, ServiceError
from retorno.lib.forms import attempt


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#declaration"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def print_filename(declaration: Declaration) -> str:
    return f"declaration-{declaration.case.reference}-{declaration.language}.pdf"


@require_POST
@login_required
def print_declaration(request: HttpRequest, reference: str) -> HttpResponse:
    """Print the declaration in the chosen language: the PDF comes back as a download;
    a refusal goes back to the case page with its message."""
    case = access_case_for(request.user, reference, policy.can_record)
    language = request.POST.get("language", "").strip() or None
    try:
        declaration, pdf = services.print_declaration(request.user, case, language)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_back(case))
    return pdf_response(pdf, print_filename(declaration))


@require_http_methods(["GET", "POST"])
@login_required
def record_signed(request: HttpRequest, reference: str, declaration_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    declaration = policy.access_declaration(case, declaration_id)
    initial = {name: getattr(declaration, name) for name in services.SIGNED_FIELDS}
    initial["signed_on"] = declaration.signed_on or timezone.localdate()
    form = SignedForm(request.POST or None, request.FILES or None,
                      initial={**initial, "version": declaration.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_signed_declaration(
                actor=request.user, declaration=declaration, data=form.signed_data(),
                scan=form.cleaned_data["scan"], version=form.cleaned_data["version"] or 0))):
        messages.success(request, _("Signed declaration recorded."))
        return redirect(_back(case))
    return render(request, "declarations/record_signed.html",
                  {"case": case, "declaration": declaration, "form": form,
                   "back": _back(case)},
                  status=422 if form.is_bound else 200)


@require_http_methods(["GET"])
@login_required
def scan(request: HttpRequest, reference: str, declaration_id: int) -> HttpResponse:
    """The signed copy, as a download: read through the policy and audited."""
    case = access_case(request.user, reference)
    declaration = policy.access_declaration(case, declaration_id)
    return scan_response(request, declaration)


def scan_response(request: Any, declaration: Declaration) -> FileResponse:
    try:
        handle = services.read_scan(actor=request.user, declaration=declaration)
    except NotAllowed:
        raise PermissionDenied from None
    except Invalid:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True,
                            filename=services.scan_filename(declaration),
                            content_type=declaration.scan_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ---- templates --------------------------------------------------------------------------


def _require_manage(request: HttpRequest) -> None:
    if not policy.can_manage_templates(request.user):
        raise PermissionDenied


@require_http_methods(["GET"])
@login_required
def templates(request: HttpRequest) -> HttpResponse:
    """Every template, by language, the active one first."""
    _require_manage(request)
    by_language: dict[str, list[DeclarationTemplate]] = {}
    for template in policy.templates().order_by("language", "-active", "-created_at", "-id"):
        by_language.setdefault(template.language, []).append(template)
    groups = [{"code": code, "name": languages.display_name(code), "templates": rows}
              for code, rows in by_language.items()]
    return render(request, "declarations/templates.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
@login_required
def new_template(request: HttpRequest) -> HttpResponse:
    """Add a template; ?from=<id> starts a new version from an existing one's text."""
    _require_manage(request)
    initial: dict[str, Any] = {"active": True}
    source = None
    if request.GET.get("from", "").isdigit():
        source = policy.access_template(int(request.GET["from"]))
        initial.update(language=source.language, title=source.title, body=source.body)
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.save_template(actor=request.user, data=form.template_data()))):
        messages.success(request, _("Declaration template saved."))
        return redirect("declarations:templates")
    title = (_("New version of the %(language)s declaration")
             % {"language": source.language_name()} if source
             else _("Add a declaration template"))
    return render(request, "declarations/template_form.html",
                  {"form": form, "title": title, "source": source},
                  status=422 if form.is_bound else 200)


@require_POST
@login_required
def template_active(request: HttpRequest) -> HttpResponse:
    """Retire a template, or bring it back (`template`: its id; `active`: 1 or 0)."""
    _require_manage(request)
    template_id = request.POST.get("template", "")
    if not template_id.isdigit():
        messages.error(request, _("Choose a template."))
        return redirect("declarations:templates")
    template = policy.access_template(int(template_id))
    try:
        services.set_template_active(actor=request.user, template=template,
                                     active=request.POST.get("active") == "1")
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        label = {"label": f"{template.language} {template.version}"}
        messages.success(request, _("Declarations are now printed from %(label)s.") % label
                         if template.active else
                         _("%(label)s is retired: it is no longer printed.") % label)
    return redirect("declarations:templates")
