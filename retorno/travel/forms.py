"""The itinerary, booking and departure forms. They build no object: the views hand
`itinerary_data(...)` and `departure_data()` to travel.services, which validates the legs
(and names the leg in every message)."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from retorno.cases.models import Case
from retorno.travel.models import Departure, EscortKind, Itinerary, Leg, Mode
from retorno.travel.services import DEPARTURE_FIELDS

# Escort rows under each leg: enough for a medical and a social escort.
ESCORT_ROWS = 2
# Empty leg rows: a new itinerary; an itinerary being changed gets one more.
NEW_LEG_ROWS = 3

_LOCAL_HELP = gettext_lazy("Local date and time at the place of departure, in its time zone "
                           "(the airport's, for a flight).")
_ARRIVAL_HELP = gettext_lazy("Local date and time at the place of arrival, in its time zone "
                             "(the airport's, for a flight).")
_SURFACE_HELP = gettext_lazy("By road or sea only; a flight takes the airport's.")


def _text(label: str, max_length: int, help_text: str = "", **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False,
                           help_text=help_text, widget=forms.TextInput(attrs=attrs))


class ItineraryForm(forms.Form):
    """Who travels and the booking reference; the legs are a formset beside it."""

    people = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Travellers"), coerce=int, widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The members of the case who travel on this itinerary."))
    booking_reference = forms.CharField(
        label=gettext_lazy("Booking reference"), max_length=50, required=False,
        help_text=gettext_lazy("Can be given later, when the itinerary is booked."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [
            (m.person_id, m.person.display_name)
            for m in case.members.select_related("person").order_by("id")]


class LegForm(forms.Form):
    """One leg: airports for a flight, or places with their country and zone by road or
    sea; departure and arrival in local time at each end; escorts."""

    mode = forms.ChoiceField(label=gettext_lazy("Mode"), choices=Mode.choices,
                             initial=Mode.AIR)
    from_code = _text(gettext_lazy("From (IATA)"), 3, gettext_lazy("e.g. BER"), size=4,
                      autocapitalize="characters")
    to_code = _text(gettext_lazy("To (IATA)"), 3, gettext_lazy("e.g. IST"), size=4,
                    autocapitalize="characters")
    from_place = _text(gettext_lazy("From (place)"), 200, _SURFACE_HELP)
    from_country = _text(gettext_lazy("Country of departure"), 3,
                         gettext_lazy("ISO alpha-3, e.g. TUR"), size=4)
    from_tz = _text(gettext_lazy("Time zone of departure"), 64,
                    gettext_lazy("e.g. Europe/Istanbul"))
    to_place = _text(gettext_lazy("To (place)"), 200, _SURFACE_HELP)
    to_country = _text(gettext_lazy("Country of arrival"), 3,
                       gettext_lazy("ISO alpha-3, e.g. IRQ"), size=4)
    to_tz = _text(gettext_lazy("Time zone of arrival"), 64, gettext_lazy("e.g. Asia/Baghdad"))
    carrier = _text(gettext_lazy("Carrier"), 100)
    flight_number = _text(gettext_lazy("Flight number"), 10, size=8)
    departs_on = forms.DateField(label=gettext_lazy("Departure date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_LOCAL_HELP)
    departs_time = forms.TimeField(label=gettext_lazy("Departure time"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"},
                                                          format="%H:%M"))
    arrives_on = forms.DateField(label=gettext_lazy("Arrival date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_ARRIVAL_HELP)
    arrives_time = forms.TimeField(label=gettext_lazy("Arrival time"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"},
                                                          format="%H:%M"))
    cost = forms.DecimalField(label=gettext_lazy("Ticket cost"), required=False,
                              max_digits=12, decimal_places=3)
    currency = _text(gettext_lazy("Currency"), 3, gettext_lazy("e.g. EUR"), size=4)

    def __init__(self, *args: Any, escort_rows: int = ESCORT_ROWS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.escort_count = escort_rows
        kinds = [("", gettext_lazy("— no escort —")), *EscortKind.choices]
        for n in range(1, escort_rows + 1):
            # Shown as a table row under column headings: the label is for screen readers.
            self.fields[f"escort{n}_kind"] = forms.ChoiceField(
                label=gettext("Escort %(n)d: kind") % {"n": n}, choices=kinds,
                required=False)
            self.fields[f"escort{n}_name"] = forms.CharField(
                label=gettext("Escort %(n)d: name") % {"n": n}, max_length=200,
                required=False)
            self.fields[f"escort{n}_organisation"] = forms.CharField(
                label=gettext("Escort %(n)d: organisation") % {"n": n}, max_length=200,
                required=False)
        for name, field in self.fields.items():
            if name.startswith("escort"):
                field.widget.attrs["aria-label"] = field.label

    def escort_rows(self) -> list[list[forms.BoundField]]:
        return [[self[f"escort{n}_{f}"] for f in ("kind", "name", "organisation")]
                for n in range(1, self.escort_count + 1)]

    def is_blank(self) -> bool:
        """Nothing entered but the mode: a spare row, left out."""
        data = self.cleaned_data
        return not any(data.get(name) not in (None, "", False) for name in data
                       if name not in ("mode", "DELETE"))

    def leg_data(self) -> dict[str, Any]:
        """The leg as travel.services takes it: only the fields of its mode."""
        data = self.cleaned_data
        mode = data["mode"]
        leg: dict[str, Any] = {"mode": mode, "carrier": data["carrier"],
                               "departs": _combine(data["departs_on"], data["departs_time"]),
                               "arrives": _combine(data["arrives_on"], data["arrives_time"]),
                               "cost": data["cost"], "currency": data["currency"]}
        if mode == Mode.AIR:
            leg |= {"from_code": data["from_code"], "to_code": data["to_code"],
                    "flight_number": data["flight_number"]}
        else:
            leg |= {f"{end}_{what}": data[f"{end}_{what}"] for end in ("from", "to")
                    for what in ("place", "country", "tz")}
        leg["escorts"] = [
            {"kind": data[f"escort{n}_kind"], "name": data[f"escort{n}_name"],
             "organisation": data[f"escort{n}_organisation"]}
            for n in range(1, self.escort_count + 1)
            if data[f"escort{n}_kind"] or data[f"escort{n}_name"]
            or data[f"escort{n}_organisation"]]
        return leg


def _combine(day: datetime.date | None, time: datetime.time | None) -> Any:
    # A naive local time at the place: the service reads it in the place's zone. Half a
    # date and time is passed on as missing, and the service names the leg.
    if day is None or time is None:
        return None
    return datetime.datetime.combine(day, time)


def leg_initial(leg: Leg) -> dict[str, Any]:
    """A recorded leg as the form shows it: local times at each end."""
    departs, arrives = leg.departs_local, leg.arrives_local
    initial: dict[str, Any] = {
        "mode": leg.mode, "carrier": leg.carrier, "flight_number": leg.flight_number,
        "departs_on": departs.date(), "departs_time": departs.time(),
        "arrives_on": arrives.date(), "arrives_time": arrives.time(),
        "cost": leg.cost, "currency": leg.currency}
    if leg.mode == Mode.AIR:
        initial |= {"from_code": leg.from_code, "to_code": leg.to_code}
    else:
        initial |= {f"{end}_{what}": getattr(leg, f"{end}_{what}") for end in ("from", "to")
                    for what in ("place", "country", "tz")}
    for n, escort in enumerate(leg.escorts.all(), start=1):
        initial |= {f"escort{n}_kind": escort.kind, f"escort{n}_name": escort.name,
                    f"escort{n}_organisation": escort.organisation}
    return initial


class BaseLegFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = gettext("Remove this leg")


def leg_formset(data: Any, itinerary: Itinerary | None = None) -> Any:
    """The legs of a new itinerary (empty rows), or of `itinerary` and one spare row. Only
    recorded legs can be removed; a spare row left empty is ignored."""
    legs = (list(itinerary.legs.prefetch_related("escorts").order_by("order"))
            if itinerary else [])
    # As many escort rows as the leg with most escorts has (recorded through the API,
    # say), so that saving the form never drops one.
    rows = max([ESCORT_ROWS, *(len(leg.escorts.all()) for leg in legs)])
    formset = forms.formset_factory(LegForm, formset=BaseLegFormSet,
                                    extra=NEW_LEG_ROWS if itinerary is None else 1,
                                    can_delete=True, can_delete_extra=False)
    return formset(data, initial=[leg_initial(leg) for leg in legs] or None, prefix="legs",
                   form_kwargs={"escort_rows": rows})


def legs_data(formset: Any) -> list[dict[str, Any]]:
    """The legs entered, in order, without removed and spare rows."""
    return [form.leg_data() for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
            and not form.is_blank()]


class BookForm(forms.Form):
    booking_reference = forms.CharField(label=gettext_lazy("Booking reference"),
                                        max_length=50, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    """Cancel, or record a no-show: the reason (the service says when it is required)."""

    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DepartureForm(forms.ModelForm):
    """What is done at departure. Built without an instance (the service changes the
    record): the view gives the current values as `initial`."""

    pre_embarkation_checked = forms.BooleanField(
        label=gettext_lazy("Pre-embarkation check done"), required=False,
        help_text=gettext_lazy("Tick once the travellers, their documents and baggage are "
                               "checked at the airport; your name and the time are recorded."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left empty, no bags (the service records 0).
        for name in ("checked_bags", "unaccompanied_bags"):
            self.fields[name].required = False

    class Meta:
        model = Departure
        fields = [f for f in DEPARTURE_FIELDS if f != "pre_embarkation_checked"]
        widgets = {"allowance_paid_on": forms.DateInput(attrs={"type": "date"}),
                   "allowance_currency": forms.TextInput(attrs={"size": 4}),
                   "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"allowance_currency": gettext_lazy("e.g. EUR")}

    def clean_allowance_currency(self) -> str:
        return (self.cleaned_data.get("allowance_currency") or "").strip().upper()

    def departure_data(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in DEPARTURE_FIELDS}
