"""Grants, disbursements and exchange rates in the API. Input serializers validate only;
the views hand `validated_data` to finance.services."""

from decimal import Decimal

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.finance.models import (
    Disbursement,
    DisbursementStatus,
    ExchangeRate,
    Grant,
    Method,
)
from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.programmes.models import ComponentKind, Modality

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")
_MONEY_HELP = gettext_lazy("A decimal string in the programme's currency, with at most as "
                           "many decimals as the currency has minor units.")
_USER_HELP = gettext_lazy("Username.")


def _user() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="username", read_only=True,
                                        help_text=_USER_HELP)


class GrantSerializer(serializers.ModelSerializer):
    case = serializers.CharField(source="case.reference", read_only=True,
                                 help_text=gettext_lazy("The case's reference."))
    kind = EnumField(ComponentKind, read_only=True)
    modality = EnumField(Modality, read_only=True)
    awarded_by = _user()
    counted = serializers.DecimalField(
        source="counted_total", max_digits=14, decimal_places=3, read_only=True,
        help_text=gettext_lazy("What the disbursements awaiting approval, approved and "
                               "paid add up to."))
    paid = serializers.DecimalField(source="paid_total", max_digits=14, decimal_places=3,
                                    read_only=True)
    remaining = serializers.SerializerMethodField(
        help_text=gettext_lazy("What may still be requested: the amount less what is "
                               "counted."))

    class Meta:
        model = Grant
        fields = ["id", "case", "kind", "amount", "currency", "modality", "counted", "paid",
                  "remaining", "awarded_at", "awarded_by", "version"]
        read_only_fields = fields

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=3))
    def get_remaining(self, grant: Grant) -> str:
        counted = Decimal(getattr(grant, "counted_total", 0) or 0)
        return str(max(grant.amount - counted, Decimal(0)).quantize(Decimal("0.001")))


class DisbursementSerializer(serializers.ModelSerializer):
    grant_kind = EnumField(ComponentKind, source="grant.kind", read_only=True)
    currency = serializers.CharField(source="grant.currency", read_only=True,
                                     help_text=gettext_lazy("The programme's currency."))
    method = EnumField(Method, name="DisbursementMethod", read_only=True)
    status = EnumField(DisbursementStatus, read_only=True)
    has_receipt = serializers.SerializerMethodField()
    requested_by = _user()
    decided_by = _user()
    recorded_paid_by = _user()

    class Meta:
        model = Disbursement
        fields = ["id", "grant", "grant_kind", "item", "amount", "currency",
                  "local_currency", "local_amount", "rate", "rate_month", "method", "payee",
                  "status", "paid_on", "has_receipt", "note", "client_key", "requested_at",
                  "requested_by", "decided_at", "decided_by", "decision_note",
                  "recorded_paid_by", "version"]
        read_only_fields = fields

    def get_has_receipt(self, disbursement: Disbursement) -> bool:
        return bool(disbursement.receipt)


class AwardInputSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = EnumField(ComponentKind, help_text=gettext_lazy(
        "reinstallation or reintegration (a top-up is part of the reintegration grant)."))
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True,
        help_text=gettext_lazy("Defaults to the ceiling the package allows the case. ")
        + _MONEY_HELP)
    modality = EnumField(Modality, required=False, allow_null=True, help_text=gettext_lazy(
        "Defaults to cash unless every component of the kind is in kind."))


class RequestInputSerializer(StrictFieldsMixin, serializers.Serializer):
    grant = serializers.IntegerField(help_text=gettext_lazy("The grant's id."))
    amount = serializers.DecimalField(max_digits=14, decimal_places=3,
                                      help_text=_MONEY_HELP)
    method = EnumField(Method, name="DisbursementMethod")
    client_key = serializers.CharField(max_length=64, help_text=gettext_lazy(
        "A key of your own, unique per payment (a UUID): sending the same request again "
        "with it records nothing more and answers 200 with the first one."))
    local_currency = serializers.CharField(
        max_length=3, required=False, allow_blank=True, default="",
        help_text=gettext_lazy("ISO 4217 code of the currency paid in; empty for the "
                               "programme's."))
    paid_on = serializers.DateField(
        required=False, allow_null=True, default=None,
        help_text=gettext_lazy("When already paid (only without a second approval)."))
    payee = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                  default="")
    item = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text=gettext_lazy("An assistance item of the case's approved plan."))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    receipt = serializers.FileField(required=False, allow_null=True, default=None,
                                    help_text=gettext_lazy("PDF, JPEG or PNG, up to 10 MB "
                                                           "(multipart only)."))


class DecideInputSerializer(StrictFieldsMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text=gettext_lazy("Needed to reject."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)


class PaidInputSerializer(StrictFieldsMixin, serializers.Serializer):
    paid_on = serializers.DateField(help_text=gettext_lazy("Not in the future."))
    version = serializers.IntegerField(min_value=1, help_text=_VERSION_HELP)
    receipt = serializers.FileField(required=False, allow_null=True, default=None,
                                    help_text=gettext_lazy("PDF, JPEG or PNG, up to 10 MB."))


class ExchangeRateSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m", read_only=True,
                                  help_text=gettext_lazy("YYYY-MM"))
    imported_by = _user()

    class Meta:
        model = ExchangeRate
        fields = ["month", "base", "currency", "rate", "imported_at", "imported_by"]
        read_only_fields = fields


class RatesUploadSerializer(StrictFieldsMixin, serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy(
        "CSV in UTF-8 with the header month,base,currency,rate."))


class ImportSummarySerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    months = serializers.ListField(child=serializers.CharField())
