"""Declarations in the API. Input serializers validate only; the views hand
`validated_data` to declarations.services."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.declarations.models import Declaration, DeclarationTemplate
from retorno.lib.api_serializers import StrictFieldsMixin


class PrintInputSerializer(StrictFieldsMixin, serializers.Serializer):
    language = serializers.CharField(
        max_length=10, required=False, allow_blank=True,
        help_text=gettext_lazy("The language to print in: a template's language code (see "
                               "the declaration templates). By default the first of the "
                               "principal applicant's languages with a template, else "
                               "yours, else English."))


class SignedInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """The signed copy of a printed declaration, as multipart/form-data."""

    signed_on = serializers.DateField(help_text=gettext_lazy(
        "YYYY-MM-DD: not before the declaration was printed, not in the future."))
    place = serializers.CharField(max_length=200)
    interpreter_name = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                             help_text=gettext_lazy("Empty when there was "
                                                                    "no interpreter."))
    interpreter_language = serializers.CharField(
        max_length=3, required=False, allow_blank=True,
        help_text=gettext_lazy("ISO 639-3 code of the language the interpreter translated "
                               "into; with the interpreter's name, and only then."))
    scan = serializers.FileField(help_text=gettext_lazy(
        "The signed declaration: PDF, JPEG or PNG, up to 10 MB, recognised by its content "
        "(not its name)."))
    version = serializers.IntegerField(
        min_value=1, help_text=gettext_lazy("The declaration's version you read; refused "
                                            "with 409 if it is no longer the current one."))


class ScanSerializer(serializers.Serializer):
    content_type = serializers.CharField(source="scan_content_type")
    size = serializers.IntegerField(source="scan_size", help_text=gettext_lazy("Bytes."))
    sha256 = serializers.CharField(source="scan_sha256")


class DeclarationSerializer(serializers.ModelSerializer):
    template_id = serializers.IntegerField(read_only=True)
    template_version = serializers.CharField(source="template.version", read_only=True)
    language_name = serializers.CharField(read_only=True)
    members = serializers.ListField(
        child=serializers.IntegerField(), read_only=True,
        help_text=gettext_lazy("The people listed on the printed declaration (person ids, "
                               "the principal applicant first)."))
    printed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True)
    signed = serializers.BooleanField(source="is_signed", read_only=True, help_text=(
        gettext_lazy("True once the signed copy is recorded.")))
    current = serializers.SerializerMethodField(help_text=gettext_lazy(
        "True for the declaration that counts for the application: the latest printed one "
        "that has been signed."))
    scan = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = ["id", "language", "language_name", "template_id", "template_version",
                  "members", "printed_at", "printed_by", "signed", "current", "signed_on",
                  "place", "interpreter_name", "interpreter_language", "scan",
                  "recorded_by", "recorded_at", "version"]
        read_only_fields = fields

    def get_current(self, instance: Declaration) -> bool:
        return instance.pk == self.context.get("current_id")

    @extend_schema_field(ScanSerializer(allow_null=True))
    def get_scan(self, instance: Declaration) -> dict[str, Any] | None:
        # Not the file: it is fetched from its own endpoint, by those who may read it.
        return ScanSerializer(instance).data if instance.scan else None


class TemplateSerializer(serializers.ModelSerializer):
    language_name = serializers.CharField(read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True)

    class Meta:
        model = DeclarationTemplate
        fields = ["id", "language", "language_name", "version", "title", "body", "active",
                  "created_by", "created_at"]
        read_only_fields = fields
