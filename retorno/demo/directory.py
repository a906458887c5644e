"""What the demo's origin offices work with besides cases: the finance team's monthly
exchange rates, the partner directory (organisations, data-sharing agreements, the
partner users) and the community projects. All of it through the services
(`finance.services`, `partners.services`, `reintegration.services`), with the demo's
clock set to when each thing would have happened:

- the exchange rates of each month (`rates.rates_csv`, EUR and GBP, the programmes'
  currencies, to the local currency of every country of origin) are loaded by the Berlin
  programme manager two days before the month starts, from the first month of the demo's
  history to the current one;
- each origin office keeps one or two partners, entered by its reintegration officer
  before the first case: a data-sharing agreement signed for two years and renewed before
  it runs out — except the Damascus legal aid clinic's, which expired a few weeks ago and
  is being renegotiated; the office's `<office>.partner` login works for its first
  partner (`link_partner_user`);
- two community projects per country of origin, planned, started and (when their end
  date has passed) completed on their dates; the cases linked to them are linked as they
  are played (`assistance`), and the numbers taking part are set once they all are.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from retorno.accounts.models import Role, User
from retorno.demo import rates
from retorno.demo.clock import Clock
from retorno.demo.world import OFFICES, PROGRAMMES, Base, staff_name, username
from retorno.partners.models import Partner
from retorno.reintegration.models import CommunityProject, ProjectStatus

# The local currency of each demo country of origin: grants are paid out in it.
LOCAL_CURRENCY = {"IRQ": "IQD", "SYR": "SYP", "AFG": "AFN", "NGA": "NGN", "GEO": "GEL",
                  "UKR": "UAH", "SEN": "XOF", "GMB": "GMD"}
# Calling codes, for the partners' phone numbers (E.164).
CALLING_CODE = {"IRQ": "964", "SYR": "963", "AFG": "93", "NGA": "234", "GEO": "995",
                "UKR": "380", "SEN": "221", "GMB": "220"}
AGREEMENT_YEARS = 2


@dataclass(frozen=True)
class PartnerSpec:
    office: str
    name: str
    services: tuple[str, ...]  # reintegration.ItemKind values
    areas: tuple[str, ...]  # ISO 3166-2 codes
    domain: str  # of the email address (reserved .example names: nobody receives mail)
    address: str
    expired: bool = False  # the agreement ran out and was not renewed


PARTNERS: tuple[PartnerSpec, ...] = (
    PartnerSpec("irq-baghdad", "Tigris Reintegration Services",
                ("business", "job_placement", "psychosocial", "housing"),
                ("IQ-BG", "IQ-BA", "IQ-NI"), "tigris-reintegration.example",
                "Karrada, Street 62, Baghdad"),
    PartnerSpec("irq-baghdad", "Baghdad Vocational Training Institute",
                ("vocational_training", "education"), ("IQ-BG",), "bvti.example",
                "Palestine Street, Baghdad"),
    PartnerSpec("syr-damascus", "Jasmine Community Support",
                ("business", "psychosocial", "medical", "housing", "in_kind"),
                ("SY-DI", "SY-RD", "SY-HI"), "jasmine-support.example",
                "Baghdad Street, Damascus"),
    PartnerSpec("syr-damascus", "Damascus Legal Aid Clinic", ("legal",), ("SY-DI",),
                "legal-aid-damascus.example", "Al-Hamra Street, Damascus", expired=True),
    PartnerSpec("afg-kabul", "Hindu Kush Livelihoods Organisation",
                ("business", "vocational_training", "job_placement", "psychosocial"),
                ("AF-KAB", "AF-HER", "AF-NAN", "AF-BAL"), "hindukush-livelihoods.example",
                "Karte Se, Kabul"),
    PartnerSpec("afg-kabul", "Kabul Family Health Centre", ("medical", "psychosocial"),
                ("AF-KAB",), "kabul-family-health.example", "Shahr-e Naw, Kabul"),
    PartnerSpec("nga-lagos", "Edo Rising Reintegration Network",
                ("business", "vocational_training", "psychosocial", "housing"),
                ("NG-ED", "NG-LA", "NG-DE"), "edo-rising.example",
                "Sapele Road, Benin City"),
    PartnerSpec("nga-lagos", "Lagos Skills Academy",
                ("vocational_training", "education", "job_placement"), ("NG-LA", "NG-OG"),
                "lagos-skills.example", "Herbert Macaulay Way, Yaba, Lagos"),
    PartnerSpec("geo-tbilisi", "Caucasus Return Support",
                ("business", "job_placement", "legal", "psychosocial"), (),
                "caucasus-return.example", "Rustaveli Avenue, Tbilisi"),
    PartnerSpec("geo-tbilisi", "Tbilisi Medical Rehabilitation Centre",
                ("medical", "psychosocial"), ("GE-TB",), "tmrc.example",
                "Vazha-Pshavela Avenue, Tbilisi"),
    PartnerSpec("ukr-kyiv", "Dnipro Reintegration Hub",
                ("business", "housing", "psychosocial", "legal"), ("UA-30", "UA-32", "UA-74"),
                "dnipro-hub.example", "Velyka Vasylkivska Street, Kyiv"),
    PartnerSpec("ukr-kyiv", "Kyiv Vocational Retraining Centre",
                ("vocational_training", "education"), ("UA-30",), "kvrc.example",
                "Peremohy Avenue, Kyiv"),
    PartnerSpec("sen-dakar", "Teranga Entrepreneurs Network",
                ("business", "vocational_training", "job_placement", "psychosocial"),
                ("SN-DK", "SN-TH", "SN-SL"), "teranga-entrepreneurs.example",
                "Avenue Cheikh Anta Diop, Dakar"),
    PartnerSpec("sen-dakar", "Dakar Psychosocial Support Centre", ("psychosocial", "medical"),
                ("SN-DK",), "dakar-psy.example", "Rue 10, Médina, Dakar"),
    PartnerSpec("gmb-banjul", "Gambia Youth Enterprise Centre",
                ("business", "vocational_training", "psychosocial", "in_kind"), (),
                "gyec.example", "Kairaba Avenue, Serrekunda"),
)


@dataclass(frozen=True)
class ProjectSpec:
    office: str
    name: str
    description: str
    subdivision: str
    place: str
    budget: str  # in the programme's currency
    partner: str
    starts: int  # days from today (negative: in the past)
    days: int  # how long it runs


PROJECTS: tuple[ProjectSpec, ...] = (
    ProjectSpec("irq-baghdad", "Mosul market stalls", "Rebuilding market stalls in the old "
                "city, run jointly by returnees and residents.", "IQ-NI", "Mosul", "60000",
                "Tigris Reintegration Services", -520, 420),
    ProjectSpec("irq-baghdad", "Basra fish farming cooperative", "Fish ponds and a cold "
                "store shared by returnee and local families.", "IQ-BA", "Abu al-Khaseeb",
                "45000", "Tigris Reintegration Services", -150, 540),
    ProjectSpec("syr-damascus", "Homs bakery cooperative", "A community bakery employing "
                "returnees and neighbours.", "SY-HI", "Homs", "30000",
                "Jasmine Community Support", -300, 480),
    ProjectSpec("syr-damascus", "Rural Damascus irrigation repair", "Repairing irrigation "
                "channels so that returning farmers can plant again.", "SY-RD", "Douma",
                "55000", "Jasmine Community Support", 25, 365),
    ProjectSpec("afg-kabul", "Herat carpet weaving cooperative", "Looms, wool and a shared "
                "sales outlet for returnee and host-community weavers.", "AF-HER", "Herat",
                "40000", "Hindu Kush Livelihoods Organisation", -610, 450),
    ProjectSpec("afg-kabul", "Nangarhar greenhouse project", "Greenhouses growing vegetables "
                "all year for the Jalalabad market.", "AF-NAN", "Jalalabad", "35000",
                "Hindu Kush Livelihoods Organisation", -90, 400),
    ProjectSpec("nga-lagos", "Benin City tailoring hub", "A shared workshop with sewing "
                "machines and training for returnees and local youth.", "NG-ED",
                "Benin City", "38000", "Edo Rising Reintegration Network", -480, 365),
    ProjectSpec("nga-lagos", "Lagos solar repair workshop", "Repairing and installing solar "
                "home systems; apprenticeships for returnees.", "NG-LA", "Lagos", "42000",
                "Lagos Skills Academy", -200, 500),
    ProjectSpec("geo-tbilisi", "Kutaisi hazelnut processing cooperative", "Drying and "
                "shelling equipment shared by returnee farmers and their neighbours.",
                "GE-IM", "Kutaisi", "50000", "Caucasus Return Support", -400, 360),
    ProjectSpec("geo-tbilisi", "Tbilisi community IT lab", "A computer room with courses "
                "for returnees and residents of the district.", "GE-TB", "Tbilisi",
                "25000", "Caucasus Return Support", -60, 300),
    ProjectSpec("ukr-kyiv", "Kyiv housing repair brigade", "Returnees trained as builders "
                "repair damaged homes in their neighbourhoods.", "UA-30", "Kyiv", "70000",
                "Dnipro Reintegration Hub", -330, 600),
    ProjectSpec("ukr-kyiv", "Chernihiv community kitchen", "A kitchen serving hot meals, "
                "staffed by returnees.", "UA-74", "Chernihiv", "28000",
                "Dnipro Reintegration Hub", 40, 365),
    ProjectSpec("sen-dakar", "Thiès poultry farming cooperative", "Poultry houses and feed "
                "stores run by returnees and village youth.", "SN-TH", "Thiès", "32000",
                "Teranga Entrepreneurs Network", -560, 420),
    ProjectSpec("sen-dakar", "Saint-Louis fishing equipment pool", "Boats, engines and "
                "nets shared by a fishing cooperative.", "SN-SL", "Saint-Louis", "48000",
                "Teranga Entrepreneurs Network", -120, 450),
    ProjectSpec("gmb-banjul", "Brikama horticulture garden", "A fenced, irrigated garden "
                "where returnees and women's groups grow vegetables.", "GM-W", "Brikama",
                "22000", "Gambia Youth Enterprise Centre", -450, 400),
    ProjectSpec("gmb-banjul", "Basse youth carpentry workshop", "Tools and training for a "
                "carpentry workshop of returnees and local youth.", "GM-U", "Basse",
                "18000", "Gambia Youth Enterprise Centre", -100, 365),
)


@dataclass
class Directory:
    """What the cases are played with: partners by office, each partner's demo login,
    the community projects by office."""

    partners: dict[str, list[Partner]] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)  # partner id -> its login
    projects: dict[str, list[CommunityProject]] = field(default_factory=dict)

    def user_of(self, partner: Partner) -> User | None:
        return self.users.get(partner.pk)

    def offering(self, office: str, service: str,
                 answering: bool = False) -> Partner | None:
        """The office's first partner that offers `service` (and, with `answering`, has
        a login to answer referrals with)."""
        return next((p for p in self.partners.get(office, [])
                     if service in p.services
                     and (not answering or p.pk in self.users)), None)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), datetime.UTC)


def _months(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def import_rates(base: Base, clock: Clock, start: datetime.date,
                 today: datetime.date) -> int:
    """The monthly exchange rates from the month of `start` to the current one, each
    month's loaded two days before it starts. Returns the number of months."""
    from retorno.finance.services import import_rates as load

    manager = base.user("deu-berlin", Role.PROGRAMME_MANAGER)
    months = _months(start, today)
    header, *lines = rates.rates_csv(today, months).splitlines()
    by_month: dict[str, list[str]] = {}
    for line in lines:
        by_month.setdefault(line[:7], []).append(line)
    for month, rows in sorted(by_month.items()):
        first = datetime.date(int(month[:4]), int(month[5:]), 1)
        clock.set(_at(first - datetime.timedelta(days=2), 10))
        load(actor=manager, csv_text="\n".join([header, *rows]) + "\n")
    return months


def _agreements(spec: PartnerSpec, start: datetime.date,
                today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """(signed on, valid until) of each agreement with the partner, oldest first."""
    signed = start - datetime.timedelta(days=30)
    if spec.expired:
        until = today - datetime.timedelta(days=40)
        return [(min(signed, until - datetime.timedelta(days=365)), until)]
    years = datetime.timedelta(days=365 * AGREEMENT_YEARS)
    periods = [(signed, signed + years)]
    while periods[-1][1] < today + datetime.timedelta(days=60):
        renewed = periods[-1][1] - datetime.timedelta(days=21)
        periods.append((renewed, renewed + years))
    return periods


def create_partners(base: Base, clock: Clock, start: datetime.date,
                    today: datetime.date) -> Directory:
    """Each origin office's partners, entered by its reintegration officer before the
    first case, their agreements recorded when signed, and the office's partner login
    linked to its first partner."""
    from retorno.partners.services import create_partner, link_partner_user, record_agreement

    directory = Directory()
    rng = random.Random("demo partners")
    for spec in PARTNERS:
        office = base.offices[spec.office]
        officer = base.user(spec.office, Role.REINTEGRATION_OFFICER)
        agreements = _agreements(spec, start, today)
        clock.set(_at(agreements[0][0] - datetime.timedelta(days=15), 9))
        given, family = staff_name(office.country, rng)
        partner = create_partner(actor=officer, office=office, data={
            "name": spec.name, "country": office.country, "areas": list(spec.areas),
            "services": list(spec.services), "contact_name": f"{given} {family}",
            "email": f"referrals@{spec.domain}",
            "phone": f"+{CALLING_CODE[office.country]}{rng.randrange(10**8, 10**9)}",
            "address": spec.address})
        kept = directory.partners.setdefault(spec.office, [])
        for number, (signed, until) in enumerate(agreements, 1):
            clock.set(_at(signed, 11))
            record_agreement(actor=officer, partner=partner, signed_on=signed,
                             valid_until=until,
                             reference=f"DSA-{office.country}-{len(kept) + 1}.{number}",
                             scope="Referrals of returnees who consented to sharing with "
                                   "the partner: the minimum each service needs.")
        if not kept:
            office_spec = next(o for o in OFFICES if o.code == spec.office)
            user = base.users[username(office_spec, Role.PARTNER)]
            clock.set(_at(start - datetime.timedelta(days=29), 10))
            link_partner_user(actor=officer, partner=partner, user=user)
            directory.users[partner.pk] = user
        kept.append(partner)
    return directory


def _programme_for(country: str) -> str:
    return next(p.code for p in PROGRAMMES if country in p.nationalities)


def create_projects(base: Base, directory: Directory, clock: Clock,
                    today: datetime.date) -> None:
    """Each project recorded a month before it starts (planned), started on its start
    date and completed on its end date, as far as those have come."""
    from retorno.reintegration.services import create_project, update_project

    for spec in PROJECTS:
        office = base.offices[spec.office]
        officer = base.user(spec.office, Role.REINTEGRATION_OFFICER)
        starts = today + datetime.timedelta(days=spec.starts)
        ends = starts + datetime.timedelta(days=spec.days)
        partner = next(p for p in directory.partners[spec.office] if p.name == spec.partner)
        clock.set(_at(min(starts - datetime.timedelta(days=30),
                          today - datetime.timedelta(days=10)), 10))
        project = create_project(actor=officer, data={
            "office": office, "programme": base.programmes[_programme_for(office.country)],
            "name": spec.name, "description": spec.description, "country": office.country,
            "subdivision": spec.subdivision, "place": spec.place,
            "budget": Decimal(spec.budget), "partner": partner,
            "status": ProjectStatus.PLANNED, "starts_on": starts, "ends_on": ends})
        for day, status in ((starts, ProjectStatus.ONGOING), (ends, ProjectStatus.COMPLETED)):
            if day <= today:
                clock.set(_at(day, 9))
                project = update_project(actor=officer, project=project,
                                         version=project.version, data={"status": status})
        directory.projects.setdefault(spec.office, []).append(project)


def count_participants(base: Base, directory: Directory, clock: Clock,
                       now: datetime.datetime) -> None:
    """Once every case is played: the returnees taking part in each project that has
    started (the members of its linked cases and some returned with other agencies) and
    the community members, set on its last day or today."""
    from retorno.reintegration.services import update_project

    today = timezone.localdate(now)
    rng = random.Random("demo projects")
    for office, projects in directory.projects.items():
        officer = base.user(office, Role.REINTEGRATION_OFFICER)
        for project in projects:
            project.refresh_from_db()
            if project.starts_on is None or project.starts_on > today:
                continue
            returnees = sum(case.members.count() for case in project.cases.all())
            if project.ends_on is not None and project.ends_on <= today:
                clock.set(_at(project.ends_on, 15))
            else:
                clock.set(now - datetime.timedelta(hours=2))
            update_project(actor=officer, project=project, version=project.version, data={
                "returnees_taking_part": returnees + rng.randint(2, 15),
                "community_members_taking_part": rng.randint(20, 150)})
