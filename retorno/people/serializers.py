"""People in the API: what a request may send and what a response shows.

Input serializers validate only; the views hand `validated_data` to people.services.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.accounts.api import OfficeCodeField
from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.lib.codes import validate_country
from retorno.people.models import DocumentKind, IdentityDocument, Person
from retorno.people.policy import visible_people
from retorno.people.services import DOCUMENT_FIELDS, PERSON_FIELDS

_LANGUAGES_HELP = _("ISO 639-3 language codes, e.g. [\"arb\", \"eng\"].")


class PersonInputSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """The details a caseworker enters about a person."""

    languages = serializers.ListField(child=serializers.CharField(max_length=3), required=False,
                                      help_text=_LANGUAGES_HELP)

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        extra_kwargs = {"nationality": {"help_text": _("ISO 3166-1 alpha-3 code, e.g. IRQ.")}}


class PersonCreateSerializer(PersonInputSerializer):
    office = OfficeCodeField(
        required=False,
        help_text=_("Code of the registering office. May be left out by someone who may "
                    "register people in one office only."),
    )

    class Meta(PersonInputSerializer.Meta):
        fields = [*PERSON_FIELDS, "office"]


class PersonPatchSerializer(NeverPartialMixin, PersonInputSerializer):
    """Send only the fields that change, and the `version` the change is based on."""

    version = serializers.IntegerField(
        min_value=1, help_text=_("The version you read; refused with 409 if it is no longer "
                                 "the current one."))

    class Meta(PersonInputSerializer.Meta):
        fields = [*PERSON_FIELDS, "version"]
        extra_kwargs = {
            **PersonInputSerializer.Meta.extra_kwargs,
            **{name: {"required": False} for name in PERSON_FIELDS},
        }


@extend_schema_field(OpenApiTypes.INT)
class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person id, accepted only if the requesting user may see that person."""

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return visible_people(self.context["request"].user)


class PersonFilterSerializer(serializers.Serializer):
    """Query parameters of the people list."""

    q = serializers.CharField(
        required=False, allow_blank=True,
        help_text=_("Part of any name, in Latin letters or the original script; case and "
                    "accents do not matter."))
    date_of_birth = serializers.DateField(required=False, help_text=_("YYYY-MM-DD"))
    nationality = serializers.CharField(required=False, max_length=3, min_length=3,
                                        help_text=_("ISO 3166-1 alpha-3 code, e.g. IRQ."))

    def validate_nationality(self, value: str) -> str:
        return value.upper()


class DocumentInputSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    kind = EnumField(DocumentKind)

    class Meta:
        model = IdentityDocument
        fields = DOCUMENT_FIELDS
        extra_kwargs = {"issuing_country": {"validators": [validate_country]}}


class DocumentSerializer(serializers.ModelSerializer):
    kind = EnumField(DocumentKind, read_only=True)

    class Meta:
        model = IdentityDocument
        fields = ["id", *DOCUMENT_FIELDS]
        read_only_fields = fields


class PersonListItemSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    registered_office = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "display_name", *PERSON_FIELDS, "registered_office", "version",
                  "updated_at"]
        read_only_fields = fields


class PersonSerializer(PersonListItemSerializer):
    documents = DocumentSerializer(many=True, read_only=True)
    cases = serializers.SerializerMethodField(
        help_text=_("References of the cases this person is a member of that you may see."))

    class Meta(PersonListItemSerializer.Meta):
        fields = [*PersonListItemSerializer.Meta.fields, "created_at", "documents", "cases"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_cases(self, person: Person) -> list[str]:
        from retorno.cases.policy import visible_cases

        return list(
            visible_cases(self.context["request"].user)
            .filter(members__person=person)
            .order_by("-created_at", "-id")
            .values_list("reference", flat=True)
        )
