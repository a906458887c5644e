"""The demo organisation's own regions, through `regions.services`: six groupings of the
kind international organisations use for their regional offices, covering every country
the demo's offices, programmes and caseloads name (`demo.world`) and their neighbours.
"""

from retorno.accounts.models import User
from retorno.regions.models import Region
from retorno.regions.services import create_region

_EU = ("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD "
       "POL PRT ROU SVK SVN ESP SWE")

# (code, name, countries)
REGIONS: tuple[tuple[str, str, str], ...] = (
    ("eea", "European Economic Area", f"{_EU} ISL LIE NOR"),
    ("mena", "Middle East and North Africa",
     "DZA BHR EGY IRQ JOR KWT LBN LBY MAR OMN PSE QAT SAU SDN SYR TUN ARE YEM"),
    ("wca", "West and Central Africa",
     "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SEN SLE TGO "
     "CMR CAF TCD COG COD GNQ GAB STP"),
    ("eha", "East and Horn of Africa", "BDI DJI ERI ETH KEN RWA SOM SSD TZA UGA"),
    ("see-eeca", "South-Eastern Europe, Eastern Europe and Central Asia",
     "ALB BIH MNE MKD SRB TUR ARM AZE BLR GEO KAZ KGZ MDA RUS TJK TKM UKR UZB"),
    ("asia-pacific", "Asia and the Pacific",
     "AFG BGD BTN IND IRN LKA MDV NPL PAK CHN MNG JPN KOR PRK KHM IDN LAO MYS MMR PHL "
     "SGP THA TLS VNM AUS NZL PNG FJI SLB VUT"),
)


def seed_regions(actor: User) -> list[Region]:
    """Create the regions that do not exist yet; `actor` holds region.manage (a
    programme manager)."""
    existing = set(Region.objects.values_list("code", flat=True))
    return [create_region(actor=actor, data={"code": code, "name": name,
                                             "countries": countries.split()})
            for code, name, countries in REGIONS if code not in existing]
