"""The demo organisation: offices, one login per role per office, programmes.

Everything is created through the accounts and programmes services.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from retorno.accounts.models import Membership, Office, OfficeKind, Role, User
from retorno.accounts.services import create_office, create_user, grant_role
from retorno.demo.names import POOLS, STAFF, STAFF_FALLBACK
from retorno.partners.models import PartnerUser
from retorno.programmes.models import MigrantCategory, Programme
from retorno.programmes.services import create_programme

# One password for every demo login; it passes the password rules (printed by seed_demo).
DEMO_PASSWORD = "Retorno-demo-2026"  # noqa: S105 - published demo password, not a secret


@dataclass(frozen=True)
class OfficeSpec:
    code: str
    name: str
    country: str
    kind: OfficeKind
    login: str  # username prefix: berlin.caseworker


OFFICES: tuple[OfficeSpec, ...] = (
    # Host and transit offices: where migrants are registered and cases opened.
    OfficeSpec("deu-berlin", "Berlin", "DEU", OfficeKind.HOST, "berlin"),
    OfficeSpec("nld-the-hague", "The Hague", "NLD", OfficeKind.HOST, "hague"),
    OfficeSpec("grc-athens", "Athens", "GRC", OfficeKind.HOST, "athens"),
    OfficeSpec("mar-rabat", "Rabat", "MAR", OfficeKind.HOST, "rabat"),
    OfficeSpec("tur-istanbul", "Istanbul", "TUR", OfficeKind.TRANSIT, "istanbul"),
    OfficeSpec("ner-niamey", "Niamey", "NER", OfficeKind.TRANSIT, "niamey"),
    # Origin offices: receive returnees and support their reintegration.
    OfficeSpec("irq-baghdad", "Baghdad", "IRQ", OfficeKind.ORIGIN, "baghdad"),
    OfficeSpec("syr-damascus", "Damascus", "SYR", OfficeKind.ORIGIN, "damascus"),
    OfficeSpec("afg-kabul", "Kabul", "AFG", OfficeKind.ORIGIN, "kabul"),
    OfficeSpec("nga-lagos", "Lagos", "NGA", OfficeKind.ORIGIN, "lagos"),
    OfficeSpec("geo-tbilisi", "Tbilisi", "GEO", OfficeKind.ORIGIN, "tbilisi"),
    OfficeSpec("ukr-kyiv", "Kyiv", "UKR", OfficeKind.ORIGIN, "kyiv"),
    OfficeSpec("sen-dakar", "Dakar", "SEN", OfficeKind.ORIGIN, "dakar"),
    OfficeSpec("gmb-banjul", "Banjul", "GMB", OfficeKind.ORIGIN, "banjul"),
)
MARKER_OFFICE = "deu-berlin"  # if it exists, the demo base exists

# Username suffix per role: berlin.caseworker, kabul.reintegration...
ROLE_LOGINS: dict[Role, str] = {
    Role.CASEWORKER: "caseworker",
    Role.SUPERVISOR: "supervisor",
    Role.MEDICAL_OFFICER: "medical",
    Role.MOVEMENT_OFFICER: "movement",
    Role.REINTEGRATION_OFFICER: "reintegration",
    Role.ME_OFFICER: "monitoring",
    Role.PROGRAMME_MANAGER: "programme",
    Role.DP_FOCAL_POINT: "dataprotection",
    Role.PARTNER: "partner",
    Role.STATISTICS_VIEWER: "statistics",
}

# Who in each office also holds the designation of complaints focal point (sexual
# exploitation and abuse, fraud): the data protection focal point (berlin.dataprotection).
FOCAL_POINT_LOGIN = Role.DP_FOCAL_POINT

_C = MigrantCategory


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    donor: str
    host_countries: tuple[str, ...]
    nationalities: tuple[str, ...]
    categories: tuple[MigrantCategory, ...]
    start_date: datetime.date
    # (currency, total budget, planned cost per returnee), or None for no budget limit.
    budget: tuple[str, str, str] | None = None


PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(
        "avrr-eu", "Assisted voluntary return and reintegration from the EU",
        "European Union (AMIF)", ("DEU", "NLD", "GRC"),
        ("IRQ", "SYR", "AFG", "NGA", "GEO", "UKR"),
        (_C.ASYLUM_REJECTED, _C.ASYLUM_WITHDRAWN, _C.IRREGULAR, _C.TRAFFICKING_VICTIM),
        datetime.date(2016, 1, 1)),
    ProgrammeSpec(
        "avrr-sahel", "Protection and return of stranded migrants in North Africa and the Sahel",
        "EU Trust Fund for Africa", ("MAR", "NER"), ("NGA", "SEN", "GMB"),
        (_C.STRANDED, _C.IRREGULAR, _C.TRAFFICKING_VICTIM),
        datetime.date(2016, 6, 1)),
    ProgrammeSpec(
        "avrr-turkiye", "Voluntary return from Türkiye", "United Kingdom (FCDO)",
        ("TUR",), ("AFG", "IRQ", "SYR"),
        (_C.IRREGULAR, _C.STRANDED, _C.ASYLUM_REJECTED),
        datetime.date(2016, 3, 1), budget=("GBP", "12000000", "1500")),
)

# Who each host or transit office serves: nationality -> weight.
CASELOAD: dict[str, dict[str, int]] = {
    "deu-berlin": {"IRQ": 25, "AFG": 15, "GEO": 25, "UKR": 10, "NGA": 15, "SYR": 10},
    "nld-the-hague": {"IRQ": 30, "GEO": 30, "NGA": 20, "AFG": 10, "SYR": 10},
    "grc-athens": {"IRQ": 35, "AFG": 30, "SYR": 20, "GEO": 15},
    "mar-rabat": {"NGA": 35, "SEN": 40, "GMB": 25},
    "tur-istanbul": {"AFG": 55, "IRQ": 30, "SYR": 15},
    "ner-niamey": {"NGA": 30, "SEN": 25, "GMB": 45},
}
# How the demo cases spread over the opening offices.
OFFICE_WEIGHTS: dict[str, int] = {
    "deu-berlin": 24, "nld-the-hague": 17, "grc-athens": 15, "mar-rabat": 13,
    "tur-istanbul": 14, "ner-niamey": 17,
}


def origin_office_code(country: str) -> str:
    return next(o.code for o in OFFICES if o.kind == OfficeKind.ORIGIN and o.country == country)


def username(spec: OfficeSpec, role: Role) -> str:
    return f"{spec.login}.{ROLE_LOGINS[role]}"


def staff_name(country: str, rng: random.Random) -> tuple[str, str]:
    """A plausible name for a member of staff of an office in `country`."""
    if country in POOLS:
        pool = POOLS[country]
        given = rng.choice(pool.male + pool.female).latin
        family = rng.choice(pool.family).male.latin
        return given, family
    given_names, family_names = STAFF.get(country, STAFF[STAFF_FALLBACK])
    return rng.choice(given_names), rng.choice(family_names)


@dataclass
class Base:
    offices: dict[str, Office]  # by code
    users: dict[str, User]  # by username
    programmes: dict[str, Programme]  # by code

    def user(self, office_code: str, role: Role) -> User:
        spec = next(o for o in OFFICES if o.code == office_code)
        return self.users[username(spec, role)]


def base_exists() -> bool:
    return Office.objects.filter(code=MARKER_OFFICE).exists()


def create_base(rng: random.Random) -> Base:
    """Offices, one login per role per office (all with DEMO_PASSWORD), programmes."""
    offices: dict[str, Office] = {}
    users: dict[str, User] = {}
    for spec in OFFICES:
        office = create_office(code=spec.code, name=spec.name, country=spec.country,
                               kind=spec.kind)
        offices[spec.code] = office
        for role in ROLE_LOGINS:
            first, last = staff_name(spec.country, rng)
            name = username(spec, role)
            user = create_user(username=name, password=DEMO_PASSWORD, first_name=first,
                               last_name=last, email=f"{name}@demo.retorno.invalid")
            grant_role(user=user, office=office, role=role)
            users[name] = user
        # A second membership, beside their own role: reads the office's sensitive
        # complaints (`feedback.policy`).
        grant_role(user=users[username(spec, FOCAL_POINT_LOGIN)], office=office,
                   role=Role.COMPLAINTS_FOCAL_POINT)
    programmes = {
        p.code: create_programme(
            code=p.code, name=p.name, donor=p.donor, host_countries=list(p.host_countries),
            eligible_nationalities=list(p.nationalities),
            eligible_categories=[c.value for c in p.categories], start_date=p.start_date,
            end_date=None,
            **({"currency": p.budget[0], "budget": Decimal(p.budget[1]),
                "cost_per_returnee": Decimal(p.budget[2])} if p.budget else {}))
        for p in PROGRAMMES
    }
    _give_packages(programmes, users[username(OFFICES[0], Role.PROGRAMME_MANAGER)])
    return Base(offices, users, programmes)


@dataclass(frozen=True)
class PackageSpec:
    """A demo programme's assistance package, set through the programmes service."""

    currency: str
    adult: str  # reinstallation grant per adult
    child: str  # ... and per child
    budget: str  # reintegration budget per person
    top_up: str  # top-up per vulnerable person (medical, trafficking, unaccompanied child)
    threshold: str  # a disbursement above it waits for a second person's approval
    reinstallation_before: int  # % of the reinstallation grant paid before departure
    top_up_months: int  # the top-ups become payable this many months after arrival


PACKAGES: dict[str, PackageSpec] = {
    "avrr-eu": PackageSpec("EUR", "400", "200", "1500", "500", threshold="500",
                           reinstallation_before=50, top_up_months=3),
    "avrr-sahel": PackageSpec("EUR", "150", "75", "1000", "300", threshold="300",
                              reinstallation_before=0, top_up_months=0),
    "avrr-turkiye": PackageSpec("GBP", "300", "150", "1200", "400", threshold="400",
                                reinstallation_before=40, top_up_months=6),
}


def _give_packages(programmes: dict[str, Programme], manager: User) -> None:
    from retorno.programmes.services import set_package

    for code, spec in PACKAGES.items():
        programme = programmes[code]
        before = {"before_departure_percent": spec.reinstallation_before}
        components = [
            {"kind": "reinstallation", "basis": "per_adult", "amount": Decimal(spec.adult),
             **before},
            {"kind": "reinstallation", "basis": "per_child", "amount": Decimal(spec.child),
             **before},
            {"kind": "reintegration", "basis": "per_person", "amount": Decimal(spec.budget)},
            *({"kind": "top_up", "basis": "per_person", "vulnerability": flag,
               "amount": Decimal(spec.top_up), "after_arrival_months": spec.top_up_months}
              for flag in ("medical", "trafficking", "unaccompanied_child"))]
        fields: dict[str, object] = {"approval_threshold": Decimal(spec.threshold)}
        if not programme.currency:
            fields["currency"] = spec.currency
        set_package(actor=manager, programme=programme, version=programme.version,
                    fields=fields, components=components)


def load_base() -> Base:
    offices = {o.code: o for o in Office.objects.filter(code__in=[s.code for s in OFFICES])}
    names = [username(s, r) for s in OFFICES for r in ROLE_LOGINS]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    programmes = {p.code: p for p in
                  Programme.objects.filter(code__in=[p.code for p in PROGRAMMES])}
    return Base(offices, users, programmes)


def logins() -> list[tuple[str, str, str]]:
    """(username, role, office) of every demo login, in office then role order; a
    designation held beside the role (complaints focal point) follows the role."""
    memberships: dict[tuple[str, str], Membership] = {
        (m.user.username, m.role): m for m in Membership.objects.select_related("user", "office")
        .filter(office__code__in=[s.code for s in OFFICES])
    }
    # A partner user's organisation, next to the role.
    organisations = dict(PartnerUser.objects.filter(user__in=[
        m.user for m in memberships.values() if m.role == Role.PARTNER])
        .values_list("user__username", "partner__name"))
    rows = []
    for spec in OFFICES:
        for role in ROLE_LOGINS:
            name = username(spec, role)
            m = memberships.get((name, role))
            if m is not None:
                label = str(m.get_role_display())
                if name in organisations:
                    label = f"{label} ({organisations[name]})"
                designated = memberships.get((name, Role.COMPLAINTS_FOCAL_POINT))
                if designated is not None and designated.office_id == m.office_id:
                    label = f"{label} + complaints focal point (SEA, fraud)"
                rows.append((name, label, m.office.name))
    return rows
