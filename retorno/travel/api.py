"""The itinerary endpoints of the REST API (v1), under a case: itineraries with their legs
and escorts, booking, cancelling, no-shows, and the departure details.

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike). Reading needs `travel.view` on the case (403 otherwise); writes are refused (403)
to everyone but the host office's movement officers and supervisors before the body is
even read, and go through travel.services. Service errors become 400/403/409 in
retorno.lib.api.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.models import Case
from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import NotAllowed
from retorno.travel import policy, services
from retorno.travel.models import Departure, Itinerary
from retorno.travel.serializers import (
    BookInputSerializer,
    CancelInputSerializer,
    DepartureInputSerializer,
    DepartureSerializer,
    ItineraryInputSerializer,
    ItineraryPatchSerializer,
    ItinerarySerializer,
    NoShowInputSerializer,
    legs_for_service,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case or itinerary, or not one you may see."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Your role may not read, or not record, the itineraries of this case."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the itinerary (or its departure details) since `version`; "
    "nothing was saved."))
_TAGS = ["itineraries"]


def _readable_case(request: Request, reference: str) -> Case:
    case = access_case(request.user, reference)
    if not policy.can_view(request.user, case):
        raise NotAllowed(_("Your role does not read the itineraries of case %(ref)s.")
                         % {"ref": case.reference})
    return case


def _writable_case(request: Request, reference: str) -> Case:
    case = access_case(request.user, reference)
    services.require_record(request.user, case)
    return case


def _itinerary(case: Case, itinerary_id: int) -> Itinerary:
    """Read again after a write: the legs, escorts and transit requests as stored."""
    return (policy.itineraries_of(case).filter(pk=itinerary_id)
            .prefetch_related("legs__escorts", "transit_requests__office",
                              "transit_requests__leg")
            .select_related("booked_by", "created_by", "updated_by").get())


def _out(case: Case, itinerary_id: int) -> dict[str, Any]:
    return ItinerarySerializer(_itinerary(case, itinerary_id)).data


@extend_schema(tags=_TAGS)
class ItineraryList(GenericAPIView):
    serializer_class = ItinerarySerializer
    pagination_class = None

    @extend_schema(operation_id="cases_itineraries_list",
                   responses={200: ItinerarySerializer(many=True), 403: _REFUSED,
                              404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The itineraries of the case, oldest first, cancelled and no-show ones included
        (the history of the bookings), each with its legs in travel order."""
        case = _readable_case(request, reference)
        itineraries = (policy.itineraries_of(case)
                       .prefetch_related("legs__escorts", "transit_requests__office",
                                         "transit_requests__leg")
                       .select_related("booked_by", "created_by", "updated_by"))
        return Response(ItinerarySerializer(itineraries, many=True).data)

    @extend_schema(operation_id="cases_itineraries_create", request=ItineraryInputSerializer,
                   responses={201: ItinerarySerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record a planned itinerary (the host office's movement officers and
        supervisors, while the case is open). Every rule over the legs is checked, all
        problems at once, each naming its leg. Audit event "itinerary recorded";
        timeline entry."""
        case = _writable_case(request, reference)
        data = ItineraryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields["legs"] = legs_for_service(fields["legs"])
        itinerary = services.record_itinerary(actor=request.user, case=case, data=fields)
        return Response(_out(case, itinerary.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=_TAGS)
class ItineraryDetail(GenericAPIView):
    serializer_class = ItinerarySerializer

    @extend_schema(operation_id="cases_itineraries_retrieve",
                   responses={200: ItinerarySerializer, 403: _REFUSED, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str, itinerary_id: int) -> Response:
        case = _readable_case(request, reference)
        policy.access_itinerary(case, itinerary_id)
        return Response(_out(case, itinerary_id))

    @extend_schema(operation_id="cases_itineraries_partial_update",
                   request=ItineraryPatchSerializer,
                   responses={200: ItinerarySerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def patch(self, request: Request, reference: str, itinerary_id: int) -> Response:
        """Change a planned itinerary. Send `version` from the itinerary you read; all
        changes are saved, or none. A booked itinerary is not changed: cancel it (or
        record a no-show) and record the new one."""
        case = _writable_case(request, reference)
        itinerary = policy.access_itinerary(case, itinerary_id)
        data = ItineraryPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        if "legs" in fields:
            fields["legs"] = legs_for_service(fields["legs"])
        services.update_itinerary(actor=request.user, itinerary=itinerary, data=fields,
                                  version=version)
        return Response(_out(case, itinerary_id))


@extend_schema(tags=_TAGS)
class ItineraryBook(GenericAPIView):
    serializer_class = ItinerarySerializer

    @extend_schema(operation_id="cases_itineraries_book", request=BookInputSerializer,
                   responses={200: ItinerarySerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, itinerary_id: int) -> Response:
        """Book a planned itinerary. Refused (400), with every reason at once, when the
        case is not approved, returns to the destination are suspended until the
        arrival, another booked itinerary carries one of its travellers, or the case
        cannot be handed over to the office of origin (none chosen, or a member's consent
        to that sharing missing). Booking hands the case over and sends transit requests."""
        case = _writable_case(request, reference)
        itinerary = policy.access_itinerary(case, itinerary_id)
        data = BookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.book_itinerary(actor=request.user, itinerary=itinerary,
                                version=data.validated_data["version"],
                                booking_reference=data.validated_data.get(
                                    "booking_reference", ""))
        return Response(_out(case, itinerary_id))


@extend_schema(tags=_TAGS)
class ItineraryCancel(GenericAPIView):
    serializer_class = ItinerarySerializer

    @extend_schema(operation_id="cases_itineraries_cancel", request=CancelInputSerializer,
                   responses={200: ItinerarySerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, itinerary_id: int) -> Response:
        """Cancel a planned or booked itinerary. It stays listed, as it was; its transit
        requests are cancelled."""
        case = _writable_case(request, reference)
        itinerary = policy.access_itinerary(case, itinerary_id)
        data = CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.cancel_itinerary(actor=request.user, itinerary=itinerary,
                                  version=data.validated_data["version"],
                                  reason=data.validated_data.get("reason", ""))
        return Response(_out(case, itinerary_id))


@extend_schema(tags=_TAGS)
class ItineraryNoShow(GenericAPIView):
    serializer_class = ItinerarySerializer

    @extend_schema(operation_id="cases_itineraries_no_show", request=NoShowInputSerializer,
                   responses={200: ItinerarySerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, reference: str, itinerary_id: int) -> Response:
        """The travellers did not board a booked itinerary: it is kept as a no-show (its
        transit requests cancelled); record the rebooking as a new itinerary."""
        case = _writable_case(request, reference)
        itinerary = policy.access_itinerary(case, itinerary_id)
        data = NoShowInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_no_show(actor=request.user, itinerary=itinerary,
                                version=data.validated_data["version"],
                                reason=data.validated_data["reason"])
        return Response(_out(case, itinerary_id))


def _departure(itinerary: Itinerary) -> Departure:
    # Nothing recorded yet: the defaults, with no version.
    departure = getattr(itinerary, "departure", None)
    if departure is None:
        departure = Departure(itinerary=itinerary)
        departure.version = None
    return departure


@extend_schema(tags=_TAGS)
class ItineraryDeparture(GenericAPIView):
    serializer_class = DepartureSerializer

    @extend_schema(operation_id="cases_itineraries_departure_retrieve",
                   responses={200: DepartureSerializer, 403: _REFUSED, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str, itinerary_id: int) -> Response:
        """The departure details of the itinerary: allowance, baggage, pre-embarkation
        check. `version` is null while none are recorded."""
        case = _readable_case(request, reference)
        itinerary = policy.access_itinerary(case, itinerary_id)
        return Response(DepartureSerializer(_departure(itinerary)).data)

    @extend_schema(operation_id="cases_itineraries_departure_update",
                   request=DepartureInputSerializer,
                   responses={200: DepartureSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def put(self, request: Request, reference: str, itinerary_id: int) -> Response:
        """Record the departure details of a booked itinerary. The first PUT creates
        them; later ones send the `version` read. Fields left out keep their value."""
        case = _writable_case(request, reference)
        itinerary = policy.access_itinerary(case, itinerary_id)
        data = DepartureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version", None)
        services.record_departure(actor=request.user, itinerary=itinerary, data=fields,
                                  version=version)
        return Response(DepartureSerializer(
            _departure(policy.access_itinerary(case, itinerary_id))).data)
