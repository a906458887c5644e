"""The people endpoints of the REST API (v1).

Reads go through people.policy (visible_people, access_person); writes through
people.services. Service errors become 400/403/409 in retorno.lib.api.
"""


from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.accounts import permissions as perms
from retorno.accounts.api import office_for
from retorno.cases.search import search_people
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import REFUSED as _REFUSED
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.people import services
from retorno.people.policy import access_person
from retorno.people.serializers import (
    DocumentInputSerializer,
    DocumentSerializer,
    PersonCreateSerializer,
    PersonFilterSerializer,
    PersonListItemSerializer,
    PersonPatchSerializer,
    PersonSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer,
                             description=gettext_lazy("No such person, or not one you may see."))


def _detail(request: Request, person_id: int, code: int = status.HTTP_200_OK) -> Response:
    person = access_person(request.user, person_id)
    serializer = PersonSerializer(person, context={"request": request})
    return Response(serializer.data, status=code)


@extend_schema(tags=["people"])
class PersonList(GenericAPIView):
    serializer_class = PersonListItemSerializer

    @extend_schema(operation_id="people_list", parameters=[PersonFilterSerializer],
                   responses={200: PersonListItemSerializer(many=True)})
    def get(self, request: Request) -> Response:
        """People you may see, most recently registered first."""
        filters = PersonFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        people = search_people(request.user, **filters.validated_data)
        people = people.select_related("registered_office").order_by("-id")
        page = self.paginate_queryset(people)
        return self.get_paginated_response(PersonListItemSerializer(page, many=True).data)

    @extend_schema(operation_id="people_create", request=PersonCreateSerializer,
                   responses={201: PersonSerializer, 400: _INVALID, 403: _REFUSED})
    def post(self, request: Request) -> Response:
        """Register a person. Audit event "person registered"."""
        data = PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        office = office_for(request.user, perms.PERSON_CREATE, fields.pop("office", None),
                            refusal=_("You may not register people."))
        person = services.register_person(actor=request.user, office=office, data=fields)
        return _detail(request, person.pk, status.HTTP_201_CREATED)


@extend_schema(tags=["people"])
class PersonDetail(GenericAPIView):
    serializer_class = PersonSerializer

    @extend_schema(operation_id="people_retrieve", responses={200: PersonSerializer,
                                                              404: _NOT_FOUND})
    def get(self, request: Request, person_id: int) -> Response:
        return _detail(request, person_id)

    @extend_schema(operation_id="people_partial_update", request=PersonPatchSerializer,
                   responses={200: PersonSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND,
                              409: OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
                                  "Someone else changed the person since `version`; "
                                  "nothing was saved."))})
    def patch(self, request: Request, person_id: int) -> Response:
        """Change a person's details. Send `version` from the detail you read."""
        person = access_person(request.user, person_id)
        data = PersonPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        services.update_person(actor=request.user, person=person, data=fields, version=version)
        return _detail(request, person_id)


@extend_schema(tags=["people"])
class PersonDocuments(GenericAPIView):
    serializer_class = DocumentSerializer

    @extend_schema(operation_id="people_documents_create", request=DocumentInputSerializer,
                   responses={201: DocumentSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND})
    def post(self, request: Request, person_id: int) -> Response:
        """Record an identity document the person holds."""
        person = access_person(request.user, person_id)
        data = DocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.add_identity_document(actor=request.user, person=person,
                                                  data=dict(data.validated_data))
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
