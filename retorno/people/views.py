from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from retorno.accounts import permissions as perms
from retorno.cases.policy import visible_cases
from retorno.lib.codes import language_name
from retorno.lib.errors import StaleVersion
from retorno.lib.forms import attempt
from retorno.people import services
from retorno.people.forms import DocumentForm, PersonForm
from retorno.people.models import Person
from retorno.people.policy import access_person, can_on_person


@require_GET
@login_required
def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person(request.user, person_id)
    cases = visible_cases(request.user).filter(members__person=person).order_by("-id")
    return render(request, "people/detail.html", {
        "person": person, "cases": cases, "documents": person.documents.all(),
        "languages": [language_name(c) for c in person.languages],
        "can_change": can_on_person(request.user, perms.PERSON_CHANGE, person),
    })


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person(request.user, person_id)
    if not can_on_person(request.user, perms.PERSON_CHANGE, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person,
                      initial={"version": person.version})
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: _update(
            request, person, form)):
        messages.success(request, _("Saved."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/edit.html", {"person": person, "form": form},
                  status=422 if form.is_bound else 200)


def _update(request: HttpRequest, person: Person, form: PersonForm) -> Person:
    version = form.cleaned_data.get("version")
    if version is None:
        raise StaleVersion(_("Reload the page and make your changes again."))
    # The form already wrote its values onto `person`; reload the saved row so the
    # service compares against what is stored, not what was typed.
    person.refresh_from_db()
    return services.update_person(actor=request.user, person=person,
                                  data=form.person_data(), version=version)


@require_http_methods(["GET", "POST"])
@login_required
def add_document(request: HttpRequest, person_id: int) -> HttpResponse:
    person = access_person(request.user, person_id)
    if not can_on_person(request.user, perms.PERSON_CHANGE, person):
        raise PermissionDenied
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.add_identity_document(actor=request.user, person=person,
                                           data=dict(form.cleaned_data)))):
        messages.success(request, _("Document added."))
        return redirect("people:detail", person_id=person.pk)
    return render(request, "people/add_document.html", {"person": person, "form": form},
                  status=422 if form.is_bound else 200)
