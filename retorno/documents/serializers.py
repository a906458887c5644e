"""Travel documents and MRZ reading in the API. Input serializers parse and type the
input only; the views hand `validated_data` to documents.services, which validates it
(what each status needs, the number's characters, the country code) and refuses with
messages per field."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.documents import workflow
from retorno.documents.models import DocumentStatus, Kind, TravelDocument
from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin

_KIND = "TravelDocumentKind"
_STATUS = "TravelDocumentStatus"
_NUMBER_HELP = gettext_lazy("As printed on the document: capital letters A–Z and digits. "
                            "Required once the document is issued.")
_COUNTRY_HELP = gettext_lazy("ISO 3166 alpha-3 code of the issuing country, e.g. IRQ.")
_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")


def _date(help_text: str | None = None) -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, help_text=help_text)


class TravelDocumentInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A new travel document of one member of the case."""

    person_id = serializers.IntegerField(help_text=gettext_lazy("A member of the case."))
    kind = EnumField(Kind, name=_KIND)
    status = EnumField(DocumentStatus, name=_STATUS, required=False, help_text=gettext_lazy(
        "`to_request` (the default), or `issued` or `collected` for a document the person "
        "already holds. A request and a refusal are recorded as status changes."))
    number = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                   help_text=_NUMBER_HELP)
    issuing_country = serializers.CharField(max_length=3, help_text=_COUNTRY_HELP)
    issued_on = _date()
    expires_on = _date(gettext_lazy("Required once the document is issued."))
    authority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class TravelDocumentPatchSerializer(NeverPartialMixin, StrictFieldsMixin, serializers.Serializer):
    """Send only the fields that change, and the `version` the change is based on. The
    status changes through the status endpoint."""

    kind = EnumField(Kind, name=_KIND, required=False)
    number = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                   help_text=_NUMBER_HELP)
    issuing_country = serializers.CharField(max_length=3, required=False,
                                            help_text=_COUNTRY_HELP)
    issued_on = _date()
    expires_on = _date()
    authority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    requested_on = _date()
    follow_up_on = _date()
    refusal_reason = serializers.CharField(required=False, allow_blank=True,
                                           help_text=gettext_lazy("Only on a refused "
                                                                  "document."))
    notes = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class TravelDocumentStatusInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """The status to move to, the fields that move takes, and the `version` the change is
    based on. `to_request` → `requested`: `requested_on` (and optionally `follow_up_on`,
    two weeks later by default, and `authority`); `requested` → `requested` (followed up):
    `follow_up_on`, today or later; `requested` → `issued`: `number`, `expires_on`
    (`issued_on` optional); `requested` → `refused`: `refusal_reason`; `issued` →
    `collected` and `refused` → `to_request`: nothing."""

    to = EnumField(DocumentStatus, name=_STATUS)
    requested_on = serializers.DateField(required=False)
    follow_up_on = serializers.DateField(required=False)
    authority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    number = serializers.CharField(max_length=30, required=False, help_text=_NUMBER_HELP)
    issued_on = serializers.DateField(required=False)
    expires_on = serializers.DateField(required=False)
    refusal_reason = serializers.CharField(required=False)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class TravelDocumentSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="person.display_name", read_only=True)
    kind = EnumField(Kind, name=_KIND, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = EnumField(DocumentStatus, name=_STATUS, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    next_statuses = serializers.SerializerMethodField(
        help_text=gettext_lazy("The statuses the document may move to from its status."))
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              help_text=gettext_lazy("Username."))
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              help_text=gettext_lazy("Username."))

    class Meta:
        model = TravelDocument
        fields = ["id", "person_id", "display_name", "kind", "kind_label", "number",
                  "issuing_country", "issued_on", "expires_on", "status", "status_label",
                  "next_statuses", "authority", "requested_on", "follow_up_on",
                  "status_changed_on", "refusal_reason", "notes", "created_at",
                  "created_by", "updated_at", "updated_by", "version"]
        read_only_fields = fields

    def get_next_statuses(self, instance: TravelDocument) -> list[str]:
        return [m.target.value for m in workflow.moves_from(instance.status)]


class MrzInputSerializer(StrictFieldsMixin, serializers.Serializer):
    mrz = serializers.CharField(allow_blank=True, max_length=1000, help_text=gettext_lazy(
        "The machine-readable zone, its lines separated by line breaks: TD1 (3 × 30 "
        "characters), TD2 (2 × 36) or TD3 (2 × 44)."))


class MrzErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy(
        "e.g. `document_number_check`, `birth_date_check`, `expiry_date_check`, "
        "`optional_data_check`, `composite_check`, `birth_date`, `expiry_date`, `sex`, "
        "`issuing_state`, `nationality`."))
    message = serializers.CharField(help_text=gettext_lazy("In the user's language."))


class MrzSerializer(serializers.Serializer):
    """What the zone says. Nothing is saved."""

    format = serializers.ChoiceField(choices=["TD1", "TD2", "TD3"])
    document_code = serializers.CharField()
    kind = EnumField(Kind, name=_KIND, allow_null=True, help_text=gettext_lazy(
        "null when the document code is neither a passport (P) nor an identity card (I, A, "
        "C): the user chooses."))
    number = serializers.CharField()
    issuing_state = serializers.CharField(help_text=gettext_lazy(
        "As in the zone (ICAO 9303): e.g. `D` for Germany, `UTO` for the ICAO specimen "
        "state."))
    issuing_country = serializers.CharField(allow_null=True, help_text=gettext_lazy(
        "The ISO 3166 alpha-3 code to record; null when the issuing state is no ISO "
        "country."))
    nationality = serializers.CharField()
    surname = serializers.CharField()
    given_names = serializers.CharField()
    sex = serializers.CharField(help_text=gettext_lazy("F, M, X, or empty when unspecified."))
    birth_date = serializers.DateField(allow_null=True)
    expiry_date = serializers.DateField(allow_null=True)
    optional_data = serializers.CharField()
    valid = serializers.BooleanField(help_text=gettext_lazy("True when `errors` is empty."))
    errors = MrzErrorSerializer(many=True)
    notes = serializers.ListField(child=serializers.CharField(), help_text=gettext_lazy(
        "What the user should know or choose: a state that is no ISO country, an expired "
        "document, a kind to choose."))

    def to_representation(self, instance):  # type: ignore[no-untyped-def]
        data = super().to_representation(instance)
        data["issuing_country"] = data["issuing_country"] or None
        return data
