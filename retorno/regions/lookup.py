"""Reading the organisation's regions, for statistics: which region a country is in, and
which countries a region holds. One small query per call (there are a handful of
regions), so every server and every request sees the regions as they are now.
"""

from retorno.regions.models import Region


def organisation_region_of() -> dict[str, Region]:
    """Every country that is in an organisation region (alpha-3) → its region. A country
    missing from the dict is in none."""
    return {code: region for region in Region.objects.order_by("name")
            for code in region.countries}


def countries_in(code: str) -> frozenset[str]:
    """The alpha-3 codes of the region's countries. LookupError when no region has this
    code (it may have been deleted)."""
    countries = Region.objects.filter(code=code).values_list("countries", flat=True).first()
    if countries is None:
        raise LookupError(f"no organisation region with the code {code!r}")
    return frozenset(countries)


def regions() -> list[Region]:
    """Every organisation region, by name: the choices of a breakdown by region."""
    return list(Region.objects.order_by("name", "code"))
