"""Recording, changing, booking and closing itineraries, and the departure details. Each
view loads the case through cases.policy.access_case_for (404 for outsiders, 403 for
everyone but the host office's movement officers and supervisors while the case is open),
the itinerary through travel.policy.access_itinerary, and calls one service."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from retorno.cases.models import Case
from retorno.cases.policy import access_case_for
from retorno.lib.errors import ServiceError
from retorno.lib.forms import attempt
from retorno.travel import policy, services
from retorno.travel.forms import (
    BookForm,
    CloseForm,
    DepartureForm,
    ItineraryForm,
    leg_formset,
    legs_data,
)
from retorno.travel.models import Departure, Itinerary


def _back(case: Case) -> str:
    return reverse("cases:detail", args=[case.reference]) + "#itineraries"


def _itinerary_page(request: HttpRequest, case: Case, form: ItineraryForm, legs: Any,
                    title: str) -> HttpResponse:
    return render(request, "travel/itinerary_form.html",
                  {"case": case, "form": form, "legs": legs, "back": _back(case),
                   "title": title},
                  status=422 if form.is_bound else 200)


def _save(form: ItineraryForm, legs: Any, action: Any) -> Any:
    """Validate the form and its legs, then run the service; its refusal (every problem,
    each naming its leg) goes on top of the form, the input kept."""
    if not (form.is_valid() and legs.is_valid()):
        return None
    return attempt([form], lambda: action({
        "people": form.cleaned_data["people"],
        "booking_reference": form.cleaned_data["booking_reference"],
        "legs": legs_data(legs)}))


@require_http_methods(["GET", "POST"])
@login_required
def record(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    data = request.POST if request.method == "POST" else None
    # Every member travels, unless unticked.
    everyone = list(case.members.order_by("id").values_list("person_id", flat=True))
    form = ItineraryForm(data, case=case, initial={"people": everyone})
    legs = leg_formset(data)
    if data is not None and _save(form, legs, lambda fields: services.record_itinerary(
            actor=request.user, case=case, data=fields)):
        messages.success(request, _("Itinerary recorded."))
        return redirect(_back(case))
    return _itinerary_page(request, case, form, legs, _("Record an itinerary"))


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    itinerary = policy.access_itinerary(case, itinerary_id)
    data = request.POST if request.method == "POST" else None
    form = ItineraryForm(data, case=case, initial={
        "people": itinerary.people, "booking_reference": itinerary.booking_reference,
        "version": itinerary.version})
    legs = leg_formset(data, itinerary)
    if data is not None and _save(form, legs, lambda fields: services.update_itinerary(
            actor=request.user, itinerary=itinerary, data=fields,
            version=form.cleaned_data["version"] or 0)):
        messages.success(request, _("Itinerary saved."))
        return redirect(_back(case))
    return _itinerary_page(request, case, form, legs, _("Change the itinerary"))


def _step(request: HttpRequest, reference: str, itinerary_id: int, form_class: type,
          action: Any, done: str) -> HttpResponse:
    """A step taken from a button on the case page: done, or refused with the service's
    messages on the case page."""
    case = access_case_for(request.user, reference, policy.can_record)
    itinerary = policy.access_itinerary(case, itinerary_id)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_back(case))
    try:
        action(itinerary, form.cleaned_data)
    except ServiceError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(_back(case))


@require_POST
@login_required
def book(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    return _step(request, reference, itinerary_id, BookForm,
                 lambda itinerary, data: services.book_itinerary(
                     actor=request.user, itinerary=itinerary, version=data["version"],
                     booking_reference=data["booking_reference"]),
                 _("Itinerary booked."))


@require_POST
@login_required
def cancel(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    return _step(request, reference, itinerary_id, CloseForm,
                 lambda itinerary, data: services.cancel_itinerary(
                     actor=request.user, itinerary=itinerary, version=data["version"],
                     reason=data["reason"]),
                 _("Itinerary cancelled."))


@require_POST
@login_required
def no_show(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    return _step(request, reference, itinerary_id, CloseForm,
                 lambda itinerary, data: services.record_no_show(
                     actor=request.user, itinerary=itinerary, version=data["version"],
                     reason=data["reason"]),
                 _("No-show recorded. Record the rebooking as a new itinerary."))


def _departure_initial(itinerary: Itinerary) -> dict[str, Any]:
    departure: Departure | None = getattr(itinerary, "departure", None)
    if departure is None:
        return {}
    initial = {name: getattr(departure, name) for name in DepartureForm.Meta.fields}
    return {**initial, "version": departure.version,
            "pre_embarkation_checked": departure.pre_embarkation_checked_at is not None}


@require_http_methods(["GET", "POST"])
@login_required
def departure(request: HttpRequest, reference: str, itinerary_id: int) -> HttpResponse:
    case = access_case_for(request.user, reference, policy.can_record)
    itinerary = policy.access_itinerary(case, itinerary_id)
    form = DepartureForm(request.POST or None, initial=_departure_initial(itinerary))
    if request.method == "POST" and form.is_valid() and attempt([form], lambda: (
            services.record_departure(actor=request.user, itinerary=itinerary,
                                      data=form.departure_data(),
                                      version=form.cleaned_data["version"]))):
        messages.success(request, _("Departure details saved."))
        return redirect(_back(case))
    return render(request, "travel/departure_form.html",
                  {"case": case, "itinerary": itinerary, "form": form, "back": _back(case),
                   "title": _("Departure details")},
                  status=422 if form.is_bound else 200)
