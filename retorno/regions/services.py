"""Creating, changing and deleting the organisation's regions. The only way their rows
are written.

Each function checks `regions.policy.can_manage`, validates (every problem at once, each
named: an unknown country code, a country already in another region and which one),
writes the region and its `RegionCountry` rows, and records audit event 370 (no office,
no case) in one transaction. Refusals are `retorno.lib.errors.ServiceError`s with
translated messages.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.lib.codes import country_name, validate_country
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate, validate_together
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.regions import policy
from retorno.regions.models import Region, RegionCountry

FIELDS = ["code", "name", "countries"]
EDITABLE = ["name", "countries"]  # the code is permanent: statistics and the API name it


def require_manage(actor: User) -> None:
    if not policy.can_manage(actor):
        raise NotAllowed(_("Only programme managers may change the regions."))


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, field_errors={field: [message]})


def _countries(value: Any) -> list[str]:
    """The codes, upper-cased, without repeats, sorted; every unknown one named."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    if not isinstance(value, list | tuple):
        raise _invalid("countries", _("Give a list of ISO 3166 country codes."))
    codes = sorted({str(code).strip().upper() for code in value if str(code).strip()})
    unknown = []
    for code in codes:
        try:
            validate_country(code)
        except ValidationError:
            unknown.append(code)
    if unknown:
        raise _invalid("countries", _(
            "Unknown country codes: %(codes)s. Use ISO 3166-1 alpha-3 codes, such as IRQ "
            "for Iraq.") % {"codes": ", ".join(unknown)})
    if not codes:
        raise _invalid("countries", _("Choose at least one country."))
    return codes


def _not_elsewhere(codes: list[str], region: Region) -> None:
    """Refuse the countries that are already in another region, naming it."""
    taken = (RegionCountry.objects.filter(country__in=codes).exclude(region_id=region.pk)
             .select_related("region").order_by("country"))
    messages = [_("%(country)s (%(code)s) is already in the region “%(region)s”: a country "
                  "belongs to one region at most.")
                % {"country": country_name(m.country), "code": m.country,
                   "region": m.region.name} for m in taken]
    if messages:
        raise Invalid(*messages, field_errors={"countries": messages})


def _unique(region: Region) -> None:
    others = Region.objects.exclude(pk=region.pk)
    if region.code and others.filter(code=region.code).exists():
        raise _invalid("code", _("There is already a region with the code “%(code)s”.")
                       % {"code": region.code})
    if region.name and others.filter(name__iexact=region.name).exists():
        raise _invalid("name", _("There is already a region named “%(name)s”.")
                       % {"name": region.name})


def _checked(region: Region, countries: Any) -> None:
    """Set `region.countries` from `countries` if every check passes; else one Invalid
    listing every problem."""
    codes, *_rest = validate_together(
        lambda: _countries(countries),
        lambda: validate(region, exclude=["countries", "updated_by"]),
        lambda: _unique(region))
    _not_elsewhere(codes, region)
    region.countries = codes


def _write_countries(region: Region) -> None:
    RegionCountry.objects.filter(region=region).exclude(country__in=region.countries).delete()
    have = set(RegionCountry.objects.filter(region=region).values_list("country", flat=True))
    try:
        with transaction.atomic():  # another region taking a country at the same moment
            RegionCountry.objects.bulk_create(
                RegionCountry(region=region, country=code)
                for code in region.countries if code not in have)
    except IntegrityError:
        raise Invalid(_("Someone else has just put one of these countries in another "
                        "region. Nothing was saved: reload the page and check the "
                        "regions.")) from None


def create_region(*, actor: User, data: dict[str, Any]) -> Region:
    """A new region from `data` (code, name, countries). Audit event 370."""
    require_manage(actor)
    refuse_unknown_fields(data, FIELDS)
    region = Region(code=(data.get("code") or "").strip().lower(),
                    name=(data.get("name") or "").strip(), updated_by=actor)
    with transaction.atomic():
        _checked(region, data.get("countries") or [])
        try:
            with transaction.atomic():
                region.save()
        except IntegrityError:  # created by someone else since _unique looked
            raise _invalid("code", _("There is already a region with the code "
                                     "“%(code)s”.") % {"code": region.code}) from None
        _write_countries(region)
        audit.record(AuditType.REGION_CHANGED, region, actor=actor, office_id=None,
                     action="created", new=audit.snapshot(region, FIELDS))
    return region


def update_region(*, actor: User, region: Region, data: dict[str, Any],
                  version: int) -> Region:
    """Change the region's name and countries (those given in `data`) if nobody changed
    it since `version`; else StaleVersion. Audit event 370 with the old and new values;
    nothing is written when nothing changes."""
    require_manage(actor)
    refuse_unknown_fields(data, EDITABLE)
    old = audit.snapshot(region, EDITABLE)
    if "name" in data:
        region.name = (data["name"] or "").strip()
    with transaction.atomic():
        _checked(region, data.get("countries", region.countries))
        before, after = audit.diff(old, audit.snapshot(region, EDITABLE))
        if not after:
            if version != region.version:
                save_versioned(region, version, [])  # raises StaleVersion
            return region
        region.updated_by = actor
        save_versioned(region, version, ["name", "countries", "updated_by"])
        _write_countries(region)
        audit.record(AuditType.REGION_CHANGED, region, actor=actor, office_id=None,
                     action="changed", code=region.code, old=before, new=after)
    return region


def delete_region(*, actor: User, region: Region, version: int) -> None:
    """Delete the region if nobody changed it since `version`; else StaleVersion. Its
    countries are then in no organisation region. Audit event 370 with what it held."""
    require_manage(actor)
    with transaction.atomic():
        current = Region.objects.select_for_update().filter(pk=region.pk).first()
        if current is None or current.version != version:
            raise StaleVersion(_(
                "Someone else changed or deleted this region after you opened it. Nothing "
                "was deleted: reload the page to see the current version."))
        audit.record(AuditType.REGION_CHANGED, current, actor=actor, office_id=None,
                     action="deleted", old=audit.snapshot(current, FIELDS))
        current.delete()
