"""API pieces about accounts: the token endpoint and offices named by their code."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office, User
from retorno.lib.errors import Invalid, NotAllowed


class OfficeCodeField(serializers.SlugRelatedField):
    """An office given by its code, e.g. "deu-ber". Offices are not personal data."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("help_text", gettext_lazy("Office code, e.g. deu-ber."))
        super().__init__(slug_field="code", queryset=Office.objects.all(), **kwargs)


def office_for(user: User, action: str, office: Office | None, *,
               refusal: str) -> Office:
    """The office a create request acts in: the one given, or else the only office where
    `user` may perform `action`.

    Whether the user may act in a given office is for the service to decide; this only
    fills in the default. With no such office at all we refuse here with `refusal`
    (403), since there is no office to hand to the service.
    """
    if office is not None:
        return office
    offices = perms.office_ids(user, action)
    if not offices:
        raise NotAllowed(refusal)
    if len(offices) > 1:
        raise Invalid(
            _("You work in several offices: say in which one (office)."),
            field_errors={"office": [_("Give the code of the office.")]},
        )
    return Office.objects.get(pk=next(iter(offices)))


class TokenThrottle(AnonRateThrottle):
    # Slows down password guessing against the one endpoint that accepts a password.
    scope = "token"
    rate = "10/minute"


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=gettext_lazy(
        'Send it on every request as the header "Authorization: Token <token>".'))


class ObtainToken(ObtainAuthToken):
    """Exchange a username and password for an API token (for scripts and systems)."""

    throttle_classes = (TokenThrottle,)

    @extend_schema(
        operation_id="auth_token_create",
        responses={200: TokenSerializer,
                   400: OpenApiResponse(description=gettext_lazy("Wrong username or password."))},
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        return super().post(request, *args, **kwargs)
