"""Recording travel documents, correcting them and changing their status. Each view
loads the case through cases.policy.access_case (404 for outsiders), refuses everyone
who may not record documents on it (403), validates and calls one service.

"Read the MRZ" fills the document form from a pasted machine-readable zone. With
JavaScript, HTMX posts the form to the `…/mrz/` endpoint, which answers with the form
alone, filled in; without it, the same button submits the form to its own page, which
answers with the whole page, filled in. Neither saves anything.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.models import Case, CaseMember
from retorno.cases.policy import access_case_for
from retorno.documents import mrz, policy, services, workflow
from retorno.documents.forms import DocumentForm, StatusForm
from retorno.documents.models import DocumentStatus, TravelDocument
from retorno.lib.forms import attempt
from retorno.people.models import Person

FORM = "documents/document_form.html"
FRAGMENT = "documents/_document_form.html"


def _member(case: Case, member_id: int) -> CaseMember:
    member = case.members.select_related("person").filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#travel-documents"


def _read_mrz(request: HttpRequest, person: Person,
              document: TravelDocument | None) -> tuple[DocumentForm, dict[str, Any]]:
    """The form as the user filled it, with what the pasted zone says written over it,
    and what to tell about the zone: why it cannot be read, or its failing check digits,
    notes (a state that is no ISO country…) and differences from the registration."""
    form = DocumentForm(document=document)
    values = {name: request.POST.get(name, "") for name in form.fields}
    reading: dict[str, Any] = {"text": request.POST.get("mrz", "")}
    try:
        parsed = mrz.parse(reading["text"])
    except mrz.UnreadableMrz as exc:
        reading["unreadable"] = exc.message
    else:
        reading.update(parsed=parsed, warnings=mrz.differences(parsed, person))
        found = {"kind": parsed.kind, "number": parsed.number,
                 "issuing_country": parsed.issuing_country,
                 "expires_on": parsed.expiry_date.isoformat() if parsed.expiry_date else None}
        values.update({k: v for k, v in found.items() if v and k in form.fields})
        if parsed.issuing_state and not parsed.issuing_country:
            values["issuing_country"] = ""  # no ISO country: the note asks to choose one
        if values.get("status") == DocumentStatus.TO_REQUEST:
            # A zone is read off a document in hand: most likely the person's own.
            values["status"] = DocumentStatus.COLLECTED
    return DocumentForm(initial=values, document=document), reading


def _page(request: HttpRequest, template: str, case: Case, person: Person,
          form: DocumentForm, *, member: CaseMember | None = None,
          document: TravelDocument | None = None, reading: dict[str, Any] | None = None,
          status: int = 200) -> HttpResponse:
    if member is not None:
        action = reverse("documents:new", args=[case.reference, member.pk])
        parse = reverse("documents:new_mrz", args=[case.reference, member.pk])
        title = _("Record a travel document")
    else:
        action = reverse("documents:edit", args=[case.reference, document.pk])
        parse = reverse("documents:edit_mrz", args=[case.reference, document.pk])
        title = _("Correct the travel document")
    return render(request, template,
                  {"case": case, "person": person, "form": form, "document": document,
                   "reading": reading or {}, "action": action, "parse_url": parse,
                   "back": _back(case), "title": title}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def new_document(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    member = _member(case, member_id)
    person = member.person
    if request.method == "POST" and "read_mrz" in request.POST:
        form, reading = _read_mrz(request, person, None)
        return _page(request, FORM, case, person, form, member=member, reading=reading)
    form = DocumentForm(request.POST or None,
                        initial={"status": DocumentStatus.TO_REQUEST,
                                 "issuing_country": person.nationality})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_document(actor=request.user, case=case, person=person,
                                     data=form.document_data()))):
        messages.success(request, _("Travel document recorded."))
        return redirect(_back(case))
    return _page(request, FORM, case, person, form, member=member,
                 reading={"text": request.POST.get("mrz", "")},
                 status=422 if form.is_bound else 200)


@require_POST
@login_required
def read_new(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    """HTMX: the new document's form, filled in from the pasted zone. Saves nothing."""
    case = access_case_for(request.user, reference, policy.can_record)
    member = _member(case, member_id)
    form, reading = _read_mrz(request, member.person, None)
    return _page(request, FRAGMENT, case, member.person, form, member=member, reading=reading)


def _edit_initial(document: TravelDocument) -> dict[str, Any]:
    return {**{name: getattr(document, name) for name in services.UPDATE_FIELDS},
            "version": document.version}


@require_http_methods(["GET", "POST"])
@login_required
def edit_document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    document = policy.access_document(case, document_id)
    if request.method == "POST" and "read_mrz" in request.POST:
        form, reading = _read_mrz(request, document.person, document)
        return _page(request, FORM, case, document.person, form, document=document,
                     reading=reading)
    form = DocumentForm(request.POST or None, initial=_edit_initial(document),
                        document=document)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.update_document(actor=request.user, document=document,
                                     data=form.document_data(),
                                     version=form.cleaned_data["version"] or 0))):
        messages.success(request, _("Travel document saved."))
        return redirect(_back(case))
    return _page(request, FORM, case, document.person, form, document=document,
                 reading={"text": request.POST.get("mrz", "")},
                 status=422 if form.is_bound else 200)


@require_POST
@login_required
def read_edit(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """HTMX: the document's edit form, filled in from the pasted zone. Saves nothing."""
    case = access_case_for(request.user, reference, policy.can_record)
    document = policy.access_document(case, document_id)
    form, reading = _read_mrz(request, document.person, document)
    return _page(request, FRAGMENT, case, document.person, form, document=document,
                 reading=reading)


def _status_initial(document: TravelDocument, move: workflow.Move) -> dict[str, Any]:
    today = timezone.localdate()
    suggested = {"requested_on": today, "authority": document.authority,
                 "follow_up_on": today + workflow.FOLLOW_UP_AFTER
                 if move.source == move.target else None,
                 "number": document.number, "issued_on": document.issued_on,
                 "expires_on": document.expires_on}
    return {"to": move.target.value, "version": document.version,
            **{name: suggested.get(name) for name in move.fields}}


@require_http_methods(["GET", "POST"])
@login_required
def change_status(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """The page of one status move (?to=<status>), or, when there is no such move from
    the document's status (someone else moved it meanwhile), the moves there are."""
    case = access_case_for(request.user, reference, policy.can_record)
    document = policy.access_document(case, document_id)
    to = request.POST.get("to") or request.GET.get("to", "")
    move = workflow.find_move(document.status, to)
    context = {"case": case, "document": document, "back": _back(case),
               "moves": workflow.moves_from(document.status)}
    if move is None:
        if to:
            context["refused"] = _("This travel document is now “%(status)s”: choose what "
                                   "happened next.") % {"status": document.get_status_display()}
        return render(request, "documents/status_form.html", context,
                      status=422 if to else 200)
    form = StatusForm(request.POST or None, initial=_status_initial(document, move), move=move)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.change_status(actor=request.user, document=document, to=move.target,
                                   data=form.move_data(),
                                   version=form.cleaned_data["version"]))):
        messages.success(request, _("%(document)s: now “%(status)s”.") % {
            "document": services.describe(document), "status": document.get_status_display()})
        return redirect(_back(case))
    return render(request, "documents/status_form.html", {**context, "move": move, "form": form},
                  status=422 if form.is_bound else 200)

