"""Made-up migrants and the families who return with them.

Shared by the demo seed (which passes them to the services) and the bulk seed (which
writes rows). Everything is drawn from a `random.Random` the caller seeds, so the same
seed gives the same people.
"""

import datetime
import random
from dataclasses import dataclass, field

from retorno.cases.models import Relationship, Vulnerability
from retorno.demo.names import POOLS, FamilyName, Name, Pool
from retorno.programmes.models import MigrantCategory

# Family size (principal included) -> weight. Mean about 1.6 people per case, as in
# AVRR statistics where most returnees travel alone.
FAMILY_SIZES = ((1, 70), (2, 12), (3, 8), (4, 6), (5, 4))
# Share of single adults who are men, per nationality (the rest are women).
MALE_SHARE = {"NGA": 0.55, "GEO": 0.55, "UKR": 0.45}
MALE_SHARE_DEFAULT = 0.8
# Cultures where a wife keeps her own family name.
WIFE_KEEPS_NAME = {"IRQ", "SYR", "AFG"}
# Nationalities among whom unaccompanied adolescents return (transit and Sahel routes).
UNACCOMPANIED_CHILDREN = {"AFG", "GMB", "SEN", "NGA"}
VULNERABLE_SHARE = 0.15


@dataclass
class PersonSpec:
    given_name: str
    family_name: str
    given_name_original: str
    family_name_original: str
    aliases: str
    sex: str
    date_of_birth: datetime.date | None
    date_of_birth_approximate: bool
    nationality: str
    languages: list[str]
    relationship: Relationship
    age: int
    vulnerabilities: list[str] = field(default_factory=list)
    category: str = ""

    def person_data(self) -> dict:
        """The fields `people.services.register_person` takes."""
        return {
            "given_name": self.given_name, "family_name": self.family_name,
            "given_name_original": self.given_name_original,
            "family_name_original": self.family_name_original, "aliases": self.aliases,
            "sex": self.sex, "date_of_birth": self.date_of_birth,
            "date_of_birth_approximate": self.date_of_birth_approximate,
            "nationality": self.nationality, "languages": list(self.languages),
        }

    def member_data(self) -> dict:
        return {"relationship": self.relationship, "category": self.category,
                "vulnerabilities": list(self.vulnerabilities)}


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _dob(rng: random.Random, pool: Pool, age: int,
         on: datetime.date) -> tuple[datetime.date | None, bool]:
    roll = rng.random()
    if roll < 0.03:
        return None, False  # not known at registration
    if roll < 0.03 + pool.approximate_dob:
        return datetime.date(on.year - age, 1, 1), True
    day = on - datetime.timedelta(days=int(age * 365.25) + rng.randrange(365))
    return day, False


def _aliases(pool: Pool, *latin: str) -> str:
    return ", ".join(pool.aliases[n] for n in latin if n in pool.aliases)


def _person(rng: random.Random, pool: Pool, nationality: str, sex: str, age: int,
            family: FamilyName | None, languages: list[str], relationship: Relationship,
            on: datetime.date) -> PersonSpec:
    given: Name = rng.choice(pool.male if sex == "M" else pool.female)
    surname = (family.male if sex == "M" else family.female) if family else Name("")
    dob, approximate = _dob(rng, pool, age, on)
    return PersonSpec(
        given_name=given.latin, family_name=surname.latin,
        given_name_original=given.original, family_name_original=surname.original,
        aliases=_aliases(pool, given.latin, surname.latin), sex=sex, date_of_birth=dob,
        date_of_birth_approximate=approximate, nationality=nationality,
        languages=languages, relationship=relationship, age=age,
    )


def _family_name(rng: random.Random, pool: Pool) -> FamilyName | None:
    if pool.no_family_name and rng.random() < pool.no_family_name:
        return None
    return rng.choice(pool.family)


def make_family(rng: random.Random, nationality: str, on: datetime.date,
                size: int | None = None) -> list[PersonSpec]:
    """A principal applicant and the relatives returning with them, aged as on `on`;
    `size` people, or a size drawn from FAMILY_SIZES.

    The principal comes first. Categories are left for the caller to set.
    """
    pool = POOLS[nationality]
    languages = list(_weighted(rng, pool.languages))
    if size is None:
        size = _weighted(rng, FAMILY_SIZES)
    surname = _family_name(rng, pool)

    if size == 1:
        if nationality in UNACCOMPANIED_CHILDREN and rng.random() < 0.03:
            return [_person(rng, pool, nationality, "M" if rng.random() < 0.9 else "F",
                            rng.randint(15, 17), surname, languages,
                            Relationship.PRINCIPAL, on)]
        sex = "M" if rng.random() < MALE_SHARE.get(nationality, MALE_SHARE_DEFAULT) else "F"
        age = min(75, int(rng.triangular(18, 65, 28)))
        return [_person(rng, pool, nationality, sex, age, surname, languages,
                        Relationship.PRINCIPAL, on)]

    single_parent = rng.random() < 0.2
    principal_sex = "F" if single_parent else ("M" if rng.random() < 0.85 else "F")
    principal_age = int(rng.triangular(22, 55, 32))
    members = [_person(rng, pool, nationality, principal_sex, principal_age, surname,
                       languages, Relationship.PRINCIPAL, on)]
    children_surname = surname
    if not single_parent:
        spouse_sex = "F" if principal_sex == "M" else "M"
        spouse_age = max(18, principal_age + rng.randint(-8, 4) * (1 if spouse_sex == "F" else -1))
        spouse_surname = surname
        if nationality in WIFE_KEEPS_NAME and spouse_sex == "F":
            spouse_surname = _family_name(rng, pool)
        elif nationality in WIFE_KEEPS_NAME:  # the principal is the wife
            spouse_surname = _family_name(rng, pool)
            children_surname = spouse_surname
        members.append(_person(rng, pool, nationality, spouse_sex, spouse_age, spouse_surname,
                               languages, Relationship.SPOUSE, on))
    n_children = size - len(members)
    with_parent = n_children >= 2 and rng.random() < 0.08
    if with_parent:
        n_children -= 1
    oldest_child = max(0, min(17, principal_age - 19))
    for _ in range(n_children):
        members.append(_person(rng, pool, nationality, rng.choice("MF"),
                               rng.randint(0, oldest_child), children_surname, languages,
                               Relationship.CHILD, on))
    if with_parent:
        members.append(_person(rng, pool, nationality, rng.choice("MF"),
                               min(90, principal_age + rng.randint(22, 32)),
                               _family_name(rng, pool), languages, Relationship.PARENT, on))
    return members


def set_categories_and_vulnerabilities(rng: random.Random, members: list[PersonSpec],
                                       category: str) -> None:
    """Give every member `category`, and flag vulnerabilities in about 15% of cases."""
    for m in members:
        m.category = category
    principal = members[0]
    if principal.age < 18:
        principal.vulnerabilities.append(Vulnerability.UNACCOMPANIED_CHILD)
    if rng.random() >= VULNERABLE_SHARE:
        return
    if category == MigrantCategory.TRAFFICKING_VICTIM:
        principal.vulnerabilities.append(Vulnerability.TRAFFICKING)
        return
    children = [m for m in members if m.relationship == Relationship.CHILD]
    adults = [m for m in members if m.age >= 18]
    options: list[tuple[PersonSpec, str]] = []
    if children and not any(m.relationship == Relationship.SPOUSE for m in members):
        options.append((principal, Vulnerability.SINGLE_PARENT))
    options += [(m, Vulnerability.ELDERLY) for m in members if m.age >= 60]
    options += [(m, Vulnerability.PREGNANT) for m in adults if m.sex == "F" and m.age < 42]
    options += [(rng.choice(members), Vulnerability.MEDICAL),
                (rng.choice(adults or members), Vulnerability.MENTAL_HEALTH),
                (rng.choice(members), Vulnerability.DISABILITY)]
    if principal.sex == "F":
        options.append((principal, Vulnerability.GBV))
    if principal.nationality in {"SYR", "IRQ", "AFG"}:
        options.append((principal, Vulnerability.TORTURE))
    member, code = rng.choice(options)
    if code not in member.vulnerabilities:
        member.vulnerabilities.append(code)
