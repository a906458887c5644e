"""Survey responses, their scores and the survey instruments in the REST API (v1).

The case is loaded through cases.policy.access_case (404 for missing and forbidden
alike); a response by its id only when its case is one the user may see. Whoever reads
the case reads its responses and scores. Recording one is refused (403) to everyone but
those who may record a survey on the case (`surveys.policy.may_record`) before the body
is even read, and goes through surveys.services.record_response; the client key makes
it idempotent. The instruments are read by those who record surveys, keep the
instruments or read the M&E dashboard (403 for other roles).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.cases.models import Case, CaseMember
from retorno.cases.policy import access_case
from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import Invalid, NotAllowed
from retorno.surveys import policy, services
from retorno.surveys.models import InstrumentVersion, Source, SurveyResponse
from retorno.surveys.responses import access_case_response, access_response, responses_of
from retorno.surveys.serializers import (
    InstrumentSerializer,
    SurveyResponseCreateSerializer,
    SurveyResponseDetailSerializer,
    SurveyResponseSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such case or survey response, or not one you may see."))
_REFUSED_RECORD = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the M&E officers, reintegration officers and supervisors of the case's office "
    "of origin may record surveys, once the returnees have arrived."))
_REFUSED_READ = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only those who record surveys, keep the instruments or read the M&E dashboard read "
    "the instruments."))
_TAGS = ["surveys"]


def _version(data: dict) -> InstrumentVersion:
    if "version_id" in data:
        version = (InstrumentVersion.objects.select_related("instrument")
                   .filter(pk=data["version_id"]).first())
        if version is None:
            raise Invalid(_("There is no survey instrument version %(id)s.")
                          % {"id": data["version_id"]},
                          field_errors={"version_id": [_("No such version.")]})
        return version
    instrument = policy.instruments().filter(code=data["instrument"]).first()
    version = instrument.current if instrument is not None else None
    if version is None:
        raise Invalid(_("There is no survey instrument “%(code)s”.")
                      % {"code": data["instrument"]},
                      field_errors={"instrument": [_("No such instrument.")]})
    return version


def _respondent(case: Case, person_id: int | None) -> CaseMember | None:
    if person_id is None:
        return None
    member = case.members.filter(person_id=person_id).first()
    if member is None:
        raise Invalid(_("Person %(id)s is not a member of case %(ref)s.")
                      % {"id": person_id, "ref": case.reference},
                      field_errors={"respondent": [_("Not a member of this case.")]})
    return member


@extend_schema(tags=_TAGS)
class CaseSurveyResponses(GenericAPIView):
    serializer_class = SurveyResponseSerializer
    pagination_class = None

    @extend_schema(operation_id="cases_survey_responses_list",
                   responses={200: SurveyResponseSerializer(many=True), 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        """The case's survey responses, oldest first, with their round, months since
        return, dimension scores and composite."""
        case = access_case(request.user, reference)
        return Response(SurveyResponseSerializer(responses_of(case), many=True).data)

    @extend_schema(operation_id="cases_survey_responses_create",
                   request=SurveyResponseCreateSerializer,
                   responses={201: SurveyResponseDetailSerializer,
                              200: OpenApiResponse(SurveyResponseDetailSerializer,
                                                   description=gettext_lazy(
                                                       "This client key was recorded "
                                                       "already: the response as it was.")),
                              400: _INVALID, 403: _REFUSED_RECORD, 404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        """Record and score one survey response on the case: every answer checked
        against the version's definition (an unknown question or option is refused with
        its name). The round (baseline, follow-up, single) and the months since return
        are worked out. Audit event "survey response recorded", a timeline entry."""
        case = access_case(request.user, reference)
        if not policy.may_record(request.user, case):
            raise NotAllowed(_("Only the M&E officers, reintegration officers and "
                               "supervisors of the office of origin may record surveys on "
                               "case %(ref)s, once the returnees have arrived.")
                             % {"ref": case.reference})
        data = SurveyResponseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        version = _version(fields)
        respondent = _respondent(case, fields.get("respondent"))
        known = SurveyResponse.objects.filter(version=version,
                                              submission_id=fields["client_key"]).exists()
        response = services.record_response(
            actor=request.user, case=case, version=version, answers=fields["answers"],
            collected_on=fields["collected_on"], respondent=respondent, source=Source.API,
            submission_id=fields["client_key"])
        response = access_case_response(case, response.pk)
        return Response(SurveyResponseDetailSerializer(response).data,
                        status=status.HTTP_200_OK if known else status.HTTP_201_CREATED)


@extend_schema(tags=_TAGS)
class SurveyResponseDetail(GenericAPIView):
    serializer_class = SurveyResponseDetailSerializer

    @extend_schema(operation_id="survey_responses_retrieve",
                   responses={200: SurveyResponseDetailSerializer, 404: _NOT_FOUND})
    def get(self, request: Request, response_id: int) -> Response:
        """One survey response: its answers and the breakdown of its scores — each
        indicator's value, weight and contribution, each dimension's score and coverage,
        the composite, the missing indicators and the rule applied."""
        response = access_response(request.user, response_id)
        return Response(SurveyResponseDetailSerializer(response).data)


@extend_schema(tags=_TAGS)
class InstrumentList(GenericAPIView):
    serializer_class = InstrumentSerializer
    pagination_class = None

    @extend_schema(operation_id="survey_instruments_list",
                   responses={200: InstrumentSerializer(many=True), 403: _REFUSED_READ})
    def get(self, request: Request) -> Response:
        """The survey instruments, each with its versions and their whole definitions."""
        if not policy.can_read_instruments(request.user):
            raise NotAllowed(_("Only those who record surveys, keep the survey instruments "
                               "or read the M&E dashboard may read the instruments."))
        return Response(InstrumentSerializer(policy.instruments(), many=True).data)
