"""Programmes, their assistance packages and finance figures in the API. Input serializers
validate only; the views hand `validated_data` to programmes.services."""

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.cases.models import Vulnerability
from retorno.finance.figures import Figures
from retorno.finance.models import Method
from retorno.lib.api_serializers import EnumField, StrictFieldsMixin
from retorno.lib.money import quantize
from retorno.programmes import policy
from retorno.programmes.models import (
    Basis,
    ComponentKind,
    MigrantCategory,
    Modality,
    PackageComponent,
    Programme,
)

_AMOUNT_HELP = gettext_lazy("A decimal number as a string, in the programme's currency.")


class ComponentSerializer(serializers.ModelSerializer):
    kind = EnumField(ComponentKind)
    basis = EnumField(Basis)
    vulnerability = EnumField(Vulnerability, allow_null=True, help_text=gettext_lazy(
        "The flag a top-up is paid for; null for other components."))
    modality = EnumField(Modality)

    class Meta:
        model = PackageComponent
        fields = ["kind", "basis", "vulnerability", "amount", "modality",
                  "before_departure_percent", "after_arrival_months"]
        read_only_fields = fields


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["code", "name", "donor", "start_date", "end_date", "currency", "budget",
                  "max_cases", "version"]
        read_only_fields = fields


class ProgrammeDetailSerializer(serializers.ModelSerializer):
    eligible_categories = serializers.ListField(
        child=EnumField(MigrantCategory), read_only=True)
    package = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["code", "name", "donor", "host_countries", "eligible_nationalities",
                  "eligible_categories", "start_date", "end_date", "min_age", "max_age",
                  "applications_open", "applications_close", "max_cases", "currency",
                  "budget", "cost_per_returnee", "approval_threshold", "package", "version"]
        read_only_fields = fields

    @extend_schema_field(ComponentSerializer(many=True))
    def get_package(self, programme: Programme) -> list[dict[str, Any]]:
        return ComponentSerializer(policy.components(programme), many=True).data


class PackageSerializer(serializers.ModelSerializer):
    components = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["code", "currency", "budget", "max_cases", "approval_threshold",
                  "components", "version"]
        read_only_fields = fields

    @extend_schema_field(ComponentSerializer(many=True))
    def get_components(self, programme: Programme) -> list[dict[str, Any]]:
        return ComponentSerializer(policy.components(programme), many=True).data


class ComponentInputSerializer(StrictFieldsMixin, serializers.Serializer):
    kind = EnumField(ComponentKind)
    basis = EnumField(Basis)
    vulnerability = serializers.CharField(
        max_length=30, required=False, allow_blank=True, allow_null=True,
        help_text=gettext_lazy("For a top-up, the vulnerability flag it is paid for (a code "
                               "of the Vulnerability list); empty or left out otherwise."))
    amount = serializers.DecimalField(max_digits=14, decimal_places=3, coerce_to_string=True,
                                      help_text=_AMOUNT_HELP)
    modality = EnumField(Modality, required=False,
                         default=Modality.CASH)
    before_departure_percent = serializers.IntegerField(
        required=False, default=0, help_text=gettext_lazy(
            "Share paid before departure, 0 to 100; the rest is paid after arrival."))
    after_arrival_months = serializers.IntegerField(
        required=False, default=0, help_text=gettext_lazy(
            "Months after arrival the rest is paid (0: on arrival)."))


class PackageInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """The whole package, replacing the current one; the programme's budget, currency,
    quota and approval threshold when given (left out: unchanged)."""

    version = serializers.IntegerField(min_value=1, help_text=gettext_lazy(
        "The programme's version you read; refused with 409 if it is no longer the "
        "current one."))
    currency = serializers.CharField(max_length=3, required=False, allow_blank=True,
                                     help_text=gettext_lazy("ISO 4217 code, e.g. EUR."))
    budget = serializers.DecimalField(max_digits=16, decimal_places=3, required=False,
                                      allow_null=True, help_text=_AMOUNT_HELP)
    max_cases = serializers.IntegerField(min_value=0, required=False, allow_null=True,
                                         help_text=gettext_lazy(
                                             "The quota of approved cases; null: none."))
    approval_threshold = serializers.DecimalField(
        max_digits=16, decimal_places=3, required=False, allow_null=True,
        help_text=gettext_lazy("A disbursement above this amount waits for a second "
                               "approval; null: every disbursement does."))
    components = ComponentInputSerializer(many=True, allow_empty=True)

    def fields_data(self) -> dict[str, Any]:
        data = self.validated_data
        return {name: data[name] for name in ("currency", "budget", "max_cases",
                                              "approval_threshold") if name in data}

    def components_data(self) -> list[dict[str, Any]]:
        return [{**row, "vulnerability": row.get("vulnerability") or ""}
                for row in self.validated_data["components"]]


# ---- finance figures ---------------------------------------------------------------

class KindAmountSerializer(serializers.Serializer):
    kind = EnumField(ComponentKind)
    amount = serializers.CharField(help_text=_AMOUNT_HELP)


class MethodAmountSerializer(serializers.Serializer):
    method = EnumField(Method)
    amount = serializers.CharField(help_text=_AMOUNT_HELP)


class MonthAmountSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=gettext_lazy("YYYY-MM, the month paid in."))
    amount = serializers.CharField(help_text=_AMOUNT_HELP)


class FiguresSerializer(serializers.Serializer):
    """A programme's finance figures, amounts in its currency as strings with the
    currency's minor units; null where there is nothing to show (no budget, no quota,
    nobody departed yet)."""

    code = serializers.CharField()
    currency = serializers.CharField()
    budget = serializers.CharField(allow_null=True, help_text=_AMOUNT_HELP)
    committed = serializers.CharField(help_text=gettext_lazy(
        "What approvals committed (each case's commitment, set at approval), less the "
        "released ones."))
    remaining = serializers.CharField(allow_null=True, help_text=gettext_lazy(
        "Budget less committed; negative when over budget; null without a budget."))
    over_budget = serializers.BooleanField()
    spent = serializers.CharField(help_text=gettext_lazy("Paid disbursements."))
    awaiting = serializers.CharField(help_text=gettext_lazy(
        "Disbursements awaiting approval or approved, not yet paid."))
    approved_cases = serializers.IntegerField()
    max_cases = serializers.IntegerField(allow_null=True)
    returnees_assisted = serializers.IntegerField(help_text=gettext_lazy(
        "Members of the programme's cases that departed."))
    cost_per_returnee = serializers.CharField(allow_null=True, help_text=gettext_lazy(
        "Spent ÷ returnees assisted; null when nobody has departed."))
    spent_by_kind = KindAmountSerializer(many=True)
    spent_by_method = MethodAmountSerializer(many=True)
    spent_by_month = MonthAmountSerializer(many=True)


def figures_data(figure: Figures) -> dict[str, Any]:
    """The figures as FiguresSerializer shows them."""
    currency = figure.currency

    def amount(value: Decimal | None) -> str | None:
        if value is None:
            return None
        return str(quantize(value, currency)) if currency else str(value)

    return {
        "code": figure.programme.code, "currency": currency,
        "budget": amount(figure.budget), "committed": amount(figure.committed),
        "remaining": amount(figure.remaining), "over_budget": figure.over_budget,
        "spent": amount(figure.spent), "awaiting": amount(figure.awaiting),
        "approved_cases": figure.approved_cases, "max_cases": figure.max_cases,
        "returnees_assisted": figure.returnees_assisted,
        "cost_per_returnee": amount(figure.cost_per_returnee),
        "spent_by_kind": [{"kind": kind, "amount": amount(figure.spent_by_kind.get(
            kind, Decimal(0)))} for kind in ComponentKind.values],
        "spent_by_method": [{"method": method, "amount": amount(figure.spent_by_method.get(
            method, Decimal(0)))} for method in Method.values],
        "spent_by_month": [{"month": month.strftime("%Y-%m"), "amount": amount(total)}
                           for month, total in figure.by_month()],
    }
