"""Partners, agreements and referrals in the API. Input serializers validate only; the
views hand `validated_data` to partners.services."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.accounts.models import Office
from retorno.lib.api_serializers import EnumField, NeverPartialMixin, StrictFieldsMixin
from retorno.partners.models import Agreement, Partner, Referral, ReferralStatus
from retorno.reintegration.models import ItemKind

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")


class AgreementStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["valid", "expired", "pending", "none"],
        help_text=gettext_lazy("valid today, expired, signed but not yet in effect, or none "
                               "recorded."))
    date = serializers.DateField(
        allow_null=True, help_text=gettext_lazy(
            "Valid until (valid), expired on (expired), takes effect on (pending)."))


class PartnerSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                          help_text=gettext_lazy("The office that keeps "
                                                                 "the entry."))
    services = serializers.ListField(child=EnumField(ItemKind, name="AssistanceKind"))
    agreement = serializers.SerializerMethodField()

    class Meta:
        model = Partner
        fields = ["id", "name", "country", "areas", "services", "contact_name", "email",
                  "phone", "address", "active", "office", "agreement", "version",
                  "updated_at"]
        read_only_fields = fields

    @extend_schema_field(AgreementStateSerializer)
    def get_agreement(self, partner: Partner) -> dict[str, Any]:
        states = self.context.get("states") or {}
        state = states.get(partner.pk)
        if state is None:
            from retorno.partners.directory import agreement_states

            state = agreement_states([partner])[partner.pk]
        return {"state": state.state, "date": state.date}


class _PartnerFields(StrictFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=3, help_text=gettext_lazy(
        "ISO 3166-1 alpha-3 code, e.g. IRQ."))
    areas = serializers.ListField(
        child=serializers.CharField(max_length=10), required=False,
        help_text=gettext_lazy("ISO 3166-2 codes of the country's subdivisions where it "
                               "works; empty: the whole country."))
    services = serializers.ListField(child=EnumField(ItemKind, name="AssistanceKind"))
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                  help_text=gettext_lazy("E.164, e.g. +9647701234567."))
    address = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class PartnerCreateSerializer(_PartnerFields):
    office = serializers.SlugRelatedField(
        slug_field="code", queryset=Office.objects.all(),
        help_text=gettext_lazy("The code of the office that keeps the entry."))


class PartnerPatchSerializer(NeverPartialMixin, _PartnerFields):
    """Send only the fields that change, and the `version` the change is based on."""

    name = serializers.CharField(max_length=200, required=False)
    country = serializers.CharField(max_length=3, required=False)
    services = serializers.ListField(child=EnumField(ItemKind, name="AssistanceKind"),
                                     required=False)
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class AgreementSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Agreement
        fields = ["id", "reference", "signed_on", "valid_until", "scope", "recorded_by",
                  "recorded_at"]
        read_only_fields = fields


class AgreementInputSerializer(StrictFieldsMixin, serializers.Serializer):
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    signed_on = serializers.DateField()
    valid_until = serializers.DateField(help_text=gettext_lazy("After `signed_on`."))
    scope = serializers.CharField(required=False, allow_blank=True)


class ReferralSerializer(serializers.ModelSerializer):
    """A referral as the referring side reads it."""

    case = serializers.CharField(source="case.reference", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True,
                                      help_text=gettext_lazy("The person's id."))
    partner = serializers.IntegerField(source="partner_id", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    service = EnumField(ItemKind, name="AssistanceKind", read_only=True)
    status = EnumField(ReferralStatus, read_only=True)
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    shared_fields = serializers.SerializerMethodField(
        help_text=gettext_lazy("The names of the fields the partner holds."))

    class Meta:
        model = Referral
        fields = ["id", "case", "person", "partner", "partner_name", "service", "item",
                  "status", "sent_at", "sent_by", "office", "shared_fields", "responded_at",
                  "decline_reason", "service_given", "service_on", "feedback", "closed_at",
                  "version"]
        read_only_fields = fields

    def get_shared_fields(self, referral: Referral) -> list[str]:
        return list(referral.shared)


class ReferralCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    person = serializers.IntegerField(help_text=gettext_lazy("A member of the case (id)."))
    partner = serializers.IntegerField(help_text=gettext_lazy("The partner's id."))
    service = EnumField(ItemKind, name="AssistanceKind")
    need = serializers.CharField(max_length=2000, help_text=gettext_lazy(
        "What the person needs, for the partner: never a diagnosis."))
    item = serializers.IntegerField(required=False, allow_null=True, help_text=gettext_lazy(
        "An assistance item of the case's reintegration plan (id)."))


class ReasonSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)
    reason = serializers.CharField(max_length=2000)


class VersionSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class ServiceGivenSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)
    service_given = serializers.CharField(max_length=4000)
    service_on = serializers.DateField(help_text=gettext_lazy("Not in the future."))


class FeedbackSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)
    feedback = serializers.CharField(max_length=4000)


class PartnerReferralSerializer(serializers.ModelSerializer):
    """A referral as the partner reads it: the service and what was shared, nothing of
    the case."""

    service = EnumField(ItemKind, name="AssistanceKind", read_only=True)
    status = EnumField(ReferralStatus, read_only=True)
    shared = serializers.DictField(read_only=True, help_text=gettext_lazy(
        "The minimum the service needs: name, sex, age, preferred language, phone, where "
        "they live, the need (and nationality for legal help)."))

    class Meta:
        model = Referral
        fields = ["id", "service", "status", "shared", "sent_at", "responded_at",
                  "decline_reason", "service_given", "service_on", "feedback", "closed_at",
                  "version"]
        read_only_fields = fields
