"""Consent in the API. Input serializers validate only; the views call
retorno.privacy.consent."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.privacy.models import Consent, ConsentPurpose


class ConsentCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    person_id = serializers.IntegerField(help_text=gettext_lazy("A member of the case."))
    purpose = EnumField(ConsentPurpose)
    partner_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200,
        help_text=gettext_lazy("The partner organisation; only for purpose `partner`."))
    given_on = serializers.DateField(help_text=gettext_lazy("YYYY-MM-DD, not in the future."))
    form_version = serializers.CharField(max_length=50)
    guardian_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200,
        help_text=gettext_lazy("Required for a child: the guardian gives the consent."))
    guardian_relationship = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100,
        help_text=gettext_lazy("Required for a child."))


class ConsentWithdrawSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ConsentSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(source="person.display_name", read_only=True)
    purpose = EnumField(ConsentPurpose, read_only=True)
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True,
                                      help_text=gettext_lazy("False once withdrawn."))
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               help_text=gettext_lazy("Username."))
    withdrawn_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                                allow_null=True,
                                                help_text=gettext_lazy("Username."))

    class Meta:
        model = Consent
        fields = ["id", "person_id", "display_name", "purpose", "purpose_label",
                  "partner_name", "given_on", "form_version", "guardian_name",
                  "guardian_relationship", "recorded_by", "recorded_at", "active",
                  "withdrawn_at", "withdrawn_by", "withdrawal_reason"]
        read_only_fields = fields
