"""Regions in the API. Input serializers validate only; the views hand `validated_data`
to regions.services, which checks the country codes and names every problem."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from retorno.lib.api_serializers import StrictFieldsMixin
from retorno.regions.models import Region


class RegionInputSerializer(StrictFieldsMixin, serializers.Serializer):
    """A region's name and countries, for creating it under its code or replacing them."""

    name = serializers.CharField(max_length=200)
    countries = serializers.ListField(
        child=serializers.CharField(max_length=3), allow_empty=False,
        help_text=gettext_lazy("ISO 3166-1 alpha-3 codes, e.g. [\"IRQ\", \"SYR\"]. A country "
                               "in another region is refused."))
    version = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text=gettext_lazy(
            "The version you read; refused with 409 if it is no longer the current one. "
            "Null or left out to create a region with a new code."))


class RegionSerializer(serializers.ModelSerializer):
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True,
                                              help_text=gettext_lazy("Username."))
    countries = serializers.ListField(child=serializers.CharField(), read_only=True,
                                      help_text=gettext_lazy("ISO 3166-1 alpha-3 codes, "
                                                             "sorted."))

    class Meta:
        model = Region
        fields = ["code", "name", "countries", "version", "updated_at", "updated_by"]
        read_only_fields = fields
