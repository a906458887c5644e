import re
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from retorno.accounts.models import Membership, Office, Role, User
from retorno.cases.models import (
    OPEN,
    Case,
    CaseMember,
    ReferenceCounter,
    Relationship,
    Status,
    TimelineEntry,
    TimelineKind,
)
from retorno.cases.policy import access_case, visible_cases
from retorno.cases.services import register_and_open_case
from retorno.demo import world
from retorno.people.models import Person
from retorno.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
GEORGIAN = re.compile(r"[\u10A0-\u10FF]")


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Office, User, Membership, Person, Case, CaseMember, TimelineEntry,
                          AuditEvent)}


def test_it_seeds_cases_at_every_stage_with_names_in_their_own_scripts():
    seed(cases=40)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Status)  # the first cases cover every status
    originals = list(Person.objects.values_list("given_name_original", flat=True))
    assert any(ARABIC.search(n) for n in originals)
    assert any(CYRILLIC.search(n) for n in originals)
    assert any(GEORGIAN.search(n) for n in originals)
    assert Person.objects.filter(nationality="NGA", given_name_original="").exists()
    assert Person.objects.exclude(search_text="").count() == Person.objects.count()


def test_it_moves_cases_through_the_services_with_the_right_people():
    seed(cases=40)
    for case in Case.objects.select_related("host_office", "origin_office", "assignee"):
        assert case.origin_office.country == case.destination_country
        assert case.members.filter(relationship=Relationship.PRINCIPAL).count() == 1
        transitions = list(case.timeline.filter(kind=TimelineKind.TRANSITION).order_by("at"))
        # The services wrote one audit event per transition and one per member added.
        assert AuditEvent.objects.filter(case=case, event_type=205).count() == len(transitions)
        assert case.timeline.filter(kind=TimelineKind.OPENED).count() == 1
        if transitions:
            assert transitions[-1].to_status == case.status
            assert case.status_changed_at == transitions[-1].at
        for entry in transitions:
            if entry.to_status == Status.APPROVED:
                assert entry.actor.username.endswith(".supervisor")
                assert entry.actor != case.assignee
            if entry.to_status in (Status.ARRIVED, Status.REINTEGRATION):
                assert entry.actor.memberships.get().office == case.origin_office
            if entry.to_status == Status.CLOSED:
                assert entry.actor.username == (
                    f"{_login(case.origin_office)}.supervisor")
            if entry.to_status in (Status.WITHDRAWN, Status.REJECTED, Status.ON_HOLD,
                                   Status.REFERRED_ALTERNATIVE, Status.CANCELLED):
                assert entry.reason


def _login(office: Office) -> str:
    return next(o.login for o in world.OFFICES if o.code == office.code)


def test_it_is_idempotent_and_always_prints_the_logins():
    first = seed(cases=20)
    before = counts()
    second = seed(cases=20)
    assert counts() == before
    assert "already present" in second
    for output in (first, second):
        assert re.search(r"berlin\.caseworker\s+Return counsellor / caseworker\s+Berlin\s+"
                         + re.escape(world.DEMO_PASSWORD), output)
        assert "kabul.reintegration" in output


def test_every_office_has_a_login_per_role_with_the_demo_password():
    seed(cases=0)
    for spec in world.OFFICES:
        roles = set(Membership.objects.filter(office__code=spec.code)
                    .values_list("role", flat=True))
        assert roles == set(Role)
    assert authenticate(username="berlin.caseworker", password=world.DEMO_PASSWORD)
    assert authenticate(username="kabul.supervisor", password=world.DEMO_PASSWORD)


def test_bulk_data_reaches_the_number_of_people_and_reads_like_real_data():
    seed(cases=20, people=2000)
    assert Person.objects.count() == 2000
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    highest: dict[tuple[str, int], int] = defaultdict(int)
    for reference in references:
        country, year, number = reference.split("-")
        highest[country, int(year)] = max(highest[country, int(year)], int(number))
    assert dict(highest) == {(c.country, c.year): c.last for c in ReferenceCounter.objects.all()}
    # Derived fields as the services would have written them.
    for person in Person.objects.order_by("-id")[:200]:
        stored = person.search_text
        person.refresh_search_text()
        assert stored == person.search_text
    assert not Case.objects.exclude(version=1).filter(created_by__username__contains=".cw")
    assert not Case.objects.filter(status__in=[Status.READY_TO_TRAVEL, Status.DEPARTED],
                                   handed_over_at__isnull=True)
    assert set(Case.objects.values_list("status", flat=True)) >= {
        Status.CLOSED, Status.MONITORING, Status.WITHDRAWN, Status.REJECTED}
    # The demo caseworker sees bulk cases through the policy and can open one.
    caseworker = User.objects.get(username="berlin.caseworker")
    visible = visible_cases(caseworker)
    bulk_case = visible.filter(created_by__username__startswith="berlin.cw").first()
    assert bulk_case is not None
    assert access_case(caseworker, bulk_case.reference).members.count() >= 1
    assert 0 < visible.filter(assignee=caseworker, status__in=OPEN).count() <= 50
    # ...and the pages show it like any other case.
    client = Client()
    client.force_login(caseworker)
    page = client.get(reverse("cases:detail", args=[bulk_case.reference]))
    assert page.status_code == 200
    principal = bulk_case.members.get(relationship=Relationship.PRINCIPAL).person
    assert principal.given_name in page.content.decode()
    found = client.get(reverse("cases:search"), {"q": principal.search_text.split()[0]})
    assert found.status_code == 200


def test_bulk_data_is_topped_up_only_to_the_number_asked_and_services_still_work():
    seed(cases=10, people=1500)
    assert "no synthetic data added" in seed(cases=10, people=1500)
    assert Person.objects.count() == 1500
    seed(cases=10, people=1800)
    assert Person.objects.count() == 1800
    # A case opened through the services afterwards gets the next free reference.
    office = Office.objects.get(code="deu-berlin")
    counter_before = {(c.country, c.year): c.last for c in ReferenceCounter.objects.all()}
    case = register_and_open_case(
        actor=User.objects.get(username="berlin.caseworker"), office=office,
        person={"given_name": "Test", "family_name": "Person", "nationality": "IRQ"},
        member={"category": "irregular", "vulnerabilities": []},
        case={"destination_country": "IRQ",
              "origin_office": Office.objects.get(code="irq-baghdad")})
    country, year, number = case.reference.split("-")
    assert int(number) == counter_before.get((country, int(year)), 0) + 1
