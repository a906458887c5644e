"""The programme finance endpoint of the REST API (v1): one programme's figures, for
finance.view (supervisors and programme managers, organisation-wide)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.finance.figures import figures_of
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.lib.errors import NotAllowed
from retorno.programmes import policy
from retorno.programmes.serializers import FiguresSerializer, figures_data


@extend_schema(tags=["programmes"])
class ProgrammeFinance(GenericAPIView):
    serializer_class = FiguresSerializer

    @extend_schema(operation_id="programmes_finance_retrieve",
                   responses={200: FiguresSerializer,
                              403: OpenApiResponse(ServiceErrorSerializer,
                                                   description=gettext_lazy(
                                                       "For supervisors and programme "
                                                       "managers.")),
                              404: OpenApiResponse(NotFoundSerializer)})
    def get(self, request: Request, code: str) -> Response:
        """The programme's budget, committed, spent, awaiting payment and remaining
        amounts, quota used, returnees assisted and cost per returnee, and its spending by
        grant kind, payment method and month — in the programme's currency."""
        if not policy.can_view_finance(request.user):
            raise NotAllowed(_("Only supervisors and programme managers read the programme "
                               "finances."))
        programme = policy.access_programme(code)
        return Response(FiguresSerializer(figures_data(figures_of(programme))).data)
